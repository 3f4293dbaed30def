namespace CrmExtensions.Unification.Tests;

public sealed partial class UnificationEngineTests
{
    [Test]
    public void Run_RestaurantBenchmark_BeatsNaiveNameBaseline()
    {
        var (rows, truth) = ErDatasets.Restaurant();

        var (p, r, f1) = Evaluate("restaurant", rows, truth);

        Assert.That(f1, Is.GreaterThanOrEqualTo(0.97).And.GreaterThanOrEqualTo(Baseline(rows, truth)), $"precision {p:0.000}, recall {r:0.000}");
    }

    [Test]
    public void Run_CsvExampleOrganisations_BeatsNaiveNameBaseline()
    {
        var (rows, truth) = ErDatasets.CsvExample();

        var (p, r, f1) = Evaluate("csv_example", rows, truth);

        Assert.That(f1, Is.GreaterThanOrEqualTo(0.95).And.GreaterThanOrEqualTo(Baseline(rows, truth)), $"precision {p:0.000}, recall {r:0.000}");
    }

    // A ledger that maps fewer columns than these sets carry (many map only a name, or a name and a city) must still not
    // score below grouping by the name itself: what the engine learns, it learns from the fields that are there.
    [TestCase("restaurant", "name")]
    [TestCase("restaurant", "name city")]
    [TestCase("csv_example", "name")]
    [TestCase("csv_example", "name address")]
    [TestCase("csv_example", "name phone")]
    public void Run_OrganisationsWithFewerFieldsMapped_NeverBelowNaiveNameBaseline(string set, string fields)
    {
        var (all, truth) = set == "restaurant" ? ErDatasets.Restaurant() : ErDatasets.CsvExample();
        var kept = fields.Split(' ');
        var rows = all.Select(r => new Counterparty(r.Ledger, r.LedgerId, r.Name)
        {
            City = kept.Contains("city") ? r.City : null,
            Address = kept.Contains("address") ? r.Address : null,
            Phone = kept.Contains("phone") ? r.Phone : null,
        }).ToList();

        var (p, r, f1) = Evaluate($"{set} ({fields})", rows, truth);

        Assert.That(f1, Is.GreaterThanOrEqualTo(Baseline(rows, truth)), $"precision {p:0.000}, recall {r:0.000}");
    }

    private static double Baseline(List<Counterparty> rows, Dictionary<MemberKey, string> truth)
    {
        var (p, r, f1) = ErDatasets.PairwiseScores(ErDatasets.NaiveBaseline(rows), truth);
        TestContext.Out.WriteLine($"naive exact-name baseline: precision {p:0.000}, recall {r:0.000}, F1 {f1:0.000}");
        return f1;
    }

    // Names and addresses only: a ledger without birthdays (Febrl's social security number has no counterparty field).
    [TestCase(0.955, "dataset1.csv")]
    [TestCase(0.96, "dataset2.csv")]
    [TestCase(0.95, "dataset3.csv")]
    [TestCase(0.95, "dataset4a.csv", "dataset4b.csv")]
    public void Run_FebrlPeople_ReachesFloor(double floor, params string[] files)
    {
        var (rows, truth) = ErDatasets.Febrl(files);

        var (p, r, f1) = Evaluate("febrl " + string.Join('+', files), rows, truth);

        Assert.That(f1, Is.GreaterThan(floor), $"precision {p:0.000}, recall {r:0.000}");
    }

    // With the date of birth a person's business has: the typos of names and addresses meet and namesakes part.
    [TestCase(0.985, "dataset1.csv")]
    [TestCase(0.99, "dataset2.csv")]
    [TestCase(0.985, "dataset3.csv")]
    [TestCase(0.985, "dataset4a.csv", "dataset4b.csv")]
    public void Run_FebrlPeopleWithBirthDates_ReachesFloor(double floor, params string[] files)
    {
        var (rows, truth) = ErDatasets.Febrl(birthDates: true, files);

        var (p, r, f1) = Evaluate("febrl with birth dates " + string.Join('+', files), rows, truth);

        Assert.That(f1, Is.GreaterThan(floor), $"precision {p:0.000}, recall {r:0.000}");
    }

