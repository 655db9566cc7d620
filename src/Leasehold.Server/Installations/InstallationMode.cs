using Leasehold.Server.Hosting;

namespace Leasehold.Server.Installations;

/// <summary>
/// Installation mode (<c>--license-file FILE --issuer-keys JWKS</c>, installations.md): before the
/// server answers, the file is verified and its license written (<see cref="InstallationLicense.StartAsync"/>;
/// a file that does not pass stops the start with one line). While running, the clock is compared
/// with the latest time seen every <see cref="ClockCheckEvery"/>, and, with an issuer configured, a
/// new file is fetched by itself from the policy's <c>renewDaysBefore</c> before the file ends, with
/// backoff and jitter (<see cref="Core.Installations.Renewal"/>), keeping the current file until a new one verifies.
/// </summary>
internal sealed class InstallationMode(InstallationLicense license, TimeProvider clock, ILogger<InstallationMode> log) : BackgroundService
{
    public static readonly TimeSpan ClockCheckEvery = TimeSpan.FromMinutes(1);

    public override async Task StartAsync(CancellationToken ct)
    {
        await license.StartAsync(ct);
        await base.StartAsync(ct);
    }

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            var now = clock.Now();
            var wake = license.NextAttemptAt is { } next && next < now + ClockCheckEvery ? next : now + ClockCheckEvery;
            try
            {
                if (wake > now)
                    await Task.Delay(wake - now, clock, stopping);
                await license.CheckClock(stopping);
                if (license.NextAttemptAt <= clock.Now() && !license.ClockMovedBack)
                    await license.UpdateAsync(automatic: true, stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                log.LogError(e, "Installation mode could not write its memory or license file; it tries again in a minute.");
            }
        }
    }
}
