using Leasehold.Core;
using Leasehold.Core.Tenants;

namespace Leasehold.Server.Validation;

/// <summary>
/// A rule a request field must meet, declared on the property of a request record (or on a handler
/// parameter, such as a header) and checked by <see cref="RequestValidation"/> before the handler runs.
/// Rules on one field run in order and stop at the first that fails.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter, AllowMultiple = true)]
internal abstract class RequestRule : Attribute
{
    /// <summary>Why <paramref name="value"/> breaks the rule (null: it keeps it). May replace the value with its normal form.</summary>
    public abstract string? Check(ref object? value);

    /// <summary>Whether the rules after this one should see <paramref name="value"/> (false: an optional field left out).</summary>
    public virtual bool Continue(object? value) => true;
}

/// <summary>
/// A text field: present (unless <see cref="Optional"/>: then it may be left out, but not sent
/// empty), at most <c>maxLength</c> characters, no control characters (they break logs, CSV and
/// terminals). Passed on trimmed.
/// </summary>
internal sealed class TextAttribute(int maxLength = TextAttribute.DefaultMaxLength) : RequestRule
{
    public const int DefaultMaxLength = 256;

    public bool Optional { get; init; }

    public override string? Check(ref object? value)
    {
        if (value is null && Optional)
            return null;
        var text = value as string;
        if (string.IsNullOrWhiteSpace(text))
            return "Required.";
        if (text.Length > maxLength)
            return $"At most {maxLength} characters.";
        if (text.Any(char.IsControl))
            return "Must not contain control characters.";
        value = text.Trim();
        return null;
    }

    public override bool Continue(object? value) => value is not null;
}

/// <summary>An e-mail address, as far as a license server cares: it has an <c>@</c>.</summary>
internal sealed class EmailAttribute : RequestRule
{
    public override string? Check(ref object? value) =>
        value is string text && text.Contains('@', StringComparison.Ordinal) ? null : "Must be an e-mail address.";
}

/// <summary>An IANA time zone id that the server's tz database knows.</summary>
internal sealed class TimeZoneIdAttribute : RequestRule
{
    public override string? Check(ref object? value) =>
        value is string id && TimeZones.IsKnown(id) ? null : $"'{value}' is not an IANA time zone id (for example Europe/Berlin or Australia/Sydney).";
}

/// <summary>A whole number from <c>min</c> to <c>max</c>; required unless <see cref="Optional"/>.</summary>
internal sealed class WholeNumberAttribute(long min, long max) : RequestRule
{
    public bool Optional { get; init; }

    public override string? Check(ref object? value) => value switch
    {
        null => Optional ? null : "Required.",
        int number when number >= min && number <= max => null,
        long number when number >= min && number <= max => null,
        _ => $"Must be between {min} and {max}.",
    };
}

/// <summary>One of a fixed set of words.</summary>
internal sealed class OneOfAttribute(params string[] allowed) : RequestRule
{
    public override string? Check(ref object? value) =>
        value is string word && allowed.Contains(word, StringComparer.Ordinal) ? null : $"Must be one of: {string.Join(", ", allowed)}.";
}

/// <summary>An <c>Idempotency-Key</c> header: optional; 1-255 printable ASCII characters without spaces.</summary>
internal sealed class IdempotencyKeyAttribute : RequestRule
{
    public override string? Check(ref object? value) => value switch
    {
        null => null,
        string key when key.Length is > 0 and <= 255 && !key.Any(c => c is < '!' or > '~') => null,
        _ => "1-255 printable ASCII characters without spaces (a UUID is a good choice).",
    };
}

/// <summary>
/// A request whose fields also have rules that span several of them, or that read a nested document
/// (a policy, an access plan): checked after every field's own rules, with their errors in one answer.
/// </summary>
internal interface ICheckedRequest
{
    void Check(List<FieldError> errors);
}
