using Leasehold.Core.Sessions;

namespace Leasehold.Core;

/// <summary>Stable machine-readable codes. Clients branch on these; never rename one.</summary>
public static class Codes
{
    public const string NoSeatAvailable = "no_seat_available";
    public const string UnknownClientType = "unknown_client_type";
    public const string IdempotencyKeyReused = "idempotency_key_reused";
    public const string Pass = "pass";
    public const string Admitted = "admitted";

    public static string Of(EndReason reason) => reason switch
    {
        EndReason.Released => "released",
        EndReason.Expired => "expired",
        EndReason.Idle => "idle",
        EndReason.Stopped => "stopped",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, null),
    };

    public static EndReason ParseEndReason(string code) =>
        Enum.GetValues<EndReason>().First(reason => Of(reason) == code);
}
