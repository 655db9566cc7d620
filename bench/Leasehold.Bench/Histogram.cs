namespace Leasehold.Bench;

/// <summary>
/// Every latency, counted in buckets of microseconds: 1 µs wide up to 100 ms, 100 µs wide up to
/// 10 s, 10 ms wide up to 1000 s. Thread-safe (one atomic increment per sample), so all workers
/// share one; percentiles are exact to the bucket width.
/// </summary>
internal sealed class Histogram
{
    private const long FineLimit = 100_000;           // 100 ms in µs
    private const long MediumLimit = 10_000_000;      // 10 s
    private const long CoarseLimit = 1_000_000_000;   // 1000 s
    private const int MediumWidth = 100;
    private const int CoarseWidth = 10_000;
    private const int MediumStart = (int)FineLimit;
    private const int CoarseStart = MediumStart + (int)((MediumLimit - FineLimit) / MediumWidth);
    private const int Buckets = CoarseStart + (int)((CoarseLimit - MediumLimit) / CoarseWidth) + 1;

    private readonly long[] _counts = new long[Buckets];
    private long _count;
    private long _sumMicros;
    private long _maxMicros;

    public long Count => Interlocked.Read(ref _count);

    public void Record(long micros)
    {
        if (micros < 0)
            micros = 0;
        Interlocked.Increment(ref _counts[Index(micros)]);
        Interlocked.Increment(ref _count);
        Interlocked.Add(ref _sumMicros, micros);
        var max = Interlocked.Read(ref _maxMicros);
        while (micros > max)
        {
            var seen = Interlocked.CompareExchange(ref _maxMicros, micros, max);
            if (seen == max)
                break;
            max = seen;
        }
    }

    public double MeanMs => Count == 0 ? double.NaN : Interlocked.Read(ref _sumMicros) / (double)Count / 1000.0;

    public double MaxMs => Count == 0 ? double.NaN : Interlocked.Read(ref _maxMicros) / 1000.0;

    /// <summary>The latency (ms) below which <paramref name="percent"/> % of the samples fall.</summary>
    public double PercentileMs(double percent)
    {
        var total = Count;
        if (total == 0)
            return double.NaN;
        var rank = (long)Math.Ceiling(total * percent / 100.0);
        rank = Math.Clamp(rank, 1, total);
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += Interlocked.Read(ref _counts[i]);
            if (seen >= rank)
                return Math.Min(UpperMicros(i), Interlocked.Read(ref _maxMicros)) / 1000.0;
        }
        return MaxMs;
    }

    private static int Index(long micros) => micros switch
    {
        < FineLimit => (int)micros,
        < MediumLimit => MediumStart + (int)((micros - FineLimit) / MediumWidth),
        < CoarseLimit => CoarseStart + (int)((micros - MediumLimit) / CoarseWidth),
        _ => Buckets - 1,
    };

    /// <summary>The largest latency a bucket holds (so percentiles never flatter).</summary>
    private static long UpperMicros(int index) => index switch
    {
        < MediumStart => index,
        < CoarseStart => FineLimit + ((long)(index - MediumStart + 1) * MediumWidth) - 1,
        < Buckets - 1 => MediumLimit + ((long)(index - CoarseStart + 1) * CoarseWidth) - 1,
        _ => long.MaxValue,
    };
}
