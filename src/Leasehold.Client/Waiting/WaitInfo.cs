namespace Leasehold.Client.Waiting;

/// <summary>A place in line as the server answers it (the <c>202</c> of a waiting checkout, a heartbeat's answer).</summary>
internal sealed record WaitInfo
{
    public string Id { get; init; } = "";
    /// <summary><c>waiting</c>, <c>offered</c> or <c>ended</c>.</summary>
    public string Status { get; init; } = "";
    public int? Position { get; init; }
    public int? EstimatedWaitSeconds { get; init; }
    public DateTimeOffset JoinedAt { get; init; }
    public DateTimeOffset WaitUntil { get; init; }
    public DateTimeOffset? OfferExpiresAt { get; init; }
    public int HeartbeatIntervalSeconds { get; init; }
    public DateTimeOffset? EndedAt { get; init; }
    public string? EndReason { get; init; }
    public string? SessionId { get; init; }
    /// <summary>The entry's secret: the joining checkout's answer only.</summary>
    public string? WaitToken { get; init; }
}

/// <summary>What the <c>waiting</c> event of an entry's stream carries.</summary>
internal sealed record WaitingEventData
{
    public string Id { get; init; } = "";
    public int Position { get; init; }
    public int? EstimatedWaitSeconds { get; init; }
    public DateTimeOffset WaitUntil { get; init; }
}

/// <summary>How a place in line ended, by the server's word (stream, 410) or the SDK's own guard.</summary>
internal sealed record WaitEnding(string Reason, string? Message, DateTimeOffset? EndedAt)
{
    public const string Granted = "granted";
}
