using Leasehold.Core;
using Leasehold.Core.Policies;
using Leasehold.Core.Sessions;
using Leasehold.Core.Usage;

namespace Leasehold.Server.Storage;

/// <summary>A session as its table stores it (times in Unix milliseconds); shared by every provider.</summary>
internal sealed class SessionRow
{
    public string Id { get; set; } = "";
    public string TenantId { get; set; } = "";
    public string LicenseId { get; set; } = "";
    public string UserName { get; set; } = "";
    public string Device { get; set; } = "";
    public string Client { get; set; } = "";
    public string Consumption { get; set; } = "";
    public long Seats { get; set; }
    public string SeatKey { get; set; } = "";
    public long TtlMs { get; set; }
    public long? IdleTimeoutMs { get; set; }
    public long StartedAt { get; set; }
    public long LastHeartbeatAt { get; set; }
    public long LastActivityAt { get; set; }
    public long DeadlineAt { get; set; }

    /// <summary>Why the session ends at <see cref="DeadlineAt"/> unless something happens first (<see cref="Session.NextEnd"/>).</summary>
    public string DeadlineReason { get; set; } = "";
    public long? EndedAt { get; set; }
    public string? EndReason { get; set; }
    public string? IdempotencyKey { get; set; }
    public string? ConnectionId { get; set; }
    public string? Email { get; set; }
    public bool Sso { get; set; }
    public bool Named { get; set; }
    public long PolicyVersion { get; set; } = 1;
    public long? WindowClosesAt { get; set; }
    public bool EndsAtWindowClose { get; set; }
    public long? LicenseEndsAt { get; set; }
    public long? BorrowedUntil { get; set; }

    /// <summary>SHA-256 (hex) of the session's token; null for sessions from before tokens.</summary>
    public string? TokenHash { get; set; }

    public static SessionRow From(Session s) => new()
    {
        Id = s.Id,
        TenantId = s.TenantId,
        LicenseId = s.LicenseId,
        UserName = s.User,
        Device = s.Device,
        Client = s.Client,
        Consumption = s.Consumption.ToString().ToLowerInvariant(),
        Seats = s.Seats,
        SeatKey = s.SeatKey,
        TtlMs = (long)s.Ttl.TotalMilliseconds,
        IdleTimeoutMs = s.IdleTimeout is { } idle ? (long)idle.TotalMilliseconds : null,
        StartedAt = s.StartedAt.ToUnixTimeMilliseconds(),
        LastHeartbeatAt = s.LastHeartbeatAt.ToUnixTimeMilliseconds(),
        LastActivityAt = s.LastActivityAt.ToUnixTimeMilliseconds(),
        DeadlineAt = s.Deadline.ToUnixTimeMilliseconds(),
        DeadlineReason = Codes.Of(s.NextEnd.Reason),
        EndedAt = s.EndedAt?.ToUnixTimeMilliseconds(),
        EndReason = s.EndReason is { } reason ? Codes.Of(reason) : null,
        IdempotencyKey = s.IdempotencyKey,
        ConnectionId = s.ConnectionId,
        Email = s.Email,
        Sso = s.Sso,
        Named = s.Named,
        PolicyVersion = s.PolicyVersion,
        WindowClosesAt = s.WindowClosesAt?.ToUnixTimeMilliseconds(),
        EndsAtWindowClose = s.EndsAtWindowClose,
        LicenseEndsAt = s.LicenseEndsAt?.ToUnixTimeMilliseconds(),
        BorrowedUntil = s.BorrowedUntil?.ToUnixTimeMilliseconds(),
        TokenHash = s.TokenHash,
    };

