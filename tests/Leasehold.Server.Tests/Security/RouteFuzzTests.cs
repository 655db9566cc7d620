using System.Collections.Concurrent;
using System.Diagnostics;
using CsCheck;
using Leasehold.Server.Tests.Support;

namespace Leasehold.Server.Tests.Security;

/// <summary>
/// Property-based fuzzing of every API route (CsCheck): generated requests (<see cref="FuzzRequests"/>)
/// through the real server over HTTP. Whatever is sent, no answer is a 5xx, and every error is
/// problem+json with a <c>code</c>; a key that may change nothing of tenant A (none, malformed, revoked,
/// tenant B's) never gets a 2xx it should not, never sees A's data, and leaves A's rows as they were.
/// CsCheck shrinks a failing request to a small one and prints it. The count is
/// <c>LEASEHOLD_FUZZ_REQUESTS</c> (default 100,000 in all, split over the two properties).
/// </summary>
public sealed class RouteFuzzTests
{
    private static readonly long Total = long.TryParse(Environment.GetEnvironmentVariable("LEASEHOLD_FUZZ_REQUESTS"), out var n) ? n : 100_000;
    private static readonly int Chunk = 5_000;

    private static readonly FuzzKey[] Refused =
    [
        FuzzKey.None, FuzzKey.Malformed, FuzzKey.Unknown, FuzzKey.Revoked,
        FuzzKey.OtherTenantAdmin, FuzzKey.OtherTenantClient, FuzzKey.OtherTenantInstallation,
    ];

    private static readonly FuzzKey[] Entitled = [FuzzKey.Operator, FuzzKey.Admin, FuzzKey.Client, FuzzKey.Installation];

    [Fact]
    public async Task KeysThatMayChangeNothing_NeverGetA5xx_AlwaysGetProblemJson_AndLeaveTenantAsDataAsItWas()
    {
        await using var world = await SecurityWorld.StartAsync();
        var sent = await FuzzAsync(world, Refused, Total / 2, checkTenantA: true);
        sent.ShouldBeGreaterThanOrEqualTo(Total / 2);
    }

    [Fact]
    public async Task KeysOfEveryRole_NeverGetA5xx_AndAlwaysGetProblemJson()
    {
        await using var world = await SecurityWorld.StartAsync();
        var sent = await FuzzAsync(world, Entitled, Total - Total / 2, checkTenantA: false);
        sent.ShouldBeGreaterThanOrEqualTo(Total - Total / 2);
    }

    private static async Task<long> FuzzAsync(SecurityWorld world, FuzzKey[] keys, long count, bool checkTenantA)
    {
        var routes = ApiRoutes.Api(world.Host);
        var shapes = RouteShape.FromOpenApi();
        // Objects the generator may name are tenant A's; revoking A's own client key or replacing its
        // installation key would leave the rest of the run with dead keys, so those two routes name spares.
        var a = world.A;
        if (!checkTenantA)
            a = a with { ClientKeyId = await SpareKeyAsync(world), InstallationId = await SpareInstallationAsync(world) };
        var gen = FuzzRequests.For(routes, shapes, a, world.B, keys);
        var before = checkTenantA ? await TenantASnapshotAsync(world) : "";
        var clock = Stopwatch.StartNew();
        long sent = 0;
        // Tenant A's ids that another tenant's request has stored (a write answered 2xx with the id in its
        // body: a saved state, a device name, ...) or is storing right now: it may read them back later,
        // which shows it nothing it did not know. Every other id of A must never reach anyone else.
        var echoes = new Echoes();
        for (long done = 0; done < count; done += Chunk)
        {
            var suspects = new ConcurrentQueue<string>();
            await gen.SampleAsync(async request =>
            {
                var carried = world.A.Secrets.Where(secret => (request.Body ?? "").Contains(secret, StringComparison.Ordinal)).ToArray();
                echoes.Sending(carried);
                var probe = await SendAsync(world, request);
                Interlocked.Increment(ref sent);
                try
                {
                    Judge(world, request, probe, checkTenantA, echoes); // an answer may quote its own request's body
                }
                finally
                {
                    echoes.Answered(carried, stored: request.Method != "GET" && probe.Status is >= 200 and < 300);
                }
                if (checkTenantA && probe.Status is >= 200 and < 300 && request.Method != "GET")
                    suspects.Enqueue($"{request} -> {probe.Status}");
            }, iter: Math.Min(Chunk, count - done), threads: 4, print: r => r.ToString());
            if (checkTenantA)
            {
                var after = await TenantASnapshotAsync(world);
                after.ShouldBe(before, $"tenant A's rows changed during requests that may change nothing of them: {DatabaseSnapshot.FirstDifference(before, after)}\n"
                    + "requests answered 2xx in that batch:\n" + string.Join("\n", suspects.Take(30)));
            }
        }
        Console.WriteLine($"fuzzed {sent} requests ({string.Join(", ", keys)}) in {clock.Elapsed.TotalSeconds:F1} s");
        return sent;
    }

