namespace CrmExtensions.Store.Recommendations;

/// <summary>One method's figures in an offline evaluation.</summary>
/// <param name="Method">The method: <c>co-purchase</c>, <c>popularity</c> or <c>own most-bought</c>.</param>
/// <param name="HitRateNew">Share of the evaluated clients with at least one of their new products in the method's top k.</param>
/// <param name="RecallNew">Mean, over those clients, of the share of their new products in the top k.</param>
/// <param name="HitRateAny">The same hit rate counting every product bought in the test period, new or not.</param>
/// <param name="RecallAny">The same recall counting every product bought in the test period.</param>
public sealed record EvaluationFigures(string Method, double HitRateNew, double RecallNew, double HitRateAny, double RecallAny);

/// <summary>What <see cref="RecommenderEvaluation.Run"/> measured.</summary>
/// <param name="Until">Training takes invoices before this day; the test period starts on it.</param>
/// <param name="Days">The test period's length in days.</param>
/// <param name="K">The list length measured (hit rate@k, recall@k).</param>
/// <param name="TrainClients">Clients with purchases before <paramref name="Until"/>.</param>
/// <param name="ClientsNew">Evaluated clients for new products: bought before and bought a product new to them in the test period.</param>
/// <param name="ClientsAny">Evaluated clients for any product: bought before and bought anything in the test period.</param>
/// <param name="MinSupport">The minimum support the recommender used.</param>
/// <param name="Methods">The figures of each method, the recommender first.</param>
public sealed record EvaluationResult(DateOnly Until, int Days, int K, int TrainClients, int ClientsNew, int ClientsAny, int MinSupport,
    IReadOnlyList<EvaluationFigures> Methods);

/// <summary>Offline evaluation: trains on purchases before a day, tests on each client's purchases in the days after.</summary>
public static class RecommenderEvaluation
{
    /// <summary>Names of the methods, in the order of <see cref="EvaluationResult.Methods"/>.</summary>
    public const string CoPurchase = "co-purchase", Popularity = "popularity", OwnMostBought = "own most-bought";

    /// <summary>Evaluates the recommender beside the popularity baseline and the client's own most-bought products.</summary>
    /// <param name="purchases">Every purchase, of every day.</param>
    /// <param name="until">Train before this day, test from it.</param>
    /// <param name="days">The test period's length, at least 1.</param>
    /// <param name="minSupport">The recommender's minimum support; null for its default from the training base.</param>
    /// <param name="k">The list length, at least 1.</param>
    public static EvaluationResult Run(IEnumerable<Purchase> purchases, DateOnly until, int days, int? minSupport, int k = 10)
    {
        ArgumentNullException.ThrowIfNull(purchases);
        ArgumentOutOfRangeException.ThrowIfLessThan(days, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        var end = until.AddDays(days);
        var all = purchases as IReadOnlyCollection<Purchase> ?? purchases.ToList();
        var train = all.Where(p => p.Day < until).ToList();
        var test = CoPurchaseCounts.ProductSets(all.Where(p => p.Day >= until && p.Day < end));
        var sets = CoPurchaseCounts.ProductSets(train);
        var counts = new CoPurchaseCounts();
        foreach (var set in sets.Values)
        {
            counts.Add(set, +1);
        }

        var recommender = new Recommender(counts, minSupport);
        var own = train.GroupBy(p => p.ClientId).ToDictionary(g => g.Key, g => g
            .GroupBy(p => p.Product, StringComparer.Ordinal)
            .OrderByDescending(p => p.Select(x => x.Day).Distinct().Count()).ThenByDescending(p => p.Sum(x => x.Amount)).ThenBy(p => p.Key, StringComparer.Ordinal)
            .Take(k).Select(p => p.Key).ToList());
        var tallies = new[] { new Tally(CoPurchase), new Tally(Popularity), new Tally(OwnMostBought) };
        foreach (var (client, bought) in sets)
        {
            if (!test.TryGetValue(client, out var later))
            {
                continue;
            }

            var fresh = later.Where(p => !bought.Contains(p)).ToHashSet(StringComparer.Ordinal);
            IReadOnlyList<string>[] lists =
            [
                recommender.For(bought, k).Select(r => r.Product).ToList(),
                recommender.Popular(bought, k),
                own[client],
            ];
            for (var m = 0; m < lists.Length; m++)
            {
                tallies[m].Count(lists[m], fresh, later);
            }
        }

        return new EvaluationResult(until, days, k, sets.Count, tallies[0].ClientsNew, tallies[0].ClientsAny, recommender.MinSupport,
            tallies.Select(t => t.Figures()).ToList());
    }

    private sealed class Tally(string method)
    {
        private int _hitsNew, _hitsAny;
        private double _recallNew, _recallAny;

        public int ClientsNew { get; private set; }

        public int ClientsAny { get; private set; }

        public void Count(IReadOnlyList<string> list, HashSet<string> fresh, HashSet<string> later)
        {
            ClientsAny++;
            var any = list.Count(later.Contains);
            _hitsAny += any > 0 ? 1 : 0;
            _recallAny += any / (double)later.Count;
            if (fresh.Count > 0)
            {
                ClientsNew++;
                var hits = list.Count(fresh.Contains);
                _hitsNew += hits > 0 ? 1 : 0;
                _recallNew += hits / (double)fresh.Count;
            }
        }

        public EvaluationFigures Figures() => new(method,
            Share(_hitsNew, ClientsNew), ClientsNew == 0 ? 0 : _recallNew / ClientsNew,
            Share(_hitsAny, ClientsAny), ClientsAny == 0 ? 0 : _recallAny / ClientsAny);

        private static double Share(int part, int whole) => whole == 0 ? 0 : part / (double)whole;
    }
}