    public Session ToSession() => new()
    {
        Id = Id,
        TenantId = TenantId,
        LicenseId = LicenseId,
        User = UserName,
        Device = Device,
        Client = Client,
        Consumption = Enum.Parse<Consumption>(Consumption, ignoreCase: true),
        Seats = (int)Seats,
        SeatKey = SeatKey == Id ? Id : SeatKey, // one string for a session's own seat key and its id
        Ttl = TimeSpan.FromMilliseconds(TtlMs),
        IdleTimeout = IdleTimeoutMs is { } idle ? TimeSpan.FromMilliseconds(idle) : null,
        StartedAt = DateTimeOffset.FromUnixTimeMilliseconds(StartedAt),
        LastHeartbeatAt = DateTimeOffset.FromUnixTimeMilliseconds(LastHeartbeatAt),
        LastActivityAt = DateTimeOffset.FromUnixTimeMilliseconds(LastActivityAt),
        EndedAt = EndedAt is { } ended ? DateTimeOffset.FromUnixTimeMilliseconds(ended) : null,
        EndReason = EndReason is { } reason ? Codes.ParseEndReason(reason) : null,
        IdempotencyKey = IdempotencyKey,
        ConnectionId = ConnectionId,
        Email = Email,
        Sso = Sso,
        Named = Named,
        PolicyVersion = (int)PolicyVersion,
        WindowClosesAt = Ms.ToTime(WindowClosesAt),
        EndsAtWindowClose = EndsAtWindowClose,
        LicenseEndsAt = Ms.ToTime(LicenseEndsAt),
        BorrowedUntil = Ms.ToTime(BorrowedUntil),
        TokenHash = TokenHash,
    };
}

/// <summary>Unix milliseconds, the stored form of every time.</summary>
internal static class Ms
{
    public static DateTimeOffset? ToTime(long? ms) => ms is { } value ? DateTimeOffset.FromUnixTimeMilliseconds(value) : null;
}

/// <summary>A usage event as its table stores it.</summary>
internal sealed class UsageEventRow
{
    public long Id { get; set; }
    public string TenantId { get; set; } = "";
    public string LicenseId { get; set; } = "";
    public string? SessionId { get; set; }
    public long At { get; set; }
    public string Kind { get; set; } = "";
    public string Code { get; set; } = "";
    public string UserName { get; set; } = "";
    public string? Device { get; set; }
    public string Client { get; set; } = "";
    public long Seats { get; set; }
    public string? Actor { get; set; }
    public string? SeatKey { get; set; }
    public long? SeatsInUse { get; set; }
    public long? SeatLimit { get; set; }
    public long? LastActivityAt { get; set; }
    public long? BorrowedUntil { get; set; }
    public long Count { get; set; } = 1;
    public long? LastAt { get; set; }

    /// <summary>For a refusal: the clock hour it folds into (<see cref="RefusalCollapse.Hour"/>); written, never read back.</summary>
    public long? CollapseHour { get; set; }

    /// <summary>For a refusal: what equal refusals of its license and hour share (<see cref="RefusalCollapse.Key"/>); written, never read back.</summary>
    public string? CollapseKey { get; set; }

    public static UsageEventRow From(UsageEvent e) => new()
    {
        TenantId = e.TenantId,
        LicenseId = e.LicenseId,
        SessionId = e.SessionId,
        At = e.At.ToUnixTimeMilliseconds(),
        Kind = e.Kind.ToString().ToLowerInvariant(),
        Code = e.Code,
        UserName = e.User,
        Device = e.Device,
        Client = e.Client,
        Seats = e.Seats,
        Actor = e.Actor,
        SeatKey = e.SeatKey,
        SeatsInUse = e.SeatsInUse,
        SeatLimit = e.SeatLimit,
        LastActivityAt = e.LastActivityAt?.ToUnixTimeMilliseconds(),
        BorrowedUntil = e.BorrowedUntil?.ToUnixTimeMilliseconds(),
        Count = e.Count,
        LastAt = e.LastAt?.ToUnixTimeMilliseconds(),
    };

    /// <summary>A refusal's row with the key it folds on: its own, or (<paramref name="overflow"/>) its license's overflow event of the hour.</summary>
    public static UsageEventRow Refusal(UsageEvent e, bool overflow)
    {
        var row = From(overflow ? RefusalCollapse.Overflow(e) : e);
        row.CollapseHour = RefusalCollapse.Hour(e.At);
        row.CollapseKey = overflow ? RefusalCollapse.OverflowKey(e) : RefusalCollapse.Key(e);
        return row;
    }

    public UsageEvent ToEvent() => new(TenantId, LicenseId, SessionId, DateTimeOffset.FromUnixTimeMilliseconds(At),
        Enum.Parse<UsageKind>(Kind, ignoreCase: true), Code, UserName, Device, Client, (int)Seats, Actor)
    {
        SeatKey = SeatKey,
        SeatsInUse = (int?)SeatsInUse,
        SeatLimit = (int?)SeatLimit,
        LastActivityAt = Ms.ToTime(LastActivityAt),
        BorrowedUntil = Ms.ToTime(BorrowedUntil),
        Count = (int)Count,
        LastAt = Ms.ToTime(LastAt),
    };
}
