using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Leasehold.Core;
using Leasehold.Core.Installations;
using Leasehold.Core.Licenses;
using Leasehold.Core.Policies;
using Leasehold.Core.Tenants;
using Leasehold.Server.Errors;
using Leasehold.Server.Hosting;
using Leasehold.Server.Storage;

namespace Leasehold.Server.Installations;

/// <summary>
/// What an installation remembers across restarts (<c>installation.json</c> in its data directory,
/// readable by the server's user only): the highest serial it took, the latest time it saw, and the
/// installation and product its files are for.
/// </summary>
/// <param name="LastAttempt">The last attempt to fetch a file (by hand or by itself), so its status says it after a restart too.</param>
internal sealed record InstallationState(long Serial, DateTimeOffset LatestSeen, string InstallationId, string Product, RenewalAttempt? LastAttempt = null);

/// <summary>What a license file grants, as the installation's answers show it.</summary>
internal sealed record LicenseFileSummary(long Serial, int Seats, DateTimeOffset? EndsAt, DateTimeOffset RefreshBy, DateTimeOffset UsableUntil)
{
    public static LicenseFileSummary Of(AcceptedLicenseFile accepted) =>
        new(accepted.File.Serial, accepted.File.Seats, accepted.File.EndsAt, accepted.File.RefreshBy, accepted.UsableUntil);
}

/// <summary>One attempt to fetch a new file from the issuer: by hand (Update) or by the installation itself.</summary>
/// <param name="Code">Why it failed (<c>issuer_unreachable</c>, a <c>license_file_*</c> code, ...); null when a new file was taken.</param>
internal sealed record RenewalAttempt(DateTimeOffset At, bool Automatic, string? Code, string Message);

/// <summary>An installation's license as its status shows it: the file, its renewal window, the next attempt and the last one, taken together.</summary>
internal sealed record InstallationSnapshot(AcceptedLicenseFile Current, DateTimeOffset RenewFrom, DateTimeOffset? NextAttemptAt, RenewalAttempt? LastAttempt);

/// <summary>What an update did: the file before and after, or why the current file was kept.</summary>
internal abstract record UpdateResult
{
    private UpdateResult() { }

    public sealed record Taken(LicenseFileSummary Before, LicenseFileSummary After) : UpdateResult;

    public sealed record Failed(ProblemCode Code, string Reason) : UpdateResult;
}

