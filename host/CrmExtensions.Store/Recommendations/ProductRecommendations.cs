using System.Data.Common;
using System.Globalization;
using CrmExtensions.Store.Mirror;
using Dapper;

namespace CrmExtensions.Store.Recommendations;

/// <summary>A product recommended to a client, named, with its reason in words.</summary>
/// <param name="Product">The product's key.</param>
/// <param name="Name">Its name (the product catalogue's, else the latest invoice line's, else the key).</param>
/// <param name="Score">The ranking score (see <see cref="Recommendation.Score"/>).</param>
/// <param name="Because">The product the client bought that is the strongest reason.</param>
/// <param name="BecauseName">Its name.</param>
/// <param name="Together">Clients who bought both.</param>
/// <param name="BecauseClients">Clients who bought <paramref name="Because"/>.</param>
/// <param name="Lift">The pair's lift.</param>
/// <param name="Jaccard">The pair's Jaccard index.</param>
public sealed record ClientRecommendation(string Product, string Name, double Score, string Because, string BecauseName, int Together, int BecauseClients,
    double Lift, double Jaccard)
{
    /// <summary>The reason in words: "bought by 34 of the 41 clients who bought X".</summary>
    public string Reason => string.Create(CultureInfo.InvariantCulture, $"bought by {Together} of the {BecauseClients} clients who bought {BecauseName}");
}

/// <summary>A row of <c>client_recommendations</c> as <see cref="ProductRecommendations.StoredColumns"/> reads it.</summary>
internal sealed class StoredRecommendation
{
    public long ClientId { get; set; }

    public string Product { get; set; } = "";

    public string Name { get; set; } = "";

    public double Score { get; set; }

    public string Because { get; set; } = "";

    public string BecauseName { get; set; } = "";

    public long Together { get; set; }

    public long BecauseClients { get; set; }

    public double Lift { get; set; }

    public double Jaccard { get; set; }

    public ClientRecommendation ToRecommendation() => new(Product, Name, Score, Because, BecauseName, (int)Together, (int)BecauseClients, Lift, Jaccard);
}

/// <summary>Everything <c>crmx recommend show</c> prints of a client, read on one connection.</summary>
/// <param name="CrossSell">Its recommendations, best first.</param>
/// <param name="Repeats">Its repeat purchases that are due.</param>
/// <param name="Bought">What it bought, most often bought first.</param>
/// <param name="MinSupport">The minimum support the recommendations were computed with.</param>
public sealed record ClientProducts(IReadOnlyList<ClientRecommendation> CrossSell, IReadOnlyList<RepeatReminder> Repeats, IReadOnlyList<ProductBought> Bought, int MinSupport);

/// <summary>A product a client bought, named.</summary>
/// <param name="Product">The product's key.</param>
/// <param name="Name">Its name.</param>
/// <param name="Days">On how many days the client bought it.</param>
/// <param name="FirstOn">The first day.</param>
/// <param name="LastOn">The last day.</param>
/// <param name="Amount">What the client paid for it in all.</param>
public sealed record ProductBought(string Product, string Name, int Days, DateOnly FirstOn, DateOnly LastOn, decimal Amount);

/// <summary>A repeat-purchase reminder, named.</summary>
/// <param name="Product">The product's key.</param>
/// <param name="Name">Its name.</param>
/// <param name="Due">When and how regularly the client buys it.</param>
public sealed record RepeatReminder(string Product, string Name, RepeatPurchase Due);

/// <summary>Cross-sell recommendations and repeat-purchase reminders of the store's clients.</summary>
/// <remarks>
/// Every read first makes the derived tables current (<see cref="RecommendationWriter"/>, cheap when nothing changed); needs
/// the mirror's invoice lines (<c>invoice_lines</c> mapping kind). Thread-safe: every call opens its own connection.
/// </remarks>
public sealed class ProductRecommendations
{
    private readonly CrmStore _store;
    private readonly RecommendationOptions? _given;
    private RecommendationOptions? _options;

    /// <summary>Creates the reader over a store.</summary>
    /// <param name="store">The store.</param>
    /// <param name="options">The settings (the configuration's); null for those the last computation used.</param>
    public ProductRecommendations(CrmStore store, RecommendationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _given = options;
    }

    /// <summary>Makes the stored counts and lists current, as <c>crmx run</c> does after unifying.</summary>
    /// <returns>How many clients were computed again; -1 when nothing had changed.</returns>
    public int EnsureCurrent()
    {
        using var connection = _store.Open();
        return RecommendationWriter.EnsureCurrent(_store, connection, _given);
    }

    /// <summary>Makes the stored counts and lists current and says what they hold.</summary>
    public (int Clients, int Products, int Pairs, int MinSupport) Refresh()
    {
        using var connection = Open();
        var (clients, products, pairs, minSupport) = connection.QuerySingle<(long, long, long, long)>(SummarySql);
        return ((int)clients, (int)products, (int)pairs, (int)minSupport);
    }

    /// <summary>Forgets everything computed; the next read computes every client from the mirror (what a full recompute is).</summary>
    public void Reset()
    {
        using var connection = _store.Open();
        RecommendationWriter.Clear(connection);
    }

    /// <summary>The client's recommendations, best first.</summary>
    public IReadOnlyList<ClientRecommendation> For(long clientId)
    {
        using var connection = Open();
        return For(connection, clientId);
    }

