using CrmExtensions.Store.Recommendations;

namespace CrmExtensions.Store.Tests.Recommendations;

/// <summary>The co-purchase recommender on purchases made in memory: planted pairs found, reasons counted right, popularity
/// earning nothing by itself, incremental counts equal to counting again.</summary>
public sealed class RecommenderTests
{
    private static readonly DateOnly Start = new(2025, 1, 1);

    /// <summary>A base of clients buying from a catalogue with a long tail of popularity in their first 90 days, and planted
    /// pairs: a buyer of the first product of a pair buys the second two to four months later with probability
    /// <paramref name="follow"/>.</summary>
    private static List<Purchase> Base(int seed, int clients, (string Then, string Follows)[] planted, double follow, string? everybody = null)
    {
        var random = new Random(seed);
        var products = Enumerable.Range(1, 40).Select(i => $"P{i:00}").ToArray();
        var purchases = new List<Purchase>();
        for (var c = 1; c <= clients; c++)
        {
            var day = Start.AddDays(random.Next(60));
            var bought = new HashSet<string>();
            var basket = 2 + random.Next(5);
            while (bought.Count < basket)
            {
                // Zipf-like: low numbers are popular.
                bought.Add(products[(int)(products.Length * Math.Pow(random.NextDouble(), 2))]);
            }

            if (everybody is not null && random.NextDouble() < 0.9)
            {
                bought.Add(everybody);
            }

            foreach (var (then, follows) in planted)
            {
                if (random.NextDouble() < 0.25)
                {
                    bought.Add(then);
                }

                if (bought.Contains(then) && random.NextDouble() < follow)
                {
                    purchases.Add(new Purchase(c, follows, day.AddDays(60 + random.Next(60)), 100m));
                }
            }

            purchases.AddRange(bought.Select(p => new Purchase(c, p, day.AddDays(random.Next(30)), 10m + random.Next(100))));
        }

        return purchases;
    }

    [Test]
    public void For_PlantedPair_RecommendsTheFollowerFirstToBuyersOfTheFirst()
    {
        var purchases = Base(seed: 11, clients: 400, [("X1", "Y1"), ("X2", "Y2")], follow: 0.7);
        var recommender = new Recommender(CoPurchaseCounts.From(purchases));
        var sets = CoPurchaseCounts.ProductSets(purchases);

        var checkedClients = 0;
        foreach (var (_, set) in sets.Where(s => s.Value.Contains("X1") && !s.Value.Contains("Y1") && !s.Value.Contains("X2")))
        {
            var top = recommender.For(set, 3);
            Assert.That(top, Is.Not.Empty);
            Assert.That(top[0].Product, Is.EqualTo("Y1"), string.Join(", ", top.Select(r => r.Product + "←" + r.Because)));
            Assert.That(top[0].Because, Is.EqualTo("X1"));
            checkedClients++;
        }

        Assert.That(checkedClients, Is.GreaterThan(10), "the base should have buyers of X1 who have not bought Y1");
    }

    [Test]
    public void For_Reason_CountsClientsWhoBoughtBothAndClientsWhoBoughtTheCause()
    {
        var purchases = Base(seed: 5, clients: 300, [("X1", "Y1")], follow: 0.6);
        var recommender = new Recommender(CoPurchaseCounts.From(purchases));
        var sets = CoPurchaseCounts.ProductSets(purchases);
        var client = sets.Values.First(s => s.Contains("X1") && !s.Contains("Y1"));

        var r = recommender.For(client, 10).Single(x => x.Product == "Y1");

        // Counted again here from the raw purchases, client by client.
        var boughtCause = sets.Values.Count(s => s.Contains(r.Because));
        var boughtBoth = sets.Values.Count(s => s.Contains(r.Because) && s.Contains("Y1"));
        var boughtProduct = sets.Values.Count(s => s.Contains("Y1"));
        Assert.That((r.Together, r.BecauseClients), Is.EqualTo((boughtBoth, boughtCause)));
        Assert.That(r.Jaccard, Is.EqualTo(boughtBoth / (double)(boughtCause + boughtProduct - boughtBoth)).Within(1e-12));
        Assert.That(r.Lift, Is.EqualTo(boughtBoth / (double)boughtCause / (boughtProduct / (double)sets.Count)).Within(1e-12));
    }

    [Test]
    public void For_ProductEverybodyBuys_IsNotRecommendedForBeingPopular()
    {
        var purchases = Base(seed: 7, clients: 400, [("X1", "Y1")], follow: 0.7, everybody: "ALL");
        var recommender = new Recommender(CoPurchaseCounts.From(purchases));
        var sets = CoPurchaseCounts.ProductSets(purchases);
        var without = sets.Values.Where(s => !s.Contains("ALL") && s.Contains("X1") && !s.Contains("Y1")).ToList();
        Assume.That(without, Is.Not.Empty);

        foreach (var set in without)
        {
            var top = recommender.For(set, 10).Select(r => r.Product).ToList();
            Assert.That(top.IndexOf("Y1"), Is.GreaterThanOrEqualTo(0));
            Assert.That(top.IndexOf("ALL"), Is.EqualTo(-1).Or.GreaterThan(top.IndexOf("Y1")));
        }

        Assert.That(recommender.Popular(without[0], 1), Is.EqualTo(new[] { "ALL" }), "popularity, by contrast, offers it first");
    }

