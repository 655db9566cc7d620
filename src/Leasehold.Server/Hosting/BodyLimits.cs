using Microsoft.AspNetCore.Http.Metadata;

namespace Leasehold.Server.Hosting;

/// <summary>
/// The largest body each API call reads (docs/api.md, "Limits"): small for what is small, so nobody
/// makes the server read megabytes to be told no. A larger body is 413 <c>request_too_large</c> before
/// it is read. The routing middleware applies an endpoint's limit; the last one set on it wins, so a
/// group's limit is the default of its routes. The console's forms keep the server-wide ceiling
/// (<see cref="LeaseholdSettings.MaxRequestBodyBytes"/>), which no limit here exceeds.
/// </summary>
internal static class BodyLimits
{
    /// <summary>Every <c>/v1</c> call unless named below: a checkout, a heartbeat, a key, a tenant are a few hundred bytes.</summary>
    public const long Api = 32 * 1024;

    /// <summary>A connection's access plan, an installation's allocation.</summary>
    public const long Medium = 64 * 1024;

    /// <summary>A saved state: the document is at most 64 KiB (400 beyond); room for the JSON around it.</summary>
    public const long SavedState = 128 * 1024;

    /// <summary>A batch of heartbeats: up to 1,000 sessions of about 120 bytes each (id, activity, token).</summary>
    public const long Heartbeats = 256 * 1024;

    /// <summary>A license with its policy (named users and groups can be long lists).</summary>
    public const long License = LeaseholdSettings.MaxRequestBodyBytes;

    public static TBuilder WithBodyLimit<TBuilder>(this TBuilder builder, long bytes) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new Limit(bytes));

    private sealed record Limit(long Bytes) : IRequestSizeLimitMetadata
    {
        public long? MaxRequestBodySize => Bytes;
    }
}
