using System.Text.RegularExpressions;

namespace Leasehold.Core.Policies;

/// <summary>Turns a <see cref="PolicyDocument"/> into a <see cref="LicensePolicy"/>, or says field by field why it cannot.</summary>
public static partial class PolicyValidation
{
    public const int MaxTtlSeconds = 7 * 24 * 3600;
    public const int MaxWeight = 10_000;
    public const int MaxClientTypes = 32;
    public const int MaxBorrowDays = 365;

    [GeneratedRegex(@"^[a-z][a-z0-9_-]{0,31}\z")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^[a-z][a-z0-9_]{0,63}\z")]
    private static partial Regex CodePattern();

    public static LicensePolicy Build(PolicyDocument? document, string path, List<FieldError> errors)
    {
        var defaults = LicensePolicy.Default;
        if (document is null)
            return defaults;

        var seatKey = defaults.SeatKey;
        if (document.SeatKey is { } seatKeyName)
        {
            if (SeatKeyNames.Parse(seatKeyName) is { } parsed)
                seatKey = parsed;
            else
                errors.Add(new($"{path}.seatKey", $"Must be one of: {string.Join(", ", SeatKeyNames.All)}."));
        }

        var types = new Dictionary<string, ClientTypePolicy>(StringComparer.OrdinalIgnoreCase);
        if (document.ClientTypes is null)
        {
            foreach (var (name, type) in defaults.ClientTypes)
                types[name] = type;
        }
        else if (document.ClientTypes.Count is 0 or > MaxClientTypes)
        {
            errors.Add(new($"{path}.clientTypes", $"Name between 1 and {MaxClientTypes} client types."));
        }
        else
        {
            foreach (var (name, type) in document.ClientTypes)
            {
                var typePath = $"{path}.clientTypes.{name}";
                if (!NamePattern().IsMatch(name))
                    errors.Add(new(typePath, "A client type name is 1-32 characters: lower-case letters, digits, '-' or '_', starting with a letter."));
                else
                    types[name] = BuildClientType(name, type, typePath, errors);
            }
        }

        var defaultType = document.DefaultClientType;
        if (defaultType is not null && !types.ContainsKey(defaultType))
            errors.Add(new($"{path}.defaultClientType", $"Must name one of the client types: {string.Join(", ", types.Keys)}."));

        var named = BuildUsers(document.NamedUsers, $"{path}.namedUsers", errors);
        return new LicensePolicy(seatKey, types, defaultType)
        {
            Limit = BuildLimit(document.Limit, $"{path}.limit", errors),
            NamedUsers = named,
            Reservations = BuildReservations(document.Reservations, named, $"{path}.reservations", errors),
            Plan = BuildPlan(document.Plan, $"{path}.plan", errors),
            Expiry = BuildExpiry(document.Expiry, $"{path}.expiry", errors),
            Connections = BuildConnections(document.Connections, $"{path}.connections", errors),
            Stops = BuildStops(document.Stops, $"{path}.stops", errors),
            WaitingLine = BuildWaitingLine(document.WaitingLine, $"{path}.waitingLine", errors),
        };
    }

    private static ClientTypePolicy BuildClientType(string name, ClientTypeDocument? document, string path, List<FieldError> errors)
    {
        var template = LicensePolicy.Default.ClientTypes.GetValueOrDefault(name) ?? LicensePolicy.Default.ClientTypes["desktop"];
        document ??= new ClientTypeDocument();

        var consumption = template.Consumption;
        if (document.Consumption is { } consumptionName)
        {
            if (TryParseConsumption(consumptionName, out var parsed))
                consumption = parsed;
            else
                errors.Add(new($"{path}.consumption", "Must be one of: seat, check, none."));
        }

        var weight = document.Weight ?? 1;
        if (weight is < 1 or > MaxWeight)
            errors.Add(new($"{path}.weight", $"Must be between 1 and {MaxWeight}."));

        var ttl = document.TtlSeconds ?? (int)template.Ttl.TotalSeconds;
        if (ttl is < 5 or > MaxTtlSeconds)
            errors.Add(new($"{path}.ttlSeconds", $"Must be between 5 and {MaxTtlSeconds} seconds."));

        var idle = document.IdleTimeoutSeconds ?? (int)(template.IdleTimeout?.TotalSeconds ?? 0);
        if (idle is < 0 or > MaxTtlSeconds)
            errors.Add(new($"{path}.idleTimeoutSeconds", $"Must be between 0 (never) and {MaxTtlSeconds} seconds."));

        var code = document.DenialCode ?? LicensePolicy.DefaultDenialCode;
        if (!CodePattern().IsMatch(code))
            errors.Add(new($"{path}.denialCode", "A code is 1-64 characters: lower-case letters, digits and '_', starting with a letter."));

        var message = document.DenialMessage ?? template.DenialMessage;
        if (!IsText(message))
            errors.Add(new($"{path}.denialMessage", TextRule));

        if (document.BorrowDays is < 1 or > MaxBorrowDays)
            errors.Add(new($"{path}.borrowDays", $"Must be between 1 and {MaxBorrowDays} days; leave it out to not allow borrowing."));

        if (document.Waits == true && consumption != Consumption.Seat)
            errors.Add(new($"{path}.waits", "Only a client type that holds seats (consumption seat) can wait for one."));

        var messages = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (messageCode, text) in document.Messages ?? new Dictionary<string, string>())
        {
            if (!CodePattern().IsMatch(messageCode))
                errors.Add(new($"{path}.messages.{messageCode}", "A code is 1-64 characters: lower-case letters, digits and '_', starting with a letter."));
            else if (!IsText(text))
                errors.Add(new($"{path}.messages.{messageCode}", TextRule));
            else
                messages[messageCode] = text;
        }

        return new ClientTypePolicy(name, consumption, weight, TimeSpan.FromSeconds(ttl),
            idle == 0 ? null : TimeSpan.FromSeconds(idle), code, message) { Messages = messages, BorrowDays = document.BorrowDays, Waits = document.Waits };
    }

    private const string TextRule = "Must be 1-500 characters, without control characters.";

    /// <summary>Text shown to end users: present, not too long, and nothing that could break a screen or a log line.</summary>
    private static bool IsText(string? text) => !string.IsNullOrWhiteSpace(text) && text.Length <= 500 && !text.Any(char.IsControl);

    private static bool TryParseConsumption(string name, out Consumption consumption)
    {
        consumption = name switch { "seat" => Consumption.Seat, "check" => Consumption.Check, "none" => Consumption.None, _ => (Consumption)(-1) };
        return (int)consumption >= 0;
    }
}
