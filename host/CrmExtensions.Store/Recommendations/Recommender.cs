namespace CrmExtensions.Store.Recommendations;

/// <summary>A product recommended to a client, with the pair that is its reason.</summary>
/// <param name="Product">The recommended product's key.</param>
/// <param name="Score">The ranking score: the sum, over the products the client bought, of how much more often their buyers
/// bought this one than clients at large (confidence minus the product's base rate), counting only pairs with enough support.</param>
/// <param name="Because">The product the client bought that is the strongest reason.</param>
/// <param name="Together">How many clients bought both <see cref="Because"/> and <see cref="Product"/>.</param>
/// <param name="BecauseClients">How many clients bought <see cref="Because"/>.</param>
/// <param name="Lift">The pair's lift: how many times more likely a buyer of <see cref="Because"/> buys the product than any client.</param>
/// <param name="Jaccard">The pair's Jaccard index: clients who bought both over clients who bought either.</param>
public sealed record Recommendation(string Product, double Score, string Because, int Together, int BecauseClients, double Lift, double Jaccard);

/// <summary>Item-to-item co-occurrence recommendations over <see cref="CoPurchaseCounts"/>.</summary>
/// <remarks>
/// A pair counts as evidence when at least <see cref="MinSupport"/> clients bought both and its lift is above 1 (buyers of
/// one buy the other more often than chance). A candidate's score adds each bought product's added value, confidence
/// minus base rate, so a product everybody buys (confidence high, base rate as high) earns nothing from being popular.
/// Thread-safe for reading once made.
/// </remarks>
public sealed class Recommender
{
    private readonly CoPurchaseCounts _counts;
    private readonly Lazy<string[]> _byPopularity;

    /// <summary>Creates a recommender over counts.</summary>
    /// <param name="counts">The co-purchase counts.</param>
    /// <param name="minSupport">The fewest clients a pair needs to be evidence; null for <see cref="DefaultMinSupport"/> of the base.</param>
    public Recommender(CoPurchaseCounts counts, int? minSupport = null)
    {
        ArgumentNullException.ThrowIfNull(counts);
        _counts = counts;
        MinSupport = Math.Max(1, minSupport ?? DefaultMinSupport(counts.ClientCount));
        _byPopularity = new(() => counts.Products.Where(p => counts.Clients(p) > 0)
            .OrderByDescending(counts.Clients).ThenBy(p => p, StringComparer.Ordinal).ToArray());
    }

    /// <summary>The fewest clients a pair needs to count as evidence.</summary>
    public int MinSupport { get; }

    /// <summary>The default minimum support for a base of <paramref name="clients"/> buying clients: the natural logarithm of
    /// the base, rounded up, and at least 2 — a pair two clients share in a base of thousands is chance, in a base of fifty it
    /// is not.</summary>
    public static int DefaultMinSupport(int clients) => Math.Max(2, (int)Math.Ceiling(Math.Log(Math.Max(clients, 1))));

    /// <summary>The top products a client has not bought, best first, each with its reason.</summary>
    /// <param name="bought">The products the client bought.</param>
    /// <param name="top">How many at most.</param>
    public IReadOnlyList<Recommendation> For(IReadOnlyCollection<string> bought, int top)
    {
        ArgumentNullException.ThrowIfNull(bought);
        var n = (double)_counts.ClientCount;
        if (n == 0 || top <= 0)
        {
            return [];
        }

        var owned = bought as ISet<string> ?? new HashSet<string>(bought, StringComparer.Ordinal);
        var scores = new Dictionary<string, (double Score, Recommendation Best, double BestValue)>(StringComparer.Ordinal);
        foreach (var i in owned)
        {
            var ni = _counts.Clients(i);
            if (ni == 0)
            {
                continue;
            }

            foreach (var j in _counts.Neighbours(i))
            {
                if (owned.Contains(j))
                {
                    continue;
                }

                var together = _counts.Together(i, j);
                var nj = _counts.Clients(j);
                if (together < MinSupport)
                {
                    continue;
                }

                var confidence = together / (double)ni;
                var baseRate = nj / n;
                var lift = confidence / baseRate;
                if (lift <= 1)
                {
                    continue;
                }

                var value = confidence - baseRate;
                var candidate = new Recommendation(j, 0, i, together, ni, lift, together / (double)(ni + nj - together));
                if (!scores.TryGetValue(j, out var s))
                {
                    scores[j] = (value, candidate, value);
                }
                else
                {
                    var better = value > s.BestValue || (value == s.BestValue && string.CompareOrdinal(i, s.Best.Because) < 0);
                    scores[j] = (s.Score + value, better ? candidate : s.Best, better ? value : s.BestValue);
                }
            }
        }

        return scores.Values
            .OrderByDescending(s => s.Score).ThenByDescending(s => s.Best.Together).ThenBy(s => s.Best.Product, StringComparer.Ordinal)
            .Take(top).Select(s => s.Best with { Score = s.Score }).ToList();
    }

    /// <summary>The popularity baseline: the products most clients bought, that this client has not, most popular first.</summary>
    public IReadOnlyList<string> Popular(IReadOnlyCollection<string> bought, int top)
    {
        ArgumentNullException.ThrowIfNull(bought);
        var owned = bought as ISet<string> ?? new HashSet<string>(bought, StringComparer.Ordinal);
        return _byPopularity.Value.Where(p => !owned.Contains(p)).Take(top).ToList();
    }
}
