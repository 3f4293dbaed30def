using System.Globalization;
using CrmExtensions.Store.Mirror;

namespace CrmExtensions.Store.Tests.Mirror;

public sealed class BirthdayPlaceholdersTests
{
    [TestCase(1.0, 1, 0.6321205588)]
    [TestCase(2.0, 3, 0.3233235838)]
    [TestCase(40.0, 40, 0.5210288611)]
    public void TailAtLeast_PoissonTail_AsComputedFromItsTerms(double mean, long k, double expected) =>
        Assert.That(BirthdayPlaceholders.TailAtLeast(mean, k), Is.EqualTo(expected).Within(1e-8));

    [Test]
    public void Find_SmallBase_FifteenPeopleOnOneDateAreAPlaceholderThreeAreNot()
    {
        var counts = new List<(string, long)>
        {
            ("1970-01-01", 15),
            ("1985-03-04", 3),
            ("1971-01-01", 1),
            ("1968-01-01", 2),
            ("--05-06", 40),
        };
        counts.AddRange(Enumerable.Range(0, 200).Select(i => (new DateOnly(1950, 1, 1).AddDays(i * 97).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), 1L)));

        Assert.That(BirthdayPlaceholders.Find(counts), Is.EquivalentTo(new[] { "1970-01-01" }));
    }

    [Test]
    public void Find_MillionPeopleBornMostlyInSomeYears_OnlyThePlaceholderStandsOut()
    {
        // Each date's count a Poisson count whose mean follows an age distribution (10 in 1940 to 80 in 1985 and back),
        // and one date every card without a birthday got.
        var random = new Random(7);
        var counts = new List<(string, long)>();
        for (var day = new DateOnly(1935, 1, 1); day < new DateOnly(2006, 1, 1); day = day.AddDays(1))
        {
            var mean = 80.0 - (Math.Abs(day.Year - 1985) * 1.5);
            counts.Add((day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Poisson(random, Math.Max(5, mean))));
        }

        var placeholder = counts.FindIndex(c => c.Item1 == "1970-01-01");
        counts[placeholder] = ("1970-01-01", counts[placeholder].Item2 + 4_000);

        Assert.That(BirthdayPlaceholders.Find(counts), Is.EquivalentTo(new[] { "1970-01-01" }));
    }

    private static long Poisson(Random random, double mean)
    {
        // Knuth's method, split into steps of at most 30 so that e^-mean does not underflow.
        var k = 0L;
        while (mean > 0)
        {
            var step = Math.Min(mean, 30);
            mean -= step;
            var limit = Math.Exp(-step);
            var p = 1.0;
            while ((p *= random.NextDouble()) > limit)
            {
                k++;
            }
        }

        return k;
    }
}
