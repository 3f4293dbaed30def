using CrmExtensions.Reports.Builtin;

namespace CrmExtensions.Plugins.Tests.Marketing;

/// <summary>Welch's interval against Student's t tables: equal sizes and variances give n₁ + n₂ − 2 degrees of freedom.</summary>
public sealed class WelchIntervalTests
{
    [TestCase(2, 4.302653)]
    [TestCase(6, 2.228139)]
    [TestCase(16, 2.042272)]
    [TestCase(10_001, 1.960083)]
    public void Of_EqualGroups_HalfWidthIsTheTablesTQuantileTimesTheStandardError(int n, double t)
    {
        var interval = WelchInterval.Of(new SampleSummary(n, 5, 2), new SampleSummary(n, 3, 2));
        var se = Math.Sqrt(2.0 / n + 2.0 / n);

        Assert.That(interval.Difference, Is.EqualTo(2));
        Assert.That(interval.DegreesOfFreedom, Is.EqualTo(2 * n - 2).Within(1e-9));
        Assert.That((interval.High - interval.Low) / 2, Is.EqualTo(t * se).Within(1e-5 * se));
        Assert.That((interval.High + interval.Low) / 2, Is.EqualTo(2).Within(1e-12));
    }

    [Test]
    public void Of_UnequalVariances_UsesWelchSatterthwaiteDegreesOfFreedom()
    {
        // a = 1..5 (mean 3, variance 2.5), b = 2, 4, 6 (mean 4, variance 4).
        var a = SampleSummary.Of([1, 2, 3, 4, 5]);
        var b = SampleSummary.Of([2, 4, 6]);
        var interval = WelchInterval.Of(a, b);
        double va = 2.5 / 5, vb = 4.0 / 3;

        Assert.That((a.Mean, a.Variance, b.Mean, b.Variance), Is.EqualTo((3.0, 2.5, 4.0, 4.0)));
        Assert.That(interval.DegreesOfFreedom, Is.EqualTo((va + vb) * (va + vb) / (va * va / 4 + vb * vb / 2)).Within(1e-12));
        Assert.That(interval.Contains(-1), Is.True);
        Assert.That(interval.Low, Is.LessThan(-1 - 2.776 * Math.Sqrt(va + vb)).And.GreaterThan(-1 - 4.303 * Math.Sqrt(va + vb)), "t between df 4 and df 2");
    }

    [Test]
    public void Of_AGroupOfOne_HasNoInterval()
    {
        var interval = WelchInterval.Of(new SampleSummary(1, 5, 0), new SampleSummary(10, 3, 1));

        Assert.That(interval.Difference, Is.EqualTo(2));
        Assert.That(double.IsNaN(interval.Low) && double.IsNaN(interval.High), Is.True);
    }

    [Test]
    public void Of_AnEmptyGroup_HasNoDifference() =>
        Assert.That(double.IsNaN(WelchInterval.Of(new SampleSummary(12, 5, 1), new SampleSummary(0, 0, 0)).Difference), Is.True);
}
