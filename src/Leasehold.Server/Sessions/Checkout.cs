using System.Text.Json;
using Leasehold.Core;
using Leasehold.Core.Policies;
using Leasehold.Core.Sessions;
using Leasehold.Server.Auth;
using Leasehold.Server.Errors;
using Leasehold.Server.Hosting;
using Leasehold.Server.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Leasehold.Server.Sessions;

/// <summary><c>POST /v1/sessions</c>: the seat decision, made atomic by the store, translated to HTTP.</summary>
internal static class Checkout
{
    public const string IdempotencyHeader = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";

    public static async Task<Results<Created<SessionResponse>, ProblemHttpResult>> HandleAsync(
        CheckoutBody body,
        [FromHeader(Name = IdempotencyHeader)] string? idempotencyKey,
        Caller caller,
        ILeaseholdStore store,
        TimeProvider clock,
        HttpResponse response,
        CancellationToken ct)
    {
        var errors = new List<FieldError>();
        var licenseId = errors.Required(body.LicenseId, "licenseId", 64);
        var user = errors.Required(body.User, "user");
        var device = errors.Required(body.Device, "device");
        var client = errors.Required(body.Client, "client", 32);
        var connection = body.Connection is null ? null : errors.Required(body.Connection, "connection", 64);
        var email = body.Email is null ? null : errors.Required(body.Email, "email", 320);
        if (email is not null && !email.Contains('@', StringComparison.Ordinal))
            errors.Add(new("email", "Must be an e-mail address."));
        if (idempotencyKey is not null && (idempotencyKey.Length is 0 or > 255 || idempotencyKey.Any(c => c is < '!' or > '~')))
            errors.Add(new(IdempotencyHeader, "1-255 printable ASCII characters without spaces (a UUID is a good choice)."));
        if (errors.Count > 0)
            return Problems.Invalid(errors);

        var now = clock.Now();
        var request = new CheckoutRequest(ApiKeySecrets.NewTimeOrderedId("ses", now), user!, device!, client!, idempotencyKey)
        {
            ConnectionId = connection,
            Email = email,
            Sso = body.Sso ?? false,
        };
        var result = await store.DecideOnLicenseAsync(new LedgerQuery(licenseId!, caller.TenantScope, idempotencyKey, connection),
            ledger => SeatDecision.Checkout(ledger, request, now), ct);

        switch (result)
        {
            case null:
                return Problems.NotFound("license", "licenseId");
            case CheckoutResult.Admitted admitted:
                var session = SessionResponse.AsOf(admitted.Session, now);
                if (!session.IsActive)
                    return Problems.Gone(session);
                if (admitted.Replayed)
                    response.Headers[ReplayedHeader] = "true";
                var handedOn = admitted.TookOver is null ? null : await store.GetSessionStateAsync(session.Id, ct);
                return TypedResults.Created($"/v1/sessions/{session.Id}", SessionResponse.From(session, now) with
                {
                    SeatsInUse = admitted.SeatsInUse,
                    SeatLimit = admitted.Seats,
                    Warnings = WarningResponse.From(admitted.Warnings),
                    TookOver = admitted.TookOver is { } old ? new TakeoverResponse(old.Id, old.User) : null,
                    State = handedOn is null ? null : JsonDocument.Parse(handedOn).RootElement.Clone(),
                });
            case CheckoutResult.Denied denied:
                return Problems.Conflict(denied.Code, DenialTitle(denied.Code), denied.Message, new Dictionary<string, object?>
                {
                    ["message"] = denied.Message,
                    ["client"] = client,
                    ["seatsInUse"] = denied.SeatsInUse,
                    ["seatLimit"] = denied.Seats,
                    ["opensAt"] = denied.OpensAt,
                });
            case CheckoutResult.Rejected { Error.Code: Codes.NotFound } missing:
                return Problems.NotFound("connection", missing.Error.Field);
            case CheckoutResult.Rejected rejected:
                return Problems.Invalid(rejected.Error);
            default:
                throw new InvalidOperationException($"Unhandled checkout result {result.GetType().Name}.");
        }
    }

    private static string DenialTitle(string code) => code switch
    {
        Codes.LicenseExpired => "The license has ended.",
        Codes.LicenseNotStarted => "The license has not started yet.",
        Codes.OutsideAccessWindow => "The connection is outside its access window.",
        Codes.ConnectionInUse or Codes.SsoCannotShare => "The connection is in use.",
        _ => "No seat is available.",
    };
}