    [Test]
    public void Run_Fake1000PeopleWithBirthDates_ReachesFloor()
    {
        var (rows, truth) = ErDatasets.Fake1000(birthDates: true);

        var (p, r, f1) = Evaluate("fake1000 with birth dates", rows, truth);

        Assert.That(f1, Is.GreaterThan(0.87), $"precision {p:0.000}, recall {r:0.000}");
    }

    [Test]
    public void Run_Fake1000People_ReachesFloor()
    {
        var (rows, truth) = ErDatasets.Fake1000();

        var (p, r, f1) = Evaluate("fake1000", rows, truth);

        // Name, city and mail only (no date of birth field): most duplicates differ in a typo of a common first name.
        Assert.That(f1, Is.GreaterThan(0.75), $"precision {p:0.000}, recall {r:0.000}");
    }

    [Test]
    public void Run_ShuffledInput_SamePartition()
    {
        var (rows, _) = ErDatasets.Restaurant();
        var shuffled = rows.OrderBy(r => r.Name?.GetHashCode(StringComparison.Ordinal)).ThenByDescending(r => r.LedgerId).ToList();

        var first = UnificationEngine.Run(new UnificationRequest { Counterparties = rows });
        var second = UnificationEngine.Run(new UnificationRequest { Counterparties = shuffled });

        static HashSet<string> Partition(UnificationResult r) =>
            [.. r.Clients.Select(c => string.Join(",", c.Members.Select(m => m.LedgerId).Order(StringComparer.Ordinal)))];
        Assert.That(Partition(second).SetEquals(Partition(first)), Is.True);
    }

    [Test]
    public void Run_ReviewCap_ListsLargestDecisionsFirstAndCountsAll()
    {
        var (rows, _) = ErDatasets.Febrl("dataset3.csv");

        var result = UnificationEngine.Run(new UnificationRequest { Counterparties = rows, Options = new UnificationOptions { MaxReviewPairs = 5 } });

        Assert.That(result.Review, Has.Count.EqualTo(5));
        Assert.That(result.Summary.ReviewPairs, Is.GreaterThan(5));
        Assert.That(result.Review.Select(r => r.Impact), Is.Ordered.Descending);
        Assert.That(result.Review.Select(r => r.Impact), Is.All.GreaterThanOrEqualTo(2));
    }

    private static (double P, double R, double F1) Evaluate(string name, List<Counterparty> rows, Dictionary<MemberKey, string> truth)
    {
        var result = UnificationEngine.Run(new UnificationRequest { Counterparties = rows });
        var scores = ErDatasets.PairwiseScores(result, truth);
        TestContext.Out.WriteLine(
            $"{name}: rows {rows.Count}, clients {result.Summary.Clients} (truth {truth.Values.Distinct().Count()}), " +
            $"precision {scores.Precision:0.000}, recall {scores.Recall:0.000}, F1 {scores.F1:0.000}, review {result.Summary.ReviewPairs}, " +
            $"compared {result.Summary.ComparedPairs}, {result.Summary.Elapsed.TotalMilliseconds:0} ms [{string.Join(", ", result.Summary.Stages.Select(s => $"{s.Key} {s.Value.TotalMilliseconds:0}"))}]");
        TestContext.Out.WriteLine(result.Model);
        foreach (var link in result.Clients.Where(c => c.Links.Count > 0).SelectMany(c => c.Links).Where(l => truth[l.From] != truth[l.To]).Take(20))
        {
            TestContext.Out.WriteLine($"wrong link {link.Rule} {link.Score:0.000}: {link.Evidence}");
        }

        foreach (var pair in result.Review.Where(r => truth[r.First] == truth[r.Second]).Take(15))
        {
            TestContext.Out.WriteLine($"review (true): {pair.Score:0.000} impact {pair.Impact}: {pair.Evidence}");
        }

        var byKey = rows.ToDictionary(r => r.Key);
        foreach (var g in truth.GroupBy(t => t.Value).Where(g => g.Count() > 1).Take(400))
        {
            var keys = g.Select(x => x.Key).ToList();
            for (var x = 1; x < keys.Count; x++)
            {
                if (result.Assignment[keys[0]] != result.Assignment[keys[x]])
                {
                    var (a, b) = (byKey[keys[0]], byKey[keys[x]]);
                    TestContext.Out.WriteLine($"missed: '{a.Name}' | {a.Address} | {a.City} | {a.Phone}  ~  '{b.Name}' | {b.Address} | {b.City} | {b.Phone}");
                }
            }
        }

        return scores;
    }
}
