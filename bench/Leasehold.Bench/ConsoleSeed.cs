extern alias server;

using System.Diagnostics;
using System.Text.Json;
using Leasehold.Core.Sessions;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using server::Leasehold.Server;
using server::Leasehold.Server.Background;
using server::Leasehold.Server.Hosting;
using server::Leasehold.Server.Storage;
using server::Leasehold.Server.Storage.Sqlite;

namespace Leasehold.Bench;

/// <summary>
/// The data of the console benchmark (<see cref="ConsoleBench"/>): one tenant in Europe/Berlin with one
/// license, and a year of its history. <see cref="SetupAsync"/> runs against a first server: the
/// tenant, the license (with the seats it had during the year), an admin and a client key, written to
/// the state file. <see cref="SeedAsync"/> runs with no server, on that server's data directory: a year
/// cannot be made over HTTP in real time, so it drives the server's own store and seat decision
/// (<see cref="ISessionDecisions"/>, <see cref="SeatDecision"/>, <see cref="SessionLifecycle"/>) on a
/// simulated clock, as the checkout and release handlers do, then raises the license to its
/// benchmark seats and runs the usage retention pass as the server would at that time.
/// </summary>
internal static class ConsoleSeed
{
    public const string TimeZoneId = "Europe/Berlin";
    private const int Week = 604_800;
    private const int Users = 600;

    /// <summary>What the setup made and the seeding wrote: read by <see cref="ConsoleBench"/>.</summary>
    internal sealed record State(string TenantId, string LicenseId, string AdminKey, string ClientKey, int HistorySeats, int Seats)
    {
        public int Days { get; init; }
        public long Sessions { get; init; }
        public long Refusals { get; init; }
        public long Events { get; init; }
        public int PeakInUse { get; init; }
        public double SeedSeconds { get; init; }
        public int RetentionDays { get; init; }
        public int RolledDays { get; init; }
        public long DatabaseBytes { get; init; }

        public static State Read(string path) => JsonSerializer.Deserialize<State>(File.ReadAllText(path))!;