    /// <summary>The client's recommendations, repeat reminders as of <paramref name="today"/>, purchases and the minimum
    /// support, with the tables made current once.</summary>
    public ClientProducts Client(long clientId, DateOnly today)
    {
        using var connection = Open();
        return new ClientProducts(For(connection, clientId), RepeatsDue(connection, clientId, today), Bought(connection, clientId),
            (int)connection.ExecuteScalar<long>(MinSupportSql));
    }

    /// <summary>The lowest client id with a recommendation, or null when no client has one.</summary>
    public long? FirstClient()
    {
        using var connection = Open();
        return connection.ExecuteScalar<long?>(FirstClientSql);
    }

    /// <summary>What the client bought, most often bought first.</summary>
    public IReadOnlyList<ProductBought> Bought(long clientId)
    {
        using var connection = Open();
        return Bought(connection, clientId);
    }

    /// <summary>The client's regular products not bought this cycle, as of <paramref name="today"/> (a list of its own, not cross-sell).</summary>
    public IReadOnlyList<RepeatReminder> RepeatsDue(long clientId, DateOnly today)
    {
        using var connection = _store.Open();
        return RepeatsDue(connection, clientId, today);
    }

    private static List<ClientRecommendation> For(DbConnection connection, long clientId) =>
        connection.Query<StoredRecommendation>(ForClientSql, new { clientId }).Select(r => r.ToRecommendation()).ToList();

    private List<ProductBought> Bought(DbConnection connection, long clientId)
    {
        var rows = connection.Query<(string Product, long Days, string FirstOn, string LastOn, long Amount)>(BoughtSql, new { clientId }).AsList();
        var names = Names(connection, rows.Select(r => r.Product));
        return rows.Select(r => new ProductBought(r.Product, names[r.Product], (int)r.Days, Day(r.FirstOn), Day(r.LastOn), Money.FromStored(r.Amount))).ToList();
    }

    private List<RepeatReminder> RepeatsDue(DbConnection connection, long clientId, DateOnly today)
    {
        var options = Options(connection);
        var lines = connection.Query<RecommendationWriter.LineRow>(RecommendationWriter.PurchasesSql + " AND i.client_id = @clientId", new { clientId });
        var due = RepeatPurchases.Due(lines.Select(l => (options.Key(l.Ledger, l.ProductId), Day(l.IssuedOn))), today);
        var names = Names(connection, due.Select(d => d.Product));
        return due.Select(d => new RepeatReminder(d.Product, names[d.Product], d)).ToList();
    }

    /// <summary>Every live purchase of every unified client, for offline evaluation.</summary>
    public IReadOnlyList<Purchase> Purchases()
    {
        using var connection = _store.Open();
        var options = Options(connection);
        return connection.Query<RecommendationWriter.LineRow>(RecommendationWriter.PurchasesSql, commandTimeout: 0)
            .Select(l => new Purchase(l.ClientId, options.Key(l.Ledger, l.ProductId), Day(l.IssuedOn), Money.FromStored(l.Amount))).ToList();
    }

    /// <summary>Names of products by key.</summary>
    public IReadOnlyDictionary<string, string> Names(IEnumerable<string> products)
    {
        ArgumentNullException.ThrowIfNull(products);
        using var connection = _store.Open();
        return Names(connection, products);
    }

    private DbConnection Open()
    {
        var connection = _store.Open();
        RecommendationWriter.EnsureCurrent(_store, connection, _given);
        return connection;
    }

    private RecommendationOptions Options(DbConnection connection) => _options ??= _given ?? RecommendationWriter.LastOptions(connection);

    private Dictionary<string, string> Names(DbConnection connection, IEnumerable<string> products) =>
        RecommendationWriter.Names(_store.Dialect, connection, null, products, Options(connection));

    private static DateOnly Day(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    internal const string SummarySql =
        "SELECT (SELECT COUNT(*) FROM recommendation_clients), (SELECT COUNT(DISTINCT product_key) FROM product_purchases), " +
        "(SELECT COUNT(*) FROM product_pairs), (SELECT MAX(min_support) FROM recommendation_state)";

    /// <summary>The columns of <c>client_recommendations</c> as <see cref="StoredRecommendation"/> reads them.</summary>
    internal const string StoredColumns =
        "client_id AS ClientId, product_key AS Product, product_name AS Name, score AS Score, because_key AS Because, because_name AS BecauseName, " +
        "together AS Together, because_clients AS BecauseClients, lift AS Lift, jaccard AS Jaccard";

    internal const string ForClientSql = "SELECT " + StoredColumns + " FROM client_recommendations WHERE client_id = @clientId ORDER BY place";

    internal const string MinSupportSql = "SELECT min_support FROM recommendation_state WHERE id = 1";

    internal const string FirstClientSql = "SELECT MIN(client_id) FROM client_recommendations";

    internal const string BoughtSql =
        "SELECT product_key, days, first_on, last_on, amount FROM product_purchases WHERE client_id = @clientId ORDER BY days DESC, amount DESC, product_key";

    /// <summary>Every statement this class sends; tests parse the T-SQL ones (a list parameter as Dapper expands it).</summary>
    internal static IEnumerable<string> Statements() =>
        [SummarySql, ForClientSql, MinSupportSql, FirstClientSql, BoughtSql, RecommendationWriter.PurchasesSql + " AND i.client_id = @clientId"];
}
