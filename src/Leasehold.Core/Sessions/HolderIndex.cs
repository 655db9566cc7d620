namespace Leasehold.Core.Sessions;

/// <summary>
/// The live sessions of many <see cref="HolderSet"/>s (one per license), found by session id, and which set
/// holds each: the server's writer keeps one for every license it has loaded, so a million live sessions cost
/// one table entry each. Ids of the server's form are found by their 128 bits (<see cref="HeldSession.IdNumber"/>) in a
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

    internal HeldSession? Get(string id) =>
        HeldSession.IdNumber(id, out var number) ? (_byNumber.TryGetValue(number, out var held) ? held : null) : _byText.GetValueOrDefault(id);

    internal void Put(string id, HeldSession held)
    {
        if (HeldSession.IdNumber(id, out var number))
        {
            _byNumber.Remove(number);
            _numbered.Add(held);
        }
        else
        {
            _byText[id] = held;
        }
    }

    internal void Remove(string id)
    {
        if (HeldSession.IdNumber(id, out var number))
            _byNumber.Remove(number);
        else
            _byText.Remove(id);
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