        public void Write(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, new JsonSerializerOptions { WriteIndented = true }));
    }

    public static async Task SetupAsync(Options options)
    {
        var target = new Target(options);
        await target.WaitReadyAsync(TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(100));
        using var admin = target.Client(target.AdminKey, 4);
        var historySeats = options.Int("history-seats", 220);
        var tenant = await Setup.CreateTenantAsync(admin, "bench-console", TimeZoneId);
        var license = await Setup.CreateLicenseAsync(admin, tenant, "console", historySeats, Setup.LongClient, Week, 0);
        new State(tenant, license, await Setup.CreateKeyAsync(admin, tenant, "admin"), await Setup.CreateClientKeyAsync(admin, tenant),
            historySeats, options.Int("seats", 12_000)).Write(options.Get("state"));
    }

    public static async Task SeedAsync(Options options)
    {
        var statePath = options.Get("state");
        var state = State.Read(statePath);
        var data = options.Get("data");
        var days = options.Int("days", 365);
        var retentionDays = options.Int("retention-days", 400);
        var started = Stopwatch.GetTimestamp();

        // The year ends a minute ago: the live sessions (made over HTTP afterwards) come after it.
        var end = DateTimeOffset.UtcNow.AddMinutes(-1);
        var zone = TimeZoneInfo.FindSystemTimeZoneById(TimeZoneId);
        var firstDay = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(end, zone).Date).AddDays(-days);
        var clock = new FakeTimeProvider(Local(zone, firstDay, TimeSpan.Zero));
        var history = History(new Random(14), zone, firstDay, days, end);

        using var store = new SqliteStore(new StoreOptions(data, Durability.Process), clock);
        await store.MigrateAsync(CancellationToken.None);
        var busy = new HashSet<int>();
        var queue = new PriorityQueue<Step, DateTimeOffset>();
        foreach (var checkout in history)
            queue.Enqueue(checkout, checkout.At);
        long sessions = 0, refusals = 0;
        var inUse = 0;
        var peak = 0;
        var random = new Random(15);
        var progress = Stopwatch.GetTimestamp();
        while (queue.TryDequeue(out var step, out var at))
        {
            if (at > clock.GetUtcNow())
                clock.SetUtcNow(at);
            if (step.SessionId is { } id)
            {
                await store.DecideOnSessionAsync(id, null, (session, _) => SessionLifecycle.Release(session, at), CancellationToken.None);
                busy.Remove(step.User);
                inUse--;
                continue;
            }
            // A user holds one session at a time: the next free one takes this checkout.
            var user = step.User;
            while (busy.Contains(user))
                user = (user + 1) % Users;
            var request = new CheckoutRequest(Ids.Session(at), $"user-{user:D4}", $"pc-{user:D4}", Setup.LongClient);
            var result = await store.DecideOnLicenseAsync(new LedgerQuery(state.LicenseId, null),
                ledger => SeatDecision.Checkout(ledger, request, at), CancellationToken.None);
            if (result is CheckoutResult.Admitted admitted)
            {
                sessions++;
                busy.Add(user);
                peak = Math.Max(peak, ++inUse);
                var releaseAt = at + step.Duration;
                queue.Enqueue(new Step(releaseAt, user, TimeSpan.Zero, admitted.Session.Id), releaseAt < end ? releaseAt : end);
            }
            else if (result is CheckoutResult.Denied)
            {
                refusals++;
                // Half of those refused try again 20 to 60 minutes later (those refused again give up).
                if (!step.Retry && random.Next(2) == 0 && at.AddMinutes(60) < end)
                {
                    var again = at.AddMinutes(random.Next(20, 61));
                    queue.Enqueue(step with { At = again, Retry = true }, again);
                }
            }
            else
            {
                throw new InvalidOperationException($"The seeding checkout was answered {result}.");
            }
            if (Stopwatch.GetElapsedTime(progress).TotalSeconds >= 15)
            {
                progress = Stopwatch.GetTimestamp();
                await Console.Error.WriteLineAsync($"  seeding: {at:yyyy-MM-dd}, {sessions:N0} sessions, {refusals:N0} refusals so far");
            }
        }

        // The customer bought the seats the benchmark's live sessions need, at the end of the year.
        var license = await store.GetLicenseAsync(state.LicenseId, null, CancellationToken.None)
            ?? throw new InvalidOperationException($"License {state.LicenseId} is not in {data}.");
        await store.UpdateLicenseAsync(license with { Seats = state.Seats }, clock.GetUtcNow(), [], CancellationToken.None);

        // The retention job as the server runs it (every hour): raw events older than the retention are folded into hourly rollups.
        var settings = new LeaseholdSettings(data, Durability.Process, null, TimeSpan.FromSeconds(5)) { UsageRetention = TimeSpan.FromDays(retentionDays) };
        var rolled = await new UsageRetention(store, store, clock, settings, NullLogger<UsageRetention>.Instance).RollUpOnceAsync(CancellationToken.None);
        store.Dispose();

        var written = state with
        {
            Days = days,
            Sessions = sessions,
            Refusals = refusals,
            Events = CountEvents(Path.Combine(data, "leasehold.db")),
            PeakInUse = peak,
            SeedSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds,
            RetentionDays = retentionDays,
            RolledDays = rolled,
            DatabaseBytes = new[] { "leasehold.db", "leasehold.db-wal" }.Select(f => new FileInfo(Path.Combine(data, f))).Where(f => f.Exists).Sum(f => f.Length),
        };
        written.Write(statePath);
        Console.WriteLine($"  seeded {days} days in {written.SeedSeconds:F1} s: {sessions:N0} sessions, {refusals:N0} refusals, " +
            $"{written.Events:N0} usage events, peak {peak} of {state.HistorySeats} seats; retention {retentionDays} days rolled {rolled} license-days");
    }

    /// <summary>The usage events written, after copying the write-ahead log into the database file (so its size is the data's).</summary>
    private static long CountEvents(string database)
    {
        using var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Pooling = false }.ToString());
        db.Open();
        Target.Scalar(db, "PRAGMA wal_checkpoint(TRUNCATE)");
        return Target.Scalar(db, "SELECT count(*) FROM usage_events");
    }

    /// <summary>A checkout to make (<see cref="SessionId"/> null) or a release (of that session).</summary>
    private sealed record Step(DateTimeOffset At, int User, TimeSpan Duration, string? SessionId = null)
    {
        public bool Retry { get; init; }
    }

    /// <summary>
    /// The year's checkouts: on working days 200-400 sessions of 1-8 hours, two thirds starting
    /// between 07:30 and 10:00 (so late mornings peak near the seats of the year, and the busiest days
    /// are refused some), quieter in August and between Christmas and New Year; 5-30 short ones on a
    /// weekend day. Times in the tenant's zone.
    /// </summary>
    private static List<Step> History(Random random, TimeZoneInfo zone, DateOnly firstDay, int days, DateTimeOffset end)
    {
        var steps = new List<Step>();
        for (var d = 0; d < days; d++)
        {
            var day = firstDay.AddDays(d);
            var weekend = day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;
            var quiet = day.Month == 8 || (day.Month == 12 && day.Day >= 24) || (day.Month == 1 && day.Day == 1);
            var count = weekend ? random.Next(5, 31) : random.Next(200, 401);
            if (quiet && !weekend)
                count /= 3;
            for (var i = 0; i < count; i++)
            {
                var startMinutes = weekend || random.Next(3) == 0 ? random.Next(10 * 60, 19 * 60) : random.Next(7 * 60 + 30, 10 * 60);
                var at = Local(zone, day, TimeSpan.FromMinutes(startMinutes) + TimeSpan.FromSeconds(random.Next(60)));
                var duration = TimeSpan.FromMinutes(weekend ? random.Next(30, 181) : random.Next(60, 481));
                if (at < end)
                    steps.Add(new Step(at, random.Next(Users), duration));
            }
        }
        return steps;
    }

    private static DateTimeOffset Local(TimeZoneInfo zone, DateOnly day, TimeSpan time)
    {
        var local = day.ToDateTime(TimeOnly.MinValue).Add(time);
        return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
    }
}
