using Leasehold.Core.Sessions;

namespace Leasehold.Core;

/// <summary>
/// The stable machine-readable codes of the rules: refusals, request errors, outcomes, warnings and
/// end reasons. Clients branch on these; never rename one. The server's catalogue
/// (<c>Leasehold.Server.Errors.ProblemCodes</c>) gives each problem its HTTP status and title.
/// </summary>
public static class Codes
{
    public const string InvalidRequest = "invalid_request";
    public const string NotFound = "not_found";
    public const string NoSeatAvailable = "no_seat_available";
    public const string UnknownClientType = "unknown_client_type";
    public const string IdempotencyKeyReused = "idempotency_key_reused";
    public const string Pass = "pass";
    public const string Admitted = "admitted";
    public const string AdmittedOverLimit = "admitted_over_limit";
    public const string PassOverLimit = "pass_over_limit";
    public const string LicenseExpired = "license_expired";
    public const string LicenseNotStarted = "license_not_started";
    public const string OutsideAccessWindow = "outside_access_window";
    public const string ConnectionRequired = "connection_required";
    public const string ConnectionInUse = "connection_in_use";
    public const string SsoCannotShare = "sso_cannot_share";
    public const string PlanLimitReached = "plan_limit_reached";

    // A user an admin stopped, refused until the stop's cool-down ends; a connection used by someone other than its user.
    public const string StoppedRecently = "stopped_recently";
    public const string ConnectionNotYours = "connection_not_yours";

    // Borrowing: a client type that does not allow it, and a borrowed seat an admin may not stop.
    public const string BorrowNotAllowed = "borrow_not_allowed";
    public const string SessionBorrowed = "session_borrowed";

    // The waiting line (docs/waiting-line.md): a checkout that may not wait, a full line, a take of an offer no longer held.
    public const string WaitingNotAllowed = "waiting_not_allowed";
    public const string WaitingLineFull = "waiting_line_full";
    public const string OfferNotHeld = "offer_not_held";

    // Why a waiting-line entry ended (WaitEnd); "expired" is shared with sessions.
    public const string Granted = "granted";
    public const string Left = "left";
    public const string TimedOut = "timed_out";
    public const string OfferLapsed = "offer_lapsed";

    // Why an installation refuses a license file (offline, by itself).
    public const string LicenseFileMalformed = "license_file_malformed";
    public const string LicenseFileUnknownKey = "license_file_unknown_key";
    public const string LicenseFileBadSignature = "license_file_bad_signature";
    public const string LicenseFileWrongProduct = "license_file_wrong_product";
    public const string LicenseFileReplayed = "license_file_replayed";
    public const string LicenseFileExpired = "license_file_expired";
    public const string ClockMovedBack = "clock_moved_back";

    // An allocation to an installation that the license cannot give.
    public const string AllocationExceedsLicense = "allocation_exceeds_license";

    // An installation said it runs on a file that was never issued to it.
    public const string SerialNotIssued = "serial_not_issued";

    // Why a session ended (EndReason), as answers and the usage history spell it.
    public const string Released = "released";
    public const string Expired = "expired";
    public const string Idle = "idle";
    public const string Stopped = "stopped";
    public const string TakenOver = "taken_over";
    public const string WindowClosed = "window_closed";
    public const string BorrowEnded = "borrow_ended";

    // Warnings carried by admitted answers.
    public const string OverLimit = "over_limit";
    public const string LicenseExpiring = "license_expiring";
    public const string LicenseInGrace = "license_in_grace";
    public const string AccessWindowClosed = "access_window_closed";

    /// <summary>Refusals that are not for want of a seat: a what-if replay with more seats would refuse them too.</summary>
    public static bool IsSeatRefusal(string code) =>
        code is not (LicenseExpired or LicenseNotStarted or OutsideAccessWindow or ConnectionInUse or SsoCannotShare
            or StoppedRecently or ConnectionNotYours or OfferNotHeld);

    public static string Of(EndReason reason) => reason switch
    {
        EndReason.Released => Released,
        EndReason.Expired => Expired,
        EndReason.Idle => Idle,
        EndReason.Stopped => Stopped,
        EndReason.TakenOver => TakenOver,
        EndReason.WindowClosed => WindowClosed,
        EndReason.LicenseExpired => LicenseExpired,
        EndReason.BorrowEnded => BorrowEnded,
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, null),
    };

    public static string Of(Queue.WaitEnd end) => end switch
    {
        Queue.WaitEnd.Granted => Granted,
        Queue.WaitEnd.Left => Left,
        Queue.WaitEnd.Expired => Expired,
        Queue.WaitEnd.TimedOut => TimedOut,
        Queue.WaitEnd.OfferLapsed => OfferLapsed,
        _ => throw new ArgumentOutOfRangeException(nameof(end), end, null),
    };

    public static EndReason ParseEndReason(string code) => code switch
    {
        Released => EndReason.Released,
        Expired => EndReason.Expired,
        Idle => EndReason.Idle,
        Stopped => EndReason.Stopped,
        TakenOver => EndReason.TakenOver,
        WindowClosed => EndReason.WindowClosed,
        LicenseExpired => EndReason.LicenseExpired,
        BorrowEnded => EndReason.BorrowEnded,
        _ => throw new ArgumentOutOfRangeException(nameof(code), code, "Not an end reason."),
    };
}
