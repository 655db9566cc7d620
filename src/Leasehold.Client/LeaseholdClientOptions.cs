using Microsoft.Extensions.Logging;

namespace Leasehold.Client;

/// <summary>How a <see cref="LeaseholdClient"/> reaches the server and how its leases behave.</summary>
public sealed class LeaseholdClientOptions
{
    /// <summary>The server, e.g. <c>https://licenses.example.com</c>.</summary>
    public Uri? ServerUrl { get; set; }

    /// <summary>The API key: a <c>client</c> key of the tenant for an application, an <c>admin</c> or <c>operator</c> key for tools.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The license checkouts and checks use when the request names none.</summary>
    public string? LicenseId { get; set; }

    /// <summary>The client type checkouts and checks use when the request names none (<c>desktop</c>, <c>web</c>, ...).</summary>
    public string ClientType { get; set; } = "desktop";

    /// <summary>
    /// How long a lease keeps working while the server cannot be reached. When it runs out the
    /// lease ends with <see cref="LeaseEndReason.OfflineGraceExpired"/>. The server frees the seat
    /// anyway once the client type's TTL passes without a heartbeat.
    /// </summary>
    public TimeSpan OfflineGrace { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Opt-in activity timer: every heartbeat reports the user active, for applications with no
    /// notion of user input (services, integrations). Otherwise call <see cref="Lease.ReportActivity"/>.
    /// </summary>
    public bool AlwaysActive { get; set; }

    /// <summary>Listen on the server's push channel (server-sent events) to learn of an end at once; heartbeats remain the fallback.</summary>
    public bool UsePushChannel { get; set; } = true;

    /// <summary>How long one request may take before it counts as a transient failure.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a checkout, a check or a state save keeps retrying transient failures before it gives up.</summary>
    public TimeSpan RetryFor { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The first pause after a transient failure; it doubles (with jitter) up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest pause between retries (never longer than the heartbeat interval for a live lease).</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The clock of heartbeats, back-off and the offline grace (tests may pass a fake).</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Where the background loops say what they do and what went wrong (they never throw).</summary>
    public ILogger? Logger { get; set; }

    internal void Validate()
    {
        if (ServerUrl is null)
            throw new InvalidOperationException("LeaseholdClientOptions.ServerUrl is required.");
        if (string.IsNullOrWhiteSpace(ApiKey))
            throw new InvalidOperationException("LeaseholdClientOptions.ApiKey is required.");
    }
}
