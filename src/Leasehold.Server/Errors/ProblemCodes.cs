using Leasehold.Core;

namespace Leasehold.Server.Errors;

/// <summary>
/// One machine-readable code a problem+json answer carries, with its HTTP status and default title
/// (the framework's own title for the codes it answers by status alone; a call may say more).
/// </summary>
internal sealed record ProblemCode(string Code, int Status, string Title);

/// <summary>
/// The catalogue of every code an error answer can carry: each defined once, here, with its status
/// and title, and used by name. Codes the rules decide (refusals, request errors) are spelled in
/// <see cref="Codes"/>; the rest belong to HTTP (keys, routes, media types, the database).
/// docs/api.md's table of error codes is tested against <see cref="All"/>.
/// </summary>
internal static class ProblemCodes
{
    private const string NotValid = "The request is not valid.";
    private const string FileRefused = "The issuer's license file was refused.";

    // 400: the request itself is wrong; nothing was decided.
    public static readonly ProblemCode InvalidRequest = new(Codes.InvalidRequest, 400, NotValid);
    public static readonly ProblemCode UnknownClientType = new(Codes.UnknownClientType, 400, NotValid);
    public static readonly ProblemCode ConnectionRequired = new(Codes.ConnectionRequired, 400, NotValid);
    public static readonly ProblemCode IdempotencyKeyReused = new(Codes.IdempotencyKeyReused, 400, NotValid);
    public static readonly ProblemCode BorrowNotAllowed = new(Codes.BorrowNotAllowed, 400, NotValid);

    // 401, 403: who is calling.
    public static readonly ProblemCode Unauthorized = new("unauthorized", 401, "An API key is required.");
    public static readonly ProblemCode Forbidden = new("forbidden", 403, "This key may not do that.");
    public static readonly ProblemCode SessionTokenInvalid = new("session_token_invalid", 403, "The session token is missing or wrong.");

    // 404, 405: what is called.
    public static readonly ProblemCode NotFound = new(Codes.NotFound, 404, "Not Found");
    public static readonly ProblemCode MethodNotAllowed = new("method_not_allowed", 405, "Method Not Allowed");

    // 409: the rules refuse, or the request conflicts with what exists.
    public static readonly ProblemCode NoSeatAvailable = new(Codes.NoSeatAvailable, 409, "No seat is available.");
    public static readonly ProblemCode LicenseExpired = new(Codes.LicenseExpired, 409, "The license has ended.");
    public static readonly ProblemCode LicenseNotStarted = new(Codes.LicenseNotStarted, 409, "The license has not started yet.");
    public static readonly ProblemCode OutsideAccessWindow = new(Codes.OutsideAccessWindow, 409, "The connection is outside its access window.");
    public static readonly ProblemCode ConnectionInUse = new(Codes.ConnectionInUse, 409, "The connection is in use.");
    public static readonly ProblemCode SsoCannotShare = new(Codes.SsoCannotShare, 409, "The connection is in use.");
    public static readonly ProblemCode ConnectionNotYours = new(Codes.ConnectionNotYours, 409, "The connection belongs to another user.");
    public static readonly ProblemCode StoppedRecently = new(Codes.StoppedRecently, 409, "An administrator stopped this user's session.");
    public static readonly ProblemCode SessionBorrowed = new(Codes.SessionBorrowed, 409, "The seat is borrowed.");
    public static readonly ProblemCode PlanLimitReached = new(Codes.PlanLimitReached, 409, "The plan does not allow that many seats.");
    public static readonly ProblemCode ConnectionExists = new("connection_exists", 409, "A connection with that name exists.");
    public static readonly ProblemCode QuotaExceeded = new("quota_exceeded", 409, "A quota of the tenant is used up.");
    public static readonly ProblemCode AllocationExceedsLicense = new(Codes.AllocationExceedsLicense, 409, "The license does not have that many seats free.");
    public static readonly ProblemCode SerialNotIssued = new(Codes.SerialNotIssued, 409, "No such license file was issued to this installation.");
    public static readonly ProblemCode IssuerNotConfigured = new("issuer_not_configured", 409, "This installation has no issuer to update from.");
    public static readonly ProblemCode WaitingNotAllowed = new(Codes.WaitingNotAllowed, 409, "No seat is available, and this checkout may not wait for one.");
    public static readonly ProblemCode WaitingLineFull = new(Codes.WaitingLineFull, 409, "No seat is available, and the waiting line is full.");
    public static readonly ProblemCode OfferNotHeld = new(Codes.OfferNotHeld, 409, "No seat is held for this place in the waiting line.");
    public static readonly ProblemCode Conflict = new("conflict", 409, "Conflict");

    // 410: the session (or the place in the waiting line) is over.
    public static readonly ProblemCode SessionEnded = new("session_ended", 410, "This session has ended.");
    public static readonly ProblemCode WaitEnded = new("wait_ended", 410, "This place in the waiting line has ended.");

