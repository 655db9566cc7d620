using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace Leasehold.Bench;

/// <summary>
/// The web console's pages with a real amount of data (issue 14): on a server whose data directory
/// <see cref="ConsoleSeed"/> filled with a year of history, first 10,000 live sessions by HTTP
/// checkouts, then each page signed in as the tenant's admin or as the operator: a few GETs to warm
/// up, then N sequential GETs on one connection, timed from the request to the last byte, with the
/// server's CPU over them. The baseline is <c>GET /healthz</c>, measured the same way before and
/// after the pages; pages are quoted in ms and as a multiple of its p50. A page that answers 404
/// (not built yet) is reported as n/a.
/// </summary>
internal static partial class ConsoleBench
{
    private sealed record Page(string Label, string Who, string Path);

    private sealed record Measured(Page Page, int Status, double P50, double P95, double Max, long Bytes, double CpuMs, string Error)
    {
        public bool Answered => Status == 200 && Error.Length == 0;
    }

    public static async Task RunAsync(Options options)
    {
        var target = new Target(options);
        var results = new Results(options.Get("out"), "6-console");
        var state = ConsoleSeed.State.Read(options.Get("state"));
        var liveSessions = options.Int("live-sessions", 10_000);
        var requests = options.Int("requests", 20);
        var warmups = options.Int("warmups", 3);
        await target.WaitReadyAsync(TimeSpan.FromSeconds(120), TimeSpan.FromMilliseconds(100));

        using (var client = target.Client(state.ClientKey, 64))
        {
            var op = new OpStats("checkout (setup)");
            var took = await Setup.CreateSessionsAsync(new Requester(client, Window.Always), op, [state.LicenseId], liveSessions, 0, liveSessions,
                64, Setup.LongClient, progressLabel: "live sessions");
            if (op.Errors > 0)
                throw new InvalidOperationException($"Creating the live sessions failed: {op.ErrorSummary()}");
            await Console.Error.WriteLineAsync($"  {liveSessions:N0} live sessions in {took.TotalSeconds:F1} s");
        }

        using var anonymous = Browser(target, new CookieContainer());
        using var tenantAdmin = await SignInAsync(target, state.AdminKey);
        using var vendor = await SignInAsync(target, target.AdminKey);
        var clients = new Dictionary<string, HttpClient>(StringComparer.Ordinal)
        {
            ["anyone"] = anonymous, ["tenant admin"] = tenantAdmin, ["operator"] = vendor,
        };

        // The usage page's times are the tenant's wall clock (yyyy-MM-ddTHH:mm, as a datetime-local input sends them).
        var zone = TimeZoneInfo.FindSystemTimeZoneById(ConsoleSeed.TimeZoneId);
        var now = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, zone);
        string Wall(DateTimeOffset t) => t.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);
        var year = $"from={Wall(now.AddYears(-1))}&to={Wall(now)}";
        var license = Uri.EscapeDataString(state.LicenseId);
        var pages = new List<Page>
        {
            new("sign-in form (no data)", "anyone", "/console/sign-in"),
            new("overview", "tenant admin", "/console"),
            new("active users, page 1", "tenant admin", "/console/sessions"),
            new("active users, page 50", "tenant admin", "/console/sessions?page=50"),
            new("API keys", "tenant admin", "/console/keys"),
            new("usage, last 7 days", "tenant admin", "/console/usage"),
            new("usage, a year", "tenant admin", $"/console/usage?{year}"),
            new("usage, a year, the license's refusals", "tenant admin", $"/console/usage?{year}&licenseId={license}&kind=denied"),
            new("licenses", "tenant admin", "/console/licenses"),
            new("license", "tenant admin", $"/console/licenses/{license}"),
            new("connections", "tenant admin", "/console/connections"),
            new("overview, every tenant", "operator", "/console"),
            new("tenants", "operator", "/console/tenants"),
            new("active users, every tenant", "operator", "/console/sessions"),
        };

        var healthz = new Page("baseline GET /healthz", "anyone", "/healthz");
        var before = await MeasureAsync(target, anonymous, healthz, warmups, requests);
        var measured = new List<Measured>();
        foreach (var page in pages)
        {
            await Console.Error.WriteLineAsync($"  page: {page.Path} as {page.Who} ...");
            measured.Add(await MeasureAsync(target, clients[page.Who], page, warmups, requests));
        }
        var after = await MeasureAsync(target, anonymous, healthz with { Label = "baseline GET /healthz (again)" }, warmups, requests);
        var baseline = (before.P50 + after.P50) / 2;
        // The sign-in form is a console page with no data: what rendering alone costs, for telling it from the data's cost.
        var empty = measured[0].P50;

        var answered = measured.Where(m => m.Answered && m.Page.Who != "anyone").ToList();
        var slowest = answered.MaxBy(m => m.P95);
        var errors = measured.Count(m => !m.Answered && m.Status != 404);
        results.Set("console.live", liveSessions);
        results.Set("console.days", state.Days);
        results.Set("console.events", state.Events);
        results.Set("console.baseline.p50", baseline);
        results.Set("console.pages", answered.Count);
        results.Set("console.missing", measured.Count(m => m.Status == 404));
        results.Set("console.errors", errors);
        results.Set("console.signin.p50", empty);
        if (slowest is not null)
        {
            results.Set("console.p95.max", slowest.P95);
            results.Set("console.p95.max.index", pages.IndexOf(slowest.Page));
        }

        results.Line($"One tenant ({ConsoleSeed.TimeZoneId}) with one license of {state.Seats:N0} seats: {liveSessions:N0} live sessions (HTTP checkouts " +
            $"just before the pages) and {state.Days} days of history before them, written in the benchmark's process by the server's own store and seat " +
            $"decision on a simulated clock: {state.Sessions:N0} sessions (working days 200-400 of 1-8 hours, quieter in August and at Christmas; " +
            $"weekends 5-30) on the {state.HistorySeats} seats the license had then (peak {state.PeakInUse} in use), {state.Refusals:N0} refusals " +
            $"(half retried 20-60 min later); {state.Events:N0} usage events in all; seeded in {Format.Seconds(state.SeedSeconds)}; database " +
            $"{Format.MiB(state.DatabaseBytes)} after seeding. Usage retention {state.RetentionDays} days (the server's default), run once at the " +
            $"end of the year as the server runs it every hour: {state.RolledDays} license-days rolled up.");
        results.Line();
        results.Line($"Each page: {warmups} GETs to warm up, then {requests} sequential GETs on one keep-alive connection, timed from sending to the " +
            "last byte; server CPU is utime+stime of /proc/PID/stat over those GETs (10 ms ticks), per GET. The baseline is GET /healthz measured " +
            $"the same way before and after the pages: p50 {Format.Ms(before.P50)} and {Format.Ms(after.P50)} ms, mean {Format.Ms(baseline)} ms; " +
            "\"x baseline\" is a page's p50 over that mean; \"x sign-in form\" over the p50 of the sign-in form, a console page with no data " +
            "(what rendering a page costs without the data).");
        results.Line();
        results.Line("| page | as | GET | status | p50 ms | p95 ms | max ms | x baseline (p50) | x sign-in form (p50) | server CPU per GET | HTML |");
        results.Line("|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|");
        foreach (var m in measured.Prepend(before).Append(after))
        {
            var path = m.Page.Path.Length > 60 ? m.Page.Path[..57] + "..." : m.Page.Path;
            if (!m.Answered)
            {
                var why = m.Status == 404 ? "n/a (404: no such page in this build)" : $"**error**: {m.Error}";
                results.Line($"| {m.Page.Label} | {m.Page.Who} | `{path}` | {m.Status} | {why} | | | | | | |");
                continue;
            }
            results.Line($"| {m.Page.Label} | {m.Page.Who} | `{path}` | {m.Status} | {Format.Ms(m.P50)} | {Format.Ms(m.P95)} | {Format.Ms(m.Max)} | " +
                $"{Format.N0(m.P50 / baseline)}x | {Format.F(m.P50 / empty, m.P50 < empty ? 2 : 1)}x | {Format.Ms(m.CpuMs)} ms | {Format.N0(m.Bytes / 1024.0)} KiB |");
        }
        results.Line();
        results.Line($"The year's usage page queries use from={Wall(now.AddYears(-1))} to={Wall(now)} (the tenant's time). " +
            $"After the pages: server RSS {Format.MiB(target.RssBytes())} (peak {Format.MiB(target.PeakRssBytes())}).");
        results.Save();
    }

    /// <summary>Warm-up GETs, then <paramref name="requests"/> timed ones, one after the other.</summary>
    private static async Task<Measured> MeasureAsync(Target target, HttpClient client, Page page, int warmups, int requests)
    {
        var uri = new Uri(page.Path, UriKind.Relative);
        async Task<(int Status, long Bytes, string Error)> GetAsync()
        {
            using var response = await client.GetAsync(uri);
            var body = await response.Content.ReadAsByteArrayAsync();
            var status = (int)response.StatusCode;
            // A redirect here is the sign-in page: the cookie was refused.
            var error = status switch
            {
                200 => "",
                404 => "",
                _ => $"HTTP {status}{(response.Headers.Location is { } to ? " to " + to : "")}",
            };
            return (status, body.Length, error);
        }

        for (var i = 0; i < warmups; i++)
        {
            var (status, _, error) = await GetAsync();
            if (status != 200)
                return new Measured(page, status, double.NaN, double.NaN, double.NaN, 0, double.NaN, error);
        }
        var times = new double[requests];
        long bytes = 0;
        var cpu = target.CpuSeconds();
        for (var i = 0; i < requests; i++)
        {
            var started = Stopwatch.GetTimestamp();
            var (status, size, error) = await GetAsync();
            times[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (status != 200)
                return new Measured(page, status, double.NaN, double.NaN, double.NaN, 0, double.NaN, error);
            bytes = size;
        }
        var cpuMs = (target.CpuSeconds() - cpu) * 1000 / requests;
        Array.Sort(times);
        return new Measured(page, 200, Percentile(times, 50), Percentile(times, 95), times[^1], bytes, cpuMs, "");
    }

    /// <summary>Nearest rank of sorted <paramref name="sorted"/>.</summary>
    private static double Percentile(double[] sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];

    /// <summary>A browser's client: one keep-alive connection, its own cookies, no redirects followed (a redirect is an answer to judge).</summary>
    private static HttpClient Browser(Target target, CookieContainer cookies) => new(new SocketsHttpHandler
    {
        CookieContainer = cookies,
        UseCookies = true,
        AllowAutoRedirect = false,
        MaxConnectionsPerServer = 1,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        UseProxy = false,
        AutomaticDecompression = DecompressionMethods.None,
    })
    {
        BaseAddress = target.Url,
        Timeout = TimeSpan.FromSeconds(120),
        DefaultRequestVersion = HttpVersion.Version11,
        DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
    };

    /// <summary>
    /// Signs in as a browser does (Pages/SignIn.razor): GET the form, post its hidden fields (the
    /// form's name and the anti-forgery token) with the key, and keep the console's cookie.
    /// </summary>
    private static async Task<HttpClient> SignInAsync(Target target, string key)
    {
        var cookies = new CookieContainer();
        var client = Browser(target, cookies);
        var form = await client.GetStringAsync(new Uri("/console/sign-in", UriKind.Relative));
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var input in InputTag().Matches(form).Select(m => m.Value))
        {
            string? Attribute(string name) => Regex.Match(input, "\\s" + name + "=\"([^\"]*)\"") is { Success: true } a ? WebUtility.HtmlDecode(a.Groups[1].Value) : null;
            if (Attribute("type") == "hidden" && Attribute("name") is { } field)
                fields[field] = Attribute("value") ?? "";
        }
        if (!fields.ContainsKey("__RequestVerificationToken"))
            throw new InvalidOperationException("The sign-in form has no anti-forgery token.");
        fields["Form.Key"] = key;
        using var content = new FormUrlEncodedContent(fields);
        using var answer = await client.PostAsync(new Uri("/console/sign-in", UriKind.Relative), content);
        if ((int)answer.StatusCode is < 300 or >= 400 || cookies.GetCookies(new Uri(target.Url, "/console"))["leasehold-console"] is null)
            throw new InvalidOperationException($"Signing in to the console answered {(int)answer.StatusCode} without its cookie.");
        return client;
    }

    [GeneratedRegex("<input[^>]*>")]
    private static partial Regex InputTag();
}
