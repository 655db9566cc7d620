using MudBlazor;

namespace Leasehold.Server.WebConsole;

/// <summary>MudBlazor's default theme with colours dark enough for small text on white (WCAG AA, 4.5:1).</summary>
internal static class ConsoleTheme
{
    public static MudTheme Value { get; } = new()
    {
        // Warning darker than MudBlazor's orange: the overview's alerts write in it on a light tint.
        PaletteLight = new PaletteLight { Error = "#c62828", Primary = "#4a3bd1", Warning = "#8c4a00" },
    };

    /// <summary>
    /// The charts' series colours: seats in the primary colour, the limit (the second series) in the
    /// error red, then darker tones; MudBlazor's default second colour is a light cyan, hard to see on white.
    /// </summary>
    public static string[] ChartPalette { get; } = ["#4a3bd1", "#c62828", "#2e7d32", "#8c4a00", "#455a64"];
}