/// <summary>
/// The license an installation-mode server runs on (installations.md). At start the file given with
/// <c>--license-file</c> is verified against the issuer's pinned keys and judged by the rules an
/// installation applies alone (<see cref="LicenseFileCheck"/>); the license it grants is written into
/// this server's own store, which enforces it with the same API and SDK as any Leasehold server.
/// <see cref="UpdateAsync"/> fetches a newer file from the issuer with the installation key, takes it
/// by the same rules (the current file stays until a new one verifies), writes it over the configured
/// file and tells the issuer which serial it now runs on. <see cref="CheckClock"/> watches for a
/// clock set back while running: then nothing is served until it is set right.
/// </summary>
internal sealed class InstallationLicense : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly LeaseholdSettings _settings;
    private readonly ITenantStore _tenants;
    private readonly TimeProvider _clock;
    private readonly ILogger<InstallationLicense> _log;
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private readonly HttpClient? _issuer;
    private IReadOnlyList<SigningJwk> _keys = [];
    private InstallationState? _state;
    private int _attemptsInWindow;
    private volatile bool _clockMovedBack;

    public InstallationLicense(LeaseholdSettings settings, ITenantStore tenants, TimeProvider clock, ILogger<InstallationLicense> log)
    {
        (_settings, _tenants, _clock, _log) = (settings, tenants, clock, log);
        if (settings.Issuer is { } issuer && settings.InstallationKey is { } key)
        {
            _issuer = new HttpClient { BaseAddress = issuer, Timeout = TimeSpan.FromSeconds(30) };
            _issuer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
    }

    public string StatePath => Path.Combine(_settings.DataDirectory, "installation.json");

    /// <summary>The file this installation serves by (null only before start).</summary>
    public AcceptedLicenseFile? Current { get; private set; }

    public bool ClockMovedBack => _clockMovedBack;

    /// <summary>The latest time this installation has seen (it refuses to serve before it, less the tolerance).</summary>
    public DateTimeOffset LatestSeen => _state?.LatestSeen ?? DateTimeOffset.MinValue;

    /// <summary>The issuing server's address (null: none set).</summary>
    public Uri? Issuer => _settings.Issuer;

    /// <summary>Whether this installation can fetch files itself (an issuer address and an installation key are set).</summary>
    public bool CanUpdate => _issuer is not null;

    public RenewalAttempt? LastAttempt { get; private set; }

    /// <summary>
    /// What the status page shows, published in one step at the end of a start or an update: the file,
    /// the attempt that took it and the next attempt, never a new file with an old attempt (null before start).
    /// </summary>
    public InstallationSnapshot? Snapshot { get; private set; }

    /// <summary>When the installation will next try to fetch a file by itself (null: it cannot, it renews only by hand, or it has not started).</summary>
    public DateTimeOffset? NextAttemptAt { get; private set; }

    /// <summary>From when the installation tries by itself: the policy's <c>renewDaysBefore</c> before its file ends.</summary>
    public DateTimeOffset? RenewFrom => Current is { } current ? Renewal.WindowOpens(current.File, current.Policy.Expiry.RenewDaysBefore) : null;

    /// <summary>Verifies and takes the configured file; a file that does not pass stops the start (<see cref="StartRefusedException"/>).</summary>
    public async Task StartAsync(CancellationToken ct)
    {
        _keys = ReadKeys();
        var text = File.Exists(_settings.LicenseFile) ? await File.ReadAllTextAsync(_settings.LicenseFile!, ct)
            : throw new StartRefusedException(Codes.LicenseFileMalformed, $"There is no license file {_settings.LicenseFile}.");
        _state = await ReadStateAsync(ct);
        LastAttempt = _state?.LastAttempt;
        var now = _clock.Now();
        var (accepted, refused) = Judge(text, now);
        if (refused is not null)
            throw new StartRefusedException(refused.Code, refused.Reason);
        await TakeAsync(accepted!, text: null, now, ct);
        Schedule(now, tried: false);
        Publish();
        _log.LogInformation("Installation {Installation} of license {License}: {Seats} seats of {Product}, file serial {Serial}, usable until {UsableUntil:u}",
            accepted!.File.InstallationId, accepted.File.LicenseId, accepted.File.Seats, accepted.File.Product, accepted.File.Serial, accepted.UsableUntil);
    }

    /// <summary>
    /// Fetches a new file from the issuer now and takes it if it passes every rule a file given at
    /// start must pass; otherwise keeps the current file and says why.
    /// </summary>
    public async Task<UpdateResult> UpdateAsync(bool automatic, CancellationToken ct)
    {
        await _oneAtATime.WaitAsync(ct);
        try
        {
            var result = await FetchAndTakeAsync(ct);
            var now = _clock.Now();
            LastAttempt = result switch
            {
                UpdateResult.Taken taken => new RenewalAttempt(now, automatic, null, $"Took file serial {taken.After.Serial}."),
                UpdateResult.Failed failed => new RenewalAttempt(now, automatic, failed.Code.Code, failed.Reason),
                _ => throw new InvalidOperationException("Unknown update result."),
            };
            if (_state is not null)
            {
                _state = _state with { LastAttempt = LastAttempt };
                await WriteStateAsync(_state, ct);
            }
            if (result is UpdateResult.Failed failure)
                _log.LogWarning("Updating the license file failed ({Code}): {Reason}", failure.Code.Code, failure.Reason);
            Schedule(now, tried: true);
            Publish();
            return result;
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    /// <summary>
    /// Compares the clock with the latest time seen: a clock set back by more than the tolerance stops
    /// all serving until it reads right again; a clock that moved on is remembered.
    /// </summary>
    public async Task CheckClock(CancellationToken ct)
    {
        if (_state is not { } state)
            return;
        var now = _clock.Now();
        var movedBack = LicenseFileCheck.ClockMovedBack(now, state.LatestSeen);
        if (movedBack && !_clockMovedBack)
            _log.LogError("The clock reads {Now:u}, but this installation has already seen {LatestSeen:u}: it serves nothing until the clock is set right.",
                now, state.LatestSeen);
        _clockMovedBack = movedBack;
        if (!movedBack && now > state.LatestSeen)
        {
            await _oneAtATime.WaitAsync(ct);
            try
            {
                _state = _state with { LatestSeen = now > _state.LatestSeen ? now : _state.LatestSeen };
                await WriteStateAsync(_state, ct);
            }
            finally
            {
                _oneAtATime.Release();
            }
        }
    }

    private async Task<UpdateResult> FetchAndTakeAsync(CancellationToken ct)
    {
        if (_issuer is null)
            return new UpdateResult.Failed(ProblemCodes.IssuerNotConfigured,
                "Set the issuer's address (--issuer, LEASEHOLD_ISSUER) and this installation's key (LEASEHOLD_INSTALLATION_KEY) to update from it.");
        var before = Current!;
        string text;
        try
        {
            using var answer = await _issuer.PostAsJsonAsync("/v1/installations/self/license-file", new { takenSerial = before.File.Serial }, ct);
            if (!answer.IsSuccessStatusCode)
                return new UpdateResult.Failed((int)answer.StatusCode >= 500 ? ProblemCodes.IssuerUnreachable : ProblemCodes.IssuerRefused,
                    $"The issuer answered {(int)answer.StatusCode}: {await DetailAsync(answer, ct)}");
            text = (await answer.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("licenseFile").GetString() ?? "";
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException or InvalidOperationException
                                   && !ct.IsCancellationRequested)
        {
            return new UpdateResult.Failed(ProblemCodes.IssuerUnreachable, $"No license file from {_issuer.BaseAddress}: {e.Message}");
        }

        var now = _clock.Now();
        var (accepted, refused) = Judge(text, now);
        if (refused is not null)
            return new UpdateResult.Failed(ProblemCodes.ForFileRefusal(refused.Code), refused.Reason);
        await TakeAsync(accepted!, text, now, ct);
        await ReportTakenAsync(accepted!.File.Serial, ct);
        return new UpdateResult.Taken(LicenseFileSummary.Of(before), LicenseFileSummary.Of(accepted));
    }

    /// <summary>Tells the issuer the serial this installation runs on; if it cannot now, the next fetch says it (<c>takenSerial</c>).</summary>
    private async Task ReportTakenAsync(long serial, CancellationToken ct)
    {
        try
        {
            using var answer = await _issuer!.PostAsJsonAsync("/v1/installations/self/taken", new { serial }, ct);
            if (!answer.IsSuccessStatusCode)
                _log.LogWarning("The issuer did not record file serial {Serial} as taken ({Status}); the next update tells it again.", serial, (int)answer.StatusCode);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            _log.LogWarning("The issuer did not hear that file serial {Serial} was taken ({Message}); the next update tells it again.", serial, e.Message);
        }
    }

    private static async Task<string> DetailAsync(HttpResponseMessage answer, CancellationToken ct)
    {
        var body = await answer.Content.ReadAsStringAsync(ct);
        try
        {
            using var problem = JsonDocument.Parse(body);
            if (problem.RootElement.TryGetProperty("detail", out var detail) && detail.GetString() is { } text)
                return text;
        }
        catch (JsonException)
        {
        }
        return body.Length > 200 ? body[..200] : body;
    }

    /// <summary>Reads a file against the pinned keys and judges it against what this installation remembers.</summary>
    private (AcceptedLicenseFile?, LicenseFileReading.Refused?) Judge(string text, DateTimeOffset now)
    {
        var reading = LicenseFiles.Read(text, _keys);
        if (reading is LicenseFileReading.Refused unread)
            return (null, unread);
        var file = ((LicenseFileReading.Signed)reading).File;
        if (_state is { } state && state.InstallationId != file.InstallationId)
            return (null, new LicenseFileReading.Refused(Codes.LicenseFileWrongProduct,
                $"The file is for installation {file.InstallationId}; this one is {state.InstallationId}."));
        var memory = _state is null ? InstallationMemory.None : new InstallationMemory(_state.Serial, _state.LatestSeen);
        return LicenseFileCheck.Judge(file, _state?.Product, memory, now);
    }

    /// <summary>
    /// Makes <paramref name="accepted"/> the file this installation serves by: written over the
    /// configured file first (when it came from the issuer), so a restart starts on it; then the
    /// memory; then the license in the store.
    /// </summary>
    private async Task TakeAsync(AcceptedLicenseFile accepted, string? text, DateTimeOffset now, CancellationToken ct)
    {
        if (text is not null)
        {
            var next = _settings.LicenseFile + ".next";
            await File.WriteAllTextAsync(next, text, ct);
            File.Move(next, _settings.LicenseFile!, overwrite: true);
        }
        _state = new InstallationState(accepted.Memory.Serial, accepted.Memory.LatestSeen, accepted.File.InstallationId, accepted.File.Product, _state?.LastAttempt);
        await WriteStateAsync(_state, ct);
        await ApplyAsync(accepted, now, ct);
        Current = accepted;
    }

    private void Publish() => Snapshot = new InstallationSnapshot(Current!, RenewFrom!.Value, NextAttemptAt, LastAttempt);

    /// <summary>The next attempt by itself: at once or when the window opens, later after each attempt inside the window.</summary>
    private void Schedule(DateTimeOffset now, bool tried)
    {
        if (_issuer is null || Current is null || !_settings.AutoRenew)
            return;
        var opens = RenewFrom!.Value;
        _attemptsInWindow = tried && now >= opens ? _attemptsInWindow + 1 : 0;
        NextAttemptAt = Renewal.NextAttempt(now, opens, _attemptsInWindow, _settings.RenewRetry, Random.Shared.NextDouble());
    }

    /// <summary>
    /// Writes the granted license into this server's store: its tenant, and the license with the file's
    /// seats and policy, ending so that it refuses from the file's last usable moment (its refresh-by
    /// date or the license's end plus grace, whichever comes first).
    /// </summary>
    private async Task ApplyAsync(AcceptedLicenseFile accepted, DateTimeOffset now, CancellationToken ct)
    {
        var file = accepted.File;
        if (await _tenants.GetTenantAsync(file.TenantId, null, ct) is null)
            await _tenants.CreateTenantAsync(new Tenant(file.TenantId, file.TenantId, file.TimeZone, now), [], ct);
        var endsAt = accepted.UsableUntil.AddDays(-accepted.Policy.Expiry.GraceDays);
        if (await _tenants.GetLicenseAsync(file.LicenseId, null, ct) is not { } current)
        {
            await _tenants.CreateLicenseAsync(new License(file.LicenseId, file.TenantId, file.Product, file.Seats, accepted.Policy, now) { EndsAt = endsAt }, [], ct);
            return;
        }
        // Policies are compared as their documents: a restart on the same file keeps the policy's version.
        var policyChanged = JsonSerializer.Serialize(PolicyDocument.From(accepted.Policy), Json) != JsonSerializer.Serialize(PolicyDocument.From(current.Policy), Json);
        await _tenants.UpdateLicenseAsync(current with
        {
            Seats = file.Seats,
            Policy = accepted.Policy,
            EndsAt = endsAt,
            PolicyVersion = policyChanged ? current.PolicyVersion + 1 : current.PolicyVersion,
        }, now, [], ct); // the issuer's file, taken by the server itself: no admin's change to record
    }

    private IReadOnlyList<SigningJwk> ReadKeys()
    {
        if (_settings.IssuerKeysFile is null)
            throw new StartRefusedException(Codes.LicenseFileUnknownKey, "Installation mode needs the issuer's public keys: --issuer-keys FILE (as `leasehold signing-keys export` writes them).");
        try
        {
            return SigningJwk.ReadSet(File.ReadAllText(_settings.IssuerKeysFile));
        }
        catch (Exception e) when (e is IOException or FormatException)
        {
            throw new StartRefusedException(Codes.LicenseFileUnknownKey, $"{_settings.IssuerKeysFile} is not the issuer's key set ({e.Message}).");
        }
    }

    private async Task<InstallationState?> ReadStateAsync(CancellationToken ct)
    {
        if (!File.Exists(StatePath))
            return null;
        await using var stream = File.OpenRead(StatePath);
        return await JsonSerializer.DeserializeAsync<InstallationState>(stream, Json, ct);
    }

    private Task WriteStateAsync(InstallationState state, CancellationToken ct) =>
        OwnerOnlyFiles.WriteAsync(StatePath, JsonSerializer.Serialize(state, Json), ct);

    public void Dispose()
    {
        _issuer?.Dispose();
        _oneAtATime.Dispose();
    }
}
