namespace Leasehold.Server.WebConsole;

/// <summary>The look of the console's plain form fields (static rendering: no MudBlazor inputs, which need interactivity).</summary>
internal static class ConsoleForms
{
    public const string Input = "display: block; width: 100%; margin: 4px 0 12px; padding: 6px; border: 1px solid #767676; border-radius: 4px";

    public const string TextArea = Input + "; font-family: monospace; font-size: 13px";

    /// <summary>aria-invalid for a field with errors (null: the attribute is left out).</summary>
    public static string? Invalid(FormProblem? problem, string field) => problem?.Under(field).Any() == true ? "true" : null;
}
