using Leasehold.Core.Queue;

namespace Leasehold.Server.Storage;

/// <summary>A waiting-line entry as last written, with its place in line (0 once it ended) and the license's recent seat turnover (for the estimate).</summary>
internal sealed record WaitView(WaitEntry Entry, int Position, SeatTurnover? Turnover = null)
{
    public TimeSpan? EstimatedWait => Entry.IsOpen ? WaitingLine.Estimate(Position, Turnover) : null;
}

/// <summary>The waiting line's entries as they were last written (writes go through <see cref="ISessionDecisions"/>).</summary>
internal interface IWaitReads
{
    /// <summary>One entry (open or ended) with its position and the license's turnover; null when none with that id is in scope.</summary>
    Task<WaitView?> GetWaitAsync(string id, string? tenantScope, CancellationToken ct);

    /// <summary>One license's open entries in line order, each with its position and the license's turnover (the streams' shared read).</summary>
    Task<IReadOnlyList<WaitView>> ReadLineAsync(string licenseId, CancellationToken ct);

    /// <summary>The open entries (waiting or offered), by join time then id, with their positions: all (<paramref name="page"/> null), or one page.</summary>
    Task<IReadOnlyList<WaitView>> ListOpenWaitsAsync(string? tenantScope, string? licenseId, PageRequest? page, CancellationToken ct);
}