    /// <summary>What every answer must be, whoever sent what.</summary>
    private static void Judge(SecurityWorld world, FuzzRequest request, Probe probe, bool checkTenantA, Echoes echoes)
    {
        if (probe.Status >= 500)
            throw new InvalidOperationException($"a server error: {probe}");
        // 414 and 431 (a request line or headers past Kestrel's limits) are answered by Kestrel itself,
        // with no body, before the application sees the request: no problem+json can be given there.
        var refusedByKestrel = probe.Status is 414 or 431 && probe.Text.Length == 0;
        if (probe.Status >= 400 && request.Method != "HEAD" && !refusedByKestrel && !ProblemChecks.IsProblemWithCode(probe, out _))
            throw new InvalidOperationException($"an error that is not problem+json with a code: {probe}");
        if (!checkTenantA)
            return;
        if (request.Key is FuzzKey.None or FuzzKey.Malformed or FuzzKey.Unknown or FuzzKey.Revoked && probe.Status is >= 200 and < 400)
            throw new InvalidOperationException($"a request without a working key was answered: {probe}");
        foreach (var secret in world.A.Secrets)
        {
            if (probe.Text.Contains(secret, StringComparison.Ordinal) && !request.Url.Contains(secret, StringComparison.Ordinal) && !echoes.MayShow(secret))
                throw new InvalidOperationException($"shows '{secret}' of tenant A to {request.Key}: {probe}");
        }
    }

    private static Task<Probe> SendAsync(SecurityWorld world, FuzzRequest request)
    {
        var authorization = request.Key switch
        {
            FuzzKey.None => null,
            FuzzKey.Malformed => "Basic " + Convert.ToBase64String("operator:x"u8.ToArray()),
            // A key of the right shape that was never issued costs the server a slow hash (it might be the
            // human-chosen operator key), one at a time: the generator draws it rarely (see Key below).
            FuzzKey.Unknown => "Bearer lh_never-issued-" + request.Url.Length,
            FuzzKey.Revoked => SecurityWorld.Bearer(world.Revoked.Values.ElementAt(request.Url.Length % world.Revoked.Count)),
            FuzzKey.OtherTenantAdmin => SecurityWorld.Bearer(world.B.AdminKey),
            FuzzKey.OtherTenantClient => SecurityWorld.Bearer(world.B.ClientKey),
            FuzzKey.OtherTenantInstallation => SecurityWorld.Bearer(world.B.InstallationKey),
            FuzzKey.Operator => SecurityWorld.Bearer(TestHost.OperatorKey),
            FuzzKey.Admin => SecurityWorld.Bearer(world.A.AdminKey),
            FuzzKey.Client => SecurityWorld.Bearer(world.A.ClientKey),
            _ => SecurityWorld.Bearer(world.A.InstallationKey),
        };
        var headers = new Dictionary<string, string>();
        if (request.Accept is not null)
            headers["Accept"] = Sendable(request.Accept);
        if (request.SessionToken is not null)
            headers[SessionTokenJar.Header] = Sendable(request.SessionToken);
        if (request.IdempotencyKey is not null)
            headers["Idempotency-Key"] = Sendable(request.IdempotencyKey);
        return world.SendAsync(request.Key.ToString(), authorization, request.Method, request.Url, request.Body, headers, request.ContentType);
    }

    /// <summary>A header value HTTP/1.1 can carry at all: no control characters (unicode goes as UTF-8 bytes).</summary>
    private static string Sendable(string value) => new([.. value.Where(c => c >= ' ' && c != '\u007f')]);

    /// <summary>
    /// Every row of the store but those that name one of tenant B's objects: B's keys may change B's own
    /// (make keys, save its session's state, fetch its installation's file), never a row of A's or nobody's.
    /// </summary>
    private static async Task<string> TenantASnapshotAsync(SecurityWorld world)
    {
        var all = await DatabaseSnapshot.TakeAsync(world.Host);
        var b = world.B;
        string[] ofB = [b.TenantId, b.LicenseId, b.ConnectionId, b.SessionId, b.InstallationId, b.AdminKeyId, b.ClientKeyId];
        return string.Join('\n', all.Split('\n').Where(line =>
            !ofB.Any(id => line.Contains(id, StringComparison.Ordinal)) && !line.StartsWith("## ", StringComparison.Ordinal)));
    }

    private static async Task<string> SpareKeyAsync(SecurityWorld world) =>
        (await world.Host.Operator.PostAsync("/v1/api-keys", new { tenantId = world.A.TenantId, role = "client", name = "spare" },
            System.Net.HttpStatusCode.Created)).Str("id");

    private static async Task<string> SpareInstallationAsync(SecurityWorld world) =>
        (await world.Host.Operator.PostAsync("/v1/installations", new { licenseId = world.A.LicenseId, name = "spare", fingerprint = "spare", seats = 0 },
            System.Net.HttpStatusCode.Created)).Str("id");

    /// <summary>Tenant A's ids that requests carry in their bodies: those in flight and those a write stored.</summary>
    private sealed class Echoes
    {
        private readonly ConcurrentDictionary<string, int> _inFlight = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, bool> _stored = new(StringComparer.Ordinal);

        public void Sending(string[] secrets)
        {
            foreach (var secret in secrets)
                _inFlight.AddOrUpdate(secret, 1, (_, n) => n + 1);
        }

        public void Answered(string[] secrets, bool stored)
        {
            foreach (var secret in secrets)
            {
                if (stored)
                    _stored.TryAdd(secret, true);
                _inFlight.AddOrUpdate(secret, 0, (_, n) => n - 1);
            }
        }

        public bool MayShow(string secret) => _stored.ContainsKey(secret) || _inFlight.GetValueOrDefault(secret) > 0;
    }
}
