namespace CrmExtensions.Reports.Builtin;

/// <summary>A sample's size, mean and (n − 1) variance.</summary>
public readonly record struct SampleSummary(int Count, double Mean, double Variance)
{
    /// <summary>Summarises values (two passes: exact enough for money sums of a campaign's clients).</summary>
    public static SampleSummary Of(IReadOnlyCollection<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            return new SampleSummary(0, 0, 0);
        }

        var mean = values.Average();
        var variance = values.Count < 2 ? 0 : values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1);
        return new SampleSummary(values.Count, mean, variance);
    }
}

/// <summary>The difference of two means (a − b) with Welch's confidence interval: unequal variances, Welch–Satterthwaite degrees of freedom.</summary>
/// <param name="Difference">Mean of a minus mean of b; NaN when a group is empty.</param>
/// <param name="Low">The interval's lower end; NaN when a group has fewer than two values.</param>
/// <param name="High">The interval's upper end; NaN likewise.</param>
/// <param name="DegreesOfFreedom">Welch–Satterthwaite's; NaN likewise (infinite when both variances are zero).</param>
public readonly record struct WelchInterval(double Difference, double Low, double High, double DegreesOfFreedom)
{
    /// <summary>The two-sided <paramref name="confidence"/> interval of mean(a) − mean(b).</summary>
    public static WelchInterval Of(SampleSummary a, SampleSummary b, double confidence = 0.95)
    {
        // An empty group has no mean: there is nothing to compare.
        var difference = a.Count == 0 || b.Count == 0 ? double.NaN : a.Mean - b.Mean;
        if (a.Count < 2 || b.Count < 2)
        {
            return new WelchInterval(difference, double.NaN, double.NaN, double.NaN);
        }

        var va = a.Variance / a.Count;
        var vb = b.Variance / b.Count;
        var se = Math.Sqrt(va + vb);
        if (se == 0)
        {
            return new WelchInterval(difference, difference, difference, double.PositiveInfinity);
        }

        var df = (va + vb) * (va + vb) / (va * va / (a.Count - 1) + vb * vb / (b.Count - 1));
        var t = StudentT.Quantile(1 - (1 - confidence) / 2, df);
        return new WelchInterval(difference, difference - t * se, difference + t * se, df);
    }

    /// <summary>Whether <paramref name="value"/> lies in the interval (ends included).</summary>
    public bool Contains(double value) => value >= Low && value <= High;
}

/// <summary>Student's t distribution: its CDF through the regularised incomplete beta function, its quantile by bisection.</summary>
internal static class StudentT
{
    public static double Cdf(double t, double df)
    {
        var x = df / (df + t * t);
        var tail = 0.5 * IncompleteBeta(df / 2, 0.5, x);
        return t >= 0 ? 1 - tail : tail;
    }

    public static double Quantile(double p, double df)
    {
        double low = -1e3, high = 1e3;
        for (var i = 0; i < 200 && high - low > 1e-12; i++)
        {
            var mid = (low + high) / 2;
            if (Cdf(mid, df) < p)
            {
                low = mid;
            }
            else
            {
                high = mid;
            }
        }

        return (low + high) / 2;
    }

    /// <summary>I_x(a, b), by the continued fraction (modified Lentz), on the side where it converges fast.</summary>
    private static double IncompleteBeta(double a, double b, double x)
    {
        if (x <= 0)
        {
            return 0;
        }

        if (x >= 1)
        {
            return 1;
        }

        var front = Math.Exp(LogGamma(a + b) - LogGamma(a) - LogGamma(b) + a * Math.Log(x) + b * Math.Log(1 - x));
        return x < (a + 1) / (a + b + 2) ? front * ContinuedFraction(a, b, x) / a : 1 - front * ContinuedFraction(b, a, 1 - x) / b;
    }

    private static double ContinuedFraction(double a, double b, double x)
    {
        const double Tiny = 1e-300;
        double c = 1, d = 1 - (a + b) * x / (a + 1);
        d = Math.Abs(d) < Tiny ? Tiny : d;
        d = 1 / d;
        var h = d;
        for (var m = 1; m <= 300; m++)
        {
            var m2 = 2 * m;
            var aa = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
            d = 1 + aa * d;
            d = Math.Abs(d) < Tiny ? Tiny : d;
            c = 1 + aa / c;
            c = Math.Abs(c) < Tiny ? Tiny : c;
            d = 1 / d;
            h *= d * c;
            aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
            d = 1 + aa * d;
            d = Math.Abs(d) < Tiny ? Tiny : d;
            c = 1 + aa / c;
            c = Math.Abs(c) < Tiny ? Tiny : c;
            d = 1 / d;
            var delta = d * c;
            h *= delta;
            if (Math.Abs(delta - 1) < 1e-15)
            {
                break;
            }
        }

        return h;
    }

    /// <summary>ln Γ(x), Lanczos (g = 7, nine coefficients).</summary>
    private static double LogGamma(double x)
    {
        double[] g = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
            -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
        if (x < 0.5)
        {
            return Math.Log(Math.PI / Math.Abs(Math.Sin(Math.PI * x))) - LogGamma(1 - x);
        }

        x -= 1;
        var sum = g[0];
        for (var i = 1; i < 9; i++)
        {
            sum += g[i] / (x + i);
        }

        var t = x + 7.5;
        return 0.5 * Math.Log(2 * Math.PI) + (x + 0.5) * Math.Log(t) - t + Math.Log(sum);
    }
}
