namespace Leasehold.Core.Sessions;

/// <summary>
/// The live sessions of many <see cref="HolderSet"/>s (one per license), found by session id, and which set
/// holds each: the server's writer keeps one for every license it has loaded, so a million live sessions cost
/// one table entry each. Ids of the server's form are found by their 128 bits (<see cref="HeldSession.NumberOf"/>) in a
/// set of the held sessions themselves (16 bytes an entry, where a table with the number as key takes 32), any other
/// id by its text. Not thread-safe, as its sets.
/// </summary>
public sealed class HolderIndex
{
    private readonly HashSet<HeldSession> _numbered;
    private readonly HashSet<HeldSession>.AlternateLookup<UInt128> _byNumber;
    private readonly Dictionary<string, HeldSession> _byText = new(StringComparer.Ordinal);

    public HolderIndex()
    {
        _numbered = new HashSet<HeldSession>(ByNumber.Instance);
        _byNumber = _numbered.GetAlternateLookup<UInt128>();
    }

    public int Count => _numbered.Count + _byText.Count;

    /// <summary>The set holding the live session <paramref name="sessionId"/>, if any.</summary>
    public HolderSet? OwnerOf(string sessionId) => Get(sessionId)?.Owner;

    public void Clear()
    {
        _numbered.Clear();
        _byText.Clear();
    }

    internal HeldSession? Get(string id) => Get(HeldSession.NumberOf(id), id);

    /// <summary>The held session <paramref name="id"/>, whose number (<see cref="HeldSession.NumberOf"/>) the caller read already.</summary>
    internal HeldSession? Get(UInt128? number, string id) =>
        number is { } n ? (_byNumber.TryGetValue(n, out var held) ? held : null) : _byText.GetValueOrDefault(id);

    /// <summary>Adds a held session, or puts it in place of the one with its id.</summary>
    internal void Put(HeldSession held)
    {
        if (held.Numbered)
        {
            _numbered.Remove(held); // the state it replaces: equal by number
            _numbered.Add(held);
        }
        else
        {
            _byText[held.ToSession().Id] = held; // kept whole: no session is made
        }
    }

    internal void Remove(HeldSession held)
    {
        if (held.Numbered)
            _numbered.Remove(held);
        else
            _byText.Remove(held.ToSession().Id);
    }

    /// <summary>Held sessions are equal when their ids' numbers are; a number finds its session.</summary>
    private sealed class ByNumber : IEqualityComparer<HeldSession>, IAlternateEqualityComparer<UInt128, HeldSession>
    {
        public static readonly ByNumber Instance = new();

        public bool Equals(HeldSession? x, HeldSession? y) => x?.Number == y?.Number;

        public int GetHashCode(HeldSession held) => held.Number.GetHashCode();

        public bool Equals(UInt128 number, HeldSession held) => number == held.Number;

        public int GetHashCode(UInt128 number) => number.GetHashCode();

        public HeldSession Create(UInt128 number) => throw new NotSupportedException("A held session is added as itself, never made from its number.");
    }
}
