using System.Text.Json;
using Leasehold.Core;
using Leasehold.Core.Policies;

namespace Leasehold.Cli.Commands;

/// <summary>A policy document read from a file and checked offline with the server's own rules (Leasehold.Core).</summary>
internal sealed record PolicyFile(string Path, JsonElement Document, LicensePolicy? Policy, IReadOnlyList<FieldError> Errors)
{
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
        try
        {
            using var parsed = JsonDocument.Parse(text);
            document = parsed.RootElement.Clone();
        }
        catch (JsonException e)
        {
            return new PolicyFile(path, default, null, [new FieldError("policy", $"Not valid JSON: {e.Message}")]);
        }
        // Every fault at once, each by its path: the shape (unknown fields, wrong types), then the rules.
        var errors = new List<FieldError>();
        var read = PolicyReader.Read(document, "policy", errors);
        var policy = PolicyValidation.Build(read, "policy", errors);
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
