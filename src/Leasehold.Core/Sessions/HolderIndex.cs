namespace Leasehold.Core.Sessions;

/// <summary>
/// The live sessions of many <see cref="HolderSet"/>s (one per license), found by session id, and which set
/// holds each: the server's writer keeps one for every license it has loaded, so a million live sessions cost
/// one table entry each. Ids of the server's form are keyed by their 128 bits (<see cref="HeldSession.IdNumber"/>),
/// any other id by its text. Not thread-safe, as its sets.
/// </summary>
public sealed class HolderIndex
{
    private readonly Dictionary<UInt128, HeldSession> _byNumber = [];
    private readonly Dictionary<string, HeldSession> _byText = new(StringComparer.Ordinal);

    public int Count => _byNumber.Count + _byText.Count;

    /// <summary>The set holding the live session <paramref name="sessionId"/>, if any.</summary>
    public HolderSet? OwnerOf(string sessionId) => Get(sessionId)?.Owner;

    public void Clear()
    {
        _byNumber.Clear();
        _byText.Clear();
    }

    internal HeldSession? Get(string id) =>
        HeldSession.IdNumber(id, out var number) ? _byNumber.GetValueOrDefault(number) : _byText.GetValueOrDefault(id);

    internal void Put(string id, HeldSession held)
    {
        if (HeldSession.IdNumber(id, out var number))
            _byNumber[number] = held;
        else
            _byText[id] = held;
    }

    internal void Remove(string id)
    {
        if (HeldSession.IdNumber(id, out var number))
            _byNumber.Remove(number);
        else
            _byText.Remove(id);
    }
}
