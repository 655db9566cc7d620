using System.Globalization;
using Leasehold.Server.Usage;
using MudBlazor;

namespace Leasehold.Server.WebConsole;

/// <summary>
/// One license's last 24 hours as the overview draws it: peak seats per hour against the seat limit
/// (two line series), and the same said in words for whoever cannot see the chart.
/// </summary>
internal sealed class PeakChart(ConcurrencyResponse report)
{
    public List<ChartSeries<double>> Series { get; } =
    [
        new() { Name = "Peak seats", Data = new ChartData<double>([.. report.Buckets.Select(b => (double)b.PeakSeats)]) },
        new() { Name = $"Seat limit ({report.SeatLimit})", Data = new ChartData<double>([.. report.Buckets.Select(_ => (double)report.SeatLimit)]) },
    ];

    /// <summary>Every third hour is labelled: 24 labels do not fit a phone's width.</summary>
    public string[] Labels { get; } = [.. report.Buckets.Select((b, i) => i % 3 == 0 ? b.Start.ToString("HH:mm", CultureInfo.InvariantCulture) : "")];

    public string Summary { get; } = $"Peak in the last 24 hours: {report.PeakSeats} of {report.SeatLimit} seats.";

    /// <summary>
    /// Whole seats on the vertical axis, from zero; no tooltips (the page has no script to show them);
    /// the seats in the theme's primary colour and the limit in its error red, both dark enough to read
    /// on white (MudBlazor's default second colour is a light cyan).
    /// </summary>
    public static LineChartOptions Options { get; } = new()
    {
        YAxisRequireZeroPoint = true, YAxisTicks = 1, MaxNumYAxisTicks = 6, ShowToolTips = false,
        ChartPalette = ConsoleTheme.ChartPalette,
    };
}
