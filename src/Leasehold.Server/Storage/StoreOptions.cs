namespace Leasehold.Server.Storage;

/// <summary>When an acknowledged write is safe.</summary>
internal enum Durability
{
    /// <summary>
    /// The default. Every answer is given after its transaction is committed to the write-ahead log
    /// in the operating system: it survives a crash or kill -9 of the server, not a power cut of
    /// the machine in the instant after (SQLite <c>synchronous=NORMAL</c> in WAL mode).
    /// </summary>
    Process,

    /// <summary>The log is fsynced before every answer: survives power loss, costs a disk flush per write (<c>synchronous=FULL</c>).</summary>
    Fsync,
}

/// <summary>Where data lives and how safely it is written.</summary>
internal sealed record StoreOptions(string DataDirectory, Durability Durability)
{
    /// <summary>The default of <see cref="MaxRefusalEventsPerHour"/>.</summary>
    public const int DefaultMaxRefusalEventsPerHour = 1000;

    /// <summary>
    /// How many refusal events (each a user and device's repeats, collapsed) one license may gain in a
    /// clock hour before further new ones go into the hour's overflow event (<c>LEASEHOLD_MAX_REFUSAL_EVENTS_PER_HOUR</c>).
    /// </summary>
    public int MaxRefusalEventsPerHour { get; init; } = DefaultMaxRefusalEventsPerHour;

    public string SqlitePath => Path.Combine(DataDirectory, "leasehold.db");
}
