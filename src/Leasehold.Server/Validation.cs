using Leasehold.Core.Policies;

namespace Leasehold.Server;

/// <summary>Checks for the plain string fields of requests; each adds a <see cref="FieldError"/> naming the field.</summary>
internal static class Validation
{
    public static string? Required(this List<FieldError> errors, string? value, string field, int maxLength = 256)
    {
        if (string.IsNullOrWhiteSpace(value))
            errors.Add(new(field, "Required."));
        else if (value.Length > maxLength)
            errors.Add(new(field, $"At most {maxLength} characters."));
        else if (value.Any(char.IsControl))
            errors.Add(new(field, "Must not contain control characters."));
        else
            return value.Trim();
        return null;
    }
}