    [Test]
    public void For_PairBelowMinimumSupport_IsNoEvidence()
    {
        var purchases = Base(seed: 3, clients: 300, [("X1", "Y1")], follow: 0.7);
        var counts = CoPurchaseCounts.From(purchases);
        var together = counts.Together("X1", "Y1");
        var client = CoPurchaseCounts.ProductSets(purchases).Values.First(s => s.Contains("X1") && !s.Contains("Y1"));

        Assert.That(new Recommender(counts, together).For(client, 40).Select(r => r.Product), Does.Contain("Y1"));
        Assert.That(new Recommender(counts, together + 1).For(client, 40).Where(r => r.Because == "X1").Select(r => r.Product), Does.Not.Contain("Y1"));
    }

    [Test]
    public void DefaultMinSupport_GrowsWithTheBaseAndIsAtLeastTwo()
    {
        Assert.That(Recommender.DefaultMinSupport(1), Is.EqualTo(2));
        Assert.That(Recommender.DefaultMinSupport(50), Is.LessThan(Recommender.DefaultMinSupport(50_000)));
        Assert.That(new Recommender(CoPurchaseCounts.From(Base(1, 500, [], 0))).MinSupport, Is.EqualTo(Recommender.DefaultMinSupport(500)));
    }

    [Test]
    public void Add_RemovingAClientAndAddingItsNewSet_EqualsCountingAgain()
    {
        var purchases = Base(seed: 9, clients: 150, [("X1", "Y1")], follow: 0.5);
        var sets = CoPurchaseCounts.ProductSets(purchases);
        var counts = CoPurchaseCounts.From(purchases);
        var changed = sets.Keys.Where(k => k % 7 == 0).ToList();
        var random = new Random(2);
        foreach (var id in changed)
        {
            counts.Add(sets[id], -1);
            sets[id] = sets[id].Where(_ => random.NextDouble() < 0.6).Append("NEW" + random.Next(3)).ToHashSet();
            counts.Add(sets[id], +1);
        }

        var again = new CoPurchaseCounts();
        foreach (var set in sets.Values)
        {
            again.Add(set, +1);
        }

        Assert.That(counts.ClientCount, Is.EqualTo(again.ClientCount));
        Assert.That(counts.Pairs.OrderBy(p => p.A, StringComparer.Ordinal).ThenBy(p => p.B, StringComparer.Ordinal),
            Is.EqualTo(again.Pairs.OrderBy(p => p.A, StringComparer.Ordinal).ThenBy(p => p.B, StringComparer.Ordinal)));
        Assert.That(counts.Products.Where(p => counts.Clients(p) > 0).Select(p => (p, counts.Clients(p))).Order(),
            Is.EqualTo(again.Products.Select(p => (p, again.Clients(p))).Order()));
    }

    [Test]
    public void Run_PlantedPairs_BeatPopularityForNewProductsAndOwnHistoryFindsNoNewOnes()
    {
        var purchases = Base(seed: 21, clients: 600, [("X1", "Y1"), ("X2", "Y2"), ("X3", "Y3")], follow: 0.7);

        var e = RecommenderEvaluation.Run(purchases, Start.AddDays(100), 90, minSupport: null);

        var co = e.Methods.Single(m => m.Method == RecommenderEvaluation.CoPurchase);
        var popular = e.Methods.Single(m => m.Method == RecommenderEvaluation.Popularity);
        var own = e.Methods.Single(m => m.Method == RecommenderEvaluation.OwnMostBought);
        Assert.That(e.ClientsNew, Is.GreaterThan(50));
        Assert.That(co.HitRateNew, Is.GreaterThan(popular.HitRateNew));
        Assert.That(own.HitRateNew, Is.Zero, "a client's own products are never new to it");
    }
}

/// <summary>Repeat purchases learnt from the client's own intervals.</summary>
public sealed class RepeatPurchasesTests
{
    private static readonly DateOnly Start = new(2025, 3, 1);

    private static IEnumerable<(string, DateOnly)> Every(string product, params int[] intervals)
    {
        var day = Start;
        yield return (product, day);
        foreach (var i in intervals)
        {
            day = day.AddDays(i);
            yield return (product, day);
        }
    }

    [Test]
    public void Due_RegularProductPastItsPeriodAndSpread_IsDueWithItsPeriod()
    {
        var purchases = Every("oil", 29, 31, 30, 30).ToList();
        var last = purchases[^1].Item2;

        var due = RepeatPurchases.Due(purchases, last.AddDays(40));

        Assert.That(due.Select(d => (d.Product, d.PeriodDays, d.Times, d.LastBought)), Is.EqualTo(new[] { ("oil", 30, 5, last) }));
        Assert.That(RepeatPurchases.Due(purchases, last.AddDays(20)), Is.Empty, "not yet a period since the last purchase");
    }

    [Test]
    public void Due_IrregularOrTooFewPurchases_IsNotARepeat()
    {
        var irregular = Every("bolts", 5, 60, 3, 90).ToList();
        var twice = Every("paint", 30).ToList();

        Assert.That(RepeatPurchases.Due(irregular, irregular[^1].Item2.AddDays(400)), Is.Empty);
        Assert.That(RepeatPurchases.Due(twice, twice[^1].Item2.AddDays(400)), Is.Empty);
    }

    [Test]
    public void Due_PurchasesAfterTheDay_AreNotSeen()
    {
        var purchases = Every("oil", 30, 30, 60, 30).ToList();
        var judged = purchases[2].Item2.AddDays(45);

        var due = RepeatPurchases.Due(purchases, judged);

        Assert.That(due.Single().LastBought, Is.EqualTo(purchases[2].Item2));
    }
}
