namespace Leasehold.Server.Storage;

/// <summary>
/// Whether usage events are written. Always on, except that a server in benchmark mode
/// (<c>LEASEHOLD_BENCHMARK=1</c>) may turn it off through <c>POST /bench/usage-events</c>, so the
/// benchmark can measure what recording costs against the same server without it.
/// </summary>
internal sealed class UsageRecording
{
    private volatile bool _enabled = true;

    public bool Enabled
    {
        get => _enabled;
        set => _enabled = value;
    }
}
