namespace Leasehold.Core.Policies;

/// <summary>
/// The JSON form of a <see cref="LicensePolicy"/>, as operators write it and the API returns it.
/// Every field is optional on input; what is left out takes the value of <see cref="LicensePolicy.Default"/>.
/// </summary>
public sealed record PolicyDocument
{
    /// <summary><c>session</c> (default), <c>user</c> or <c>user+device</c>.</summary>
    public string? SeatKey { get; init; }

    /// <summary>The type an unknown client name is treated as; null or absent refuses unknown names.</summary>
    public string? DefaultClientType { get; init; }

    public IReadOnlyDictionary<string, ClientTypeDocument>? ClientTypes { get; init; }

    public static PolicyDocument From(LicensePolicy policy) => new()
    {
        SeatKey = SeatKeyNames.Of(policy.SeatKey),
        DefaultClientType = policy.DefaultClientType,
        ClientTypes = policy.ClientTypes.Values.OrderBy(t => t.Name, StringComparer.Ordinal).ToDictionary(t => t.Name, ClientTypeDocument.From),
    };
}

/// <summary>The JSON form of a <see cref="ClientTypePolicy"/>.</summary>
public sealed record ClientTypeDocument
{
    /// <summary><c>seat</c> (default), <c>check</c> or <c>none</c>.</summary>
    public string? Consumption { get; init; }

    public int? Weight { get; init; }

    public int? TtlSeconds { get; init; }

    /// <summary>0 turns the idle timeout off.</summary>
    public int? IdleTimeoutSeconds { get; init; }

    public string? DenialCode { get; init; }

    public string? DenialMessage { get; init; }

    public static ClientTypeDocument From(ClientTypePolicy type) => new()
    {
        Consumption = type.Consumption.ToString().ToLowerInvariant(),
        Weight = type.Weight,
        TtlSeconds = (int)type.Ttl.TotalSeconds,
        IdleTimeoutSeconds = type.IdleTimeout is { } idle ? (int)idle.TotalSeconds : 0,
        DenialCode = type.DenialCode,
        DenialMessage = type.DenialMessage,
    };
}

/// <summary>The wire names of <see cref="Policies.SeatKey"/>.</summary>
public static class SeatKeyNames
{
    public static readonly IReadOnlyList<string> All = ["session", "user", "user+device"];

    public static string Of(SeatKey key) => key switch
    {
        SeatKey.User => "user",
        SeatKey.UserDevice => "user+device",
        _ => "session",
    };

    public static SeatKey? Parse(string name) => name switch
    {
        "session" => SeatKey.Session,
        "user" => SeatKey.User,
        "user+device" => SeatKey.UserDevice,
        _ => null,
    };
}
