namespace CrmExtensions.Store.Recommendations;

/// <summary>One purchase the recommender learns from: a unified client bought a product on a day.</summary>
/// <param name="ClientId">The unified client (never a raw ledger counterparty).</param>
/// <param name="Product">The product's key (see <see cref="ProductKeys"/>).</param>
/// <param name="Day">The invoice's issue date.</param>
/// <param name="Amount">The line's amount.</param>
public readonly record struct Purchase(long ClientId, string Product, DateOnly Day, decimal Amount);

/// <summary>How many clients bought each product and each pair of products: the whole state item-to-item co-occurrence needs.</summary>
/// <remarks>
/// A client counts once per product and once per pair however often it bought them, so one big buyer does not make a pair.
/// Counts move by whole clients (<see cref="Add"/> with +1 or -1), which is what lets the store recompute only the clients
/// whose purchases changed: take the client's old product set out, put its new one in. Not thread-safe.
/// </remarks>
public sealed class CoPurchaseCounts
{
    private readonly Dictionary<string, int> _clients = new(StringComparer.Ordinal);
    private readonly Dictionary<(string, string), int> _pairs = new();
    private readonly Dictionary<string, List<string>> _neighbours = new(StringComparer.Ordinal);

    /// <summary>How many clients bought anything.</summary>
    public int ClientCount { get; private set; }

    /// <summary>How many clients bought a product.</summary>
    public int Clients(string product) => _clients.GetValueOrDefault(product);

    /// <summary>How many clients bought both products (in any order, on any day).</summary>
    public int Together(string a, string b) => _pairs.GetValueOrDefault(Key(a, b));

    /// <summary>Every product with at least one client.</summary>
    public IEnumerable<string> Products => _clients.Keys;

    /// <summary>Every pair with at least one client, first product ordinally before the second.</summary>
    public IEnumerable<(string A, string B, int Clients)> Pairs => _pairs.Select(p => (p.Key.Item1, p.Key.Item2, p.Value));

    /// <summary>Adds (<paramref name="sign"/> +1) or takes out (-1) one client's set of products.</summary>
    public void Add(IReadOnlyCollection<string> products, int sign)
    {
        ArgumentNullException.ThrowIfNull(products);
        if (products.Count == 0)
        {
            return;
        }

        ClientCount += sign;
        var sorted = products.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        foreach (var p in sorted)
        {
            _clients[p] = _clients.GetValueOrDefault(p) + sign;
        }

        for (var i = 0; i < sorted.Length; i++)
        {
            for (var j = i + 1; j < sorted.Length; j++)
            {
                Bump(sorted[i], sorted[j], sign);
            }
        }
    }

    /// <summary>Sets a product's client count as stored (loading the store's counts).</summary>
    internal void SetClients(string product, int clients) => _clients[product] = clients;

    /// <summary>Sets a pair's client count as stored.</summary>
    internal void SetPair(string a, string b, int clients) => Bump(a, b, clients);

    /// <summary>Sets the number of clients as stored.</summary>
    internal void SetClientCount(int clients) => ClientCount = clients;

    /// <summary>Counts from purchases: each client's distinct products.</summary>
    public static CoPurchaseCounts From(IEnumerable<Purchase> purchases)
    {
        ArgumentNullException.ThrowIfNull(purchases);
        var counts = new CoPurchaseCounts();
        foreach (var set in ProductSets(purchases).Values)
        {
            counts.Add(set, +1);
        }

        return counts;
    }

    /// <summary>Each client's distinct products.</summary>
    public static Dictionary<long, HashSet<string>> ProductSets(IEnumerable<Purchase> purchases)
    {
        ArgumentNullException.ThrowIfNull(purchases);
        var sets = new Dictionary<long, HashSet<string>>();
        foreach (var p in purchases)
        {
            if (!sets.TryGetValue(p.ClientId, out var set))
            {
                sets[p.ClientId] = set = new HashSet<string>(StringComparer.Ordinal);
            }

            set.Add(p.Product);
        }

        return sets;
    }

    /// <summary>The products bought together with a product by at least one client.</summary>
    internal IReadOnlyList<string> Neighbours(string product) => _neighbours.TryGetValue(product, out var list) ? list : [];

    private void Bump(string a, string b, int by)
    {
        var key = Key(a, b);
        var was = _pairs.GetValueOrDefault(key);
        var now = was + by;
        if (now == 0)
        {
            _pairs.Remove(key);
            _neighbours[key.Item1].Remove(key.Item2);
            _neighbours[key.Item2].Remove(key.Item1);
            return;
        }

        _pairs[key] = now;
        if (was == 0)
        {
            Link(key.Item1, key.Item2);
            Link(key.Item2, key.Item1);
        }
    }

    private void Link(string from, string to)
    {
        if (!_neighbours.TryGetValue(from, out var list))
        {
            _neighbours[from] = list = [];
        }

        list.Add(to);
    }

    private static (string, string) Key(string a, string b) => string.CompareOrdinal(a, b) < 0 ? (a, b) : (b, a);
}
