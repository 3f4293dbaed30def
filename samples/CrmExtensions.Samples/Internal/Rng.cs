namespace CrmExtensions.Samples.Internal;

/// <summary>xoshiro256** seeded through SplitMix64.</summary>
/// <remarks>System.Random's algorithm is not promised to stay the same across runtimes; the sample must be reproducible from its seed.</remarks>
internal sealed class Rng
{
    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;

    public Rng(long seed)
    {
        var x = unchecked((ulong)seed);
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    public ulong NextUInt64()
    {
        var result = BitRotate(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = BitRotate(_s3, 45);
        return result;
    }

    /// <summary>Returns 0 ≤ n &lt; <paramref name="maxExclusive"/> by multiply-shift (no modulo bias worth the name).</summary>
    public int Next(int maxExclusive) => (int)(((NextUInt64() >> 32) * (ulong)maxExclusive) >> 32);

    public int Next(int minInclusive, int maxExclusive) => minInclusive + Next(maxExclusive - minInclusive);

    public long NextLong(long maxExclusive) => (long)(NextUInt64() % (ulong)maxExclusive);

    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public bool Chance(double probability) => NextDouble() < probability;

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    /// <summary>Picks an index with probability proportional to its weight.</summary>
    public int PickWeighted(IReadOnlyList<double> cumulativeWeights)
    {
        var target = NextDouble() * cumulativeWeights[^1];
        var low = 0;
        var high = cumulativeWeights.Count - 1;
        while (low < high)
        {
            var mid = (low + high) / 2;
            if (cumulativeWeights[mid] > target)
            {
                high = mid;
            }
            else
            {
                low = mid + 1;
            }
        }

        return low;
    }

    public double NextGaussian()
    {
        var u1 = 1.0 - NextDouble();
        var u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>A log-normal factor whose mean is 1.</summary>
    public double LogNormalFactor(double sigma) => Math.Exp((sigma * NextGaussian()) - (sigma * sigma / 2));

    /// <summary>A Pareto variate with minimum 1, capped so one client cannot swallow a small sample.</summary>
    public double Pareto(double alpha, double cap) => Math.Min(cap, Math.Pow(1.0 - NextDouble(), -1.0 / alpha));

    /// <summary>A geometric count with the given mean (0, 1, 2, …).</summary>
    public int Geometric(double mean)
    {
        if (mean <= 0)
        {
            return 0;
        }

        var p = 1.0 / (1.0 + mean);
        return (int)Math.Floor(Math.Log(1.0 - NextDouble()) / Math.Log(1.0 - p));
    }

    public static double[] Cumulative(IReadOnlyList<double> weights)
    {
        var result = new double[weights.Count];
        var sum = 0.0;
        for (var i = 0; i < weights.Count; i++)
        {
            sum += weights[i];
            result[i] = sum;
        }

        return result;
    }

    private static ulong SplitMix(ref ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        var z = x;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static ulong BitRotate(ulong x, int k) => (x << k) | (x >> (64 - k));
}