    // 429: too many attempts.
    public static readonly ProblemCode TooManyRequests = new("too_many_requests", 429, "Too many requests.");

    // 413, 415: the body.
    public static readonly ProblemCode RequestTooLarge = new("request_too_large", 413, NotValid);
    public static readonly ProblemCode UnsupportedMediaType = new("unsupported_media_type", 415, "Unsupported Media Type");

    // 5xx: the server.
    public static readonly ProblemCode InternalError = new("internal_error", 500, "An error occurred while processing your request.");

    // 502: the issuer did not answer an installation's update, or what it sent was refused (the file kept is unchanged).
    public static readonly ProblemCode IssuerUnreachable = new("issuer_unreachable", 502, "The issuer could not be reached.");
    public static readonly ProblemCode IssuerRefused = new("issuer_refused", 502, "The issuer refused to issue a license file.");
    public static readonly ProblemCode LicenseFileMalformed = new(Codes.LicenseFileMalformed, 502, FileRefused);
    public static readonly ProblemCode LicenseFileUnknownKey = new(Codes.LicenseFileUnknownKey, 502, FileRefused);
    public static readonly ProblemCode LicenseFileBadSignature = new(Codes.LicenseFileBadSignature, 502, FileRefused);
    public static readonly ProblemCode LicenseFileWrongProduct = new(Codes.LicenseFileWrongProduct, 502, FileRefused);
    public static readonly ProblemCode LicenseFileReplayed = new(Codes.LicenseFileReplayed, 502, FileRefused);
    public static readonly ProblemCode LicenseFileExpired = new(Codes.LicenseFileExpired, 502, FileRefused);

    // 503: an installation whose clock went back serves nothing until it is set right.
    public static readonly ProblemCode ClockMovedBack = new(Codes.ClockMovedBack, 503, "The clock moved back.");
    public static readonly ProblemCode Unavailable = new("unavailable", 503, "Service Unavailable");
    public static readonly ProblemCode StoreUnavailable = new("store_unavailable", 503, "The license database is unavailable.");

    /// <summary>Any other status the framework answers with (none is known today).</summary>
    public static readonly ProblemCode Error = new("error", 0, "Error.");

    public static IReadOnlyList<ProblemCode> All { get; } =
    [
        InvalidRequest, UnknownClientType, ConnectionRequired, IdempotencyKeyReused, BorrowNotAllowed, SessionBorrowed, Unauthorized, Forbidden, SessionTokenInvalid, NotFound, MethodNotAllowed,
        NoSeatAvailable, LicenseExpired, LicenseNotStarted, OutsideAccessWindow, ConnectionInUse, SsoCannotShare, ConnectionNotYours, StoppedRecently, PlanLimitReached,
        ConnectionExists, QuotaExceeded, AllocationExceedsLicense, SerialNotIssued, IssuerNotConfigured, WaitingNotAllowed, WaitingLineFull, OfferNotHeld, Conflict,
        SessionEnded, WaitEnded, RequestTooLarge, UnsupportedMediaType, TooManyRequests,
        InternalError, IssuerUnreachable, IssuerRefused, LicenseFileMalformed, LicenseFileUnknownKey, LicenseFileBadSignature, LicenseFileWrongProduct,
        LicenseFileReplayed, LicenseFileExpired, ClockMovedBack, Unavailable, StoreUnavailable, Error,
    ];

    /// <summary>The entry of a license file an installation refused (a <c>license_file_*</c> or <c>clock_moved_back</c> code).</summary>
    public static ProblemCode ForFileRefusal(string code) => ByCode.GetValueOrDefault(code) ?? LicenseFileMalformed;

    private static readonly Dictionary<string, ProblemCode> ByCode = All.ToDictionary(c => c.Code, StringComparer.Ordinal);

    /// <summary>The entry of a refusal the rules decided (409); a client type's own refusal code (its <c>denialCode</c>) reads as <see cref="NoSeatAvailable"/>.</summary>
    public static ProblemCode ForRefusal(string code) =>
        ByCode.GetValueOrDefault(code) is { Status: 409 } known ? known : NoSeatAvailable with { Code = code };

    /// <summary>The entry of a request the rules found wrong (400).</summary>
    public static ProblemCode ForRequestError(string code) =>
        ByCode.GetValueOrDefault(code) is { Status: 400 } known ? known : InvalidRequest with { Code = code };

    /// <summary>The code of an error the framework answers by status alone (a route not found, a bad media type, ...).</summary>
    public static ProblemCode ForStatus(int status) => status switch
    {
        400 => InvalidRequest,
        401 => Unauthorized,
        403 => Forbidden,
        404 => NotFound,
        405 => MethodNotAllowed,
        409 => Conflict,
        413 => RequestTooLarge,
        415 => UnsupportedMediaType,
        429 => TooManyRequests,
        503 => Unavailable,
        _ => status >= 500 ? InternalError : Error,
    };
}
