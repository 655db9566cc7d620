using System.Text.Json;
using System.Text.Json.Serialization;
using Leasehold.Core;
using Leasehold.Core.Policies;

namespace Leasehold.Cli.Commands;

/// <summary>A policy document read from a file and checked offline with the server's own rules (Leasehold.Core).</summary>
internal sealed record PolicyFile(string Path, JsonElement Document, LicensePolicy? Policy, IReadOnlyList<FieldError> Errors)
{
    /// <summary>The server's strictness: unknown fields, numbers as strings and repeated fields are errors.</summary>
    private static readonly JsonSerializerOptions Strict = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        NumberHandling = JsonNumberHandling.Strict,
        AllowDuplicateProperties = false,
    };

    public bool IsValid => Errors.Count == 0;

    public static PolicyFile Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException(ExitCodes.Usage, $"Cannot read the policy file {path}: {e.Message}", "Check the path.");
        }
        JsonElement document;
        PolicyDocument? parsed;
        try
        {
            document = JsonDocument.Parse(text).RootElement.Clone();
            parsed = JsonSerializer.Deserialize<PolicyDocument>(text, Strict);
        }
        catch (JsonException e)
        {
            var field = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "policy" : "policy" + e.Path.TrimStart('$');
            return new PolicyFile(path, default, null, [new FieldError(field, e.Message)]);
        }
        var errors = new List<FieldError>();
        var policy = PolicyValidation.Build(parsed, "policy", errors);
        return new PolicyFile(path, document, errors.Count == 0 ? policy : null, errors);
    }

    /// <summary>The document, or a refusal that lists what is wrong with it.</summary>
    public JsonElement ValidOrThrow() =>
        IsValid
            ? Document
            : throw new CliException(ExitCodes.Refused,
                $"The policy file {Path} is not valid: " + string.Join("; ", Errors.Select(e => $"{e.Field}: {e.Message}")),
                $"Run `leasehold policy validate {Path}` for the list, and see docs/policies.md.");
}
