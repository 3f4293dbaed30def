using System.Data.Common;
using System.Globalization;
using CrmExtensions.Store.Clients;
using CrmExtensions.Store.Internal;
using CrmExtensions.Store.Providers;
using Dapper;

namespace CrmExtensions.Store.Recommendations;

/// <summary>The one writer of migration 23's tables: keeps per-client product purchases, pair counts and each client's
/// recommendations current, computing again only the clients whose purchases changed.</summary>
/// <remarks>
/// As the client directory does, a reader calls <see cref="EnsureCurrent"/>: its stamp names the last sync run that changed
/// the mirror, the last unification run and the settings, and is two MAX lookups when nothing changed. When it differs, the
/// clients to compute again are those whose invoice lines or invoices were synced, changed or vanished since the last
/// computation's time mark (the mirror's <c>synced_at</c> and <c>vanished_at</c>), and those whose lines now add up to
/// another fingerprint than the one stored for them (count, amount and row hashes of their live lines) — which is how a
/// member moved by unification to another client shows on both clients. Each such client's old product set is taken out of
/// the pair counts and its new one put in; then every client's top list is ranked again from the stored counts (the counts
/// of every pair may have moved), without reading the mirror.
/// </remarks>
internal static class RecommendationWriter
{
    private const int Chunk = 500;

    /// <summary>Makes the tables current; cheap when they already are.</summary>
    /// <param name="store">The store.</param>
    /// <param name="connection">An open connection to it, in no transaction.</param>
    /// <param name="options">The settings; null for those of the last computation (what a reader that does not know the
    /// configuration — a segment, the mail model — passes), or the defaults when there was none.</param>
    /// <returns>How many clients were computed again; -1 when the tables were already current.</returns>
    public static int EnsureCurrent(CrmStore store, DbConnection connection, RecommendationOptions? options)
    {
        options ??= LastOptions(connection);
        var stamp = Stamp(connection, options);
        if (string.Equals(connection.ExecuteScalar<string?>(StateSql), stamp, StringComparison.Ordinal))
        {
            return -1;
        }

        using var tx = connection.BeginTransaction();
        if (LockSql(store.Dialect) is { } lockSql)
        {
            connection.Execute(lockSql, transaction: tx);
        }

        var state = connection.QuerySingleOrDefault<(string Stamp, string Mark)?>(StateFullSql, transaction: tx);
        if (string.Equals(state?.Stamp, stamp, StringComparison.Ordinal))
        {
            tx.Commit();
            return -1;
        }

        var mark = StoreTime.Now(store.Time);
        string? previous = state?.Mark;
        if (state is { } s && Settings(s.Stamp) != Settings(stamp))
        {
            // Products are keyed otherwise, or lists are longer: nothing stored still holds.
            foreach (var clear in ClearSql)
            {
                connection.Execute(clear, transaction: tx);
            }

            previous = null;
        }

        var affected = Affected(connection, tx, previous);
        if (affected.Count > 0)
        {
            Recount(store.Dialect, connection, tx, affected, options);
        }

        // Ranked again whenever anything changed: pair counts move with any client, and names with the catalogue.
        var minSupport = Rank(store.Dialect, connection, tx, options);
        connection.Execute(StateUpsertSql(store.Dialect), new { id = 1, stamp, mark, min_support = minSupport, computed_at = mark }, tx);
        tx.Commit();
        return affected.Count;
    }

    /// <summary>Forgets everything computed, so the next <see cref="EnsureCurrent"/> computes every client from the mirror.</summary>
    public static void Clear(DbConnection connection)
    {
        using var tx = connection.BeginTransaction();
        foreach (var clear in ClearSql)
        {
            connection.Execute(clear, transaction: tx);
        }

        connection.Execute(StateClearSql, transaction: tx);
        tx.Commit();
    }

    private static string Stamp(DbConnection connection, RecommendationOptions options)
    {
        var (sync, unification) = connection.QuerySingle<(long?, long?)>(ClientDirectoryWriter.SourcesSql);
        return string.Create(CultureInfo.InvariantCulture,
            $"{sync ?? 0}/{unification ?? 0}|{(options.ProductsPerLedger ? "ledger" : "code")}/{options.Top}/{options.MinSupport?.ToString(CultureInfo.InvariantCulture) ?? "auto"}");
    }

    /// <summary>The settings the last computation used, read back from its stamp; the defaults when there was none.</summary>
    internal static RecommendationOptions LastOptions(DbConnection connection)
    {
        var stamp = connection.ExecuteScalar<string?>(StateSql);
        if (stamp is null)
        {
            return RecommendationOptions.Default;
        }

        var parts = Settings(stamp).Split('/');
        return new RecommendationOptions(
            parts[2] == "auto" ? null : int.Parse(parts[2], CultureInfo.InvariantCulture),
            int.Parse(parts[1], CultureInfo.InvariantCulture),
            parts[0] == "ledger");
    }

    private static string Settings(string stamp) => stamp[(stamp.IndexOf('|', StringComparison.Ordinal) + 1)..];

    private static HashSet<long> Affected(DbConnection connection, DbTransaction tx, string? previous)
    {
        var current = connection.Query<(long ClientId, long Lines, long Amount, long Hash)>(FingerprintsSql, transaction: tx, commandTimeout: 0)
            .ToDictionary(c => c.ClientId, c => string.Create(CultureInfo.InvariantCulture, $"{c.Lines}/{c.Amount}/{c.Hash}"));
        var stored = connection.Query<(long ClientId, string Fingerprint)>(StoredFingerprintsSql, transaction: tx).ToDictionary(c => c.ClientId, c => c.Fingerprint);
        var affected = new HashSet<long>();
        affected.UnionWith(current.Where(c => !stored.TryGetValue(c.Key, out var f) || f != c.Value).Select(c => c.Key));
        affected.UnionWith(stored.Keys.Where(id => !current.ContainsKey(id)));
        if (previous is not null)
        {
            affected.UnionWith(connection.Query<long>(TouchedSql, new { mark = previous }, tx, commandTimeout: 0));
        }

        return affected;
    }

    private static void Recount(StoreDialect dialect, DbConnection connection, DbTransaction tx, HashSet<long> affected, RecommendationOptions options)
    {
        // The pair counts' changes: each affected client's old product set taken out, its new one put in.
        var deltas = new CoPurchaseCounts();
        foreach (var chunk in affected.Order().Chunk(Chunk))
        {
            var ids = new { ids = dialect.List(chunk) };
            foreach (var old in connection.Query<(long ClientId, string Product)>(dialect.InLists(StoredProductsSql), ids, tx).GroupBy(r => r.ClientId))
            {
                deltas.Add(old.Select(r => r.Product).ToArray(), -1);
            }

            var lines = connection.Query<LineRow>(dialect.InLists(PurchasesSql + " AND i.client_id IN @ids"), ids, tx).AsList();
            var summaries = lines.GroupBy(l => (l.ClientId, Product: options.Key(l.Ledger, l.ProductId)))
                .Select(g => new
                {
                    client_id = g.Key.ClientId,
                    product_key = g.Key.Product,
                    days = (long)g.Select(l => l.IssuedOn).Distinct(StringComparer.Ordinal).Count(),
                    first_on = g.Select(l => l.IssuedOn).Min(StringComparer.Ordinal)!,
                    last_on = g.Select(l => l.IssuedOn).Max(StringComparer.Ordinal)!,
                    amount = g.Sum(l => l.Amount),
                }).ToList();
            foreach (var client in summaries.GroupBy(s => s.client_id))
            {
                deltas.Add(client.Select(s => s.product_key).ToArray(), +1);
            }

            connection.Execute(dialect.InLists(DeleteProductsSql), ids, tx);
            connection.Execute(dialect.InLists(DeleteFingerprintsSql), ids, tx);
            connection.Execute(InsertProductSql, summaries, tx);
            connection.Execute(InsertFingerprintSql, lines.GroupBy(l => l.ClientId).Select(g => new
            {
                client_id = g.Key,
                fingerprint = string.Create(CultureInfo.InvariantCulture, $"{g.LongCount()}/{g.Sum(l => l.Amount)}/{g.Sum(l => l.Hash)}"),
            }), tx);
        }

        using var update = new RowWriter(connection, tx, PairUpdateSql, "a", "b", "d");
        using var insert = new RowWriter(connection, tx, PairInsertSql, "a", "b", "d");
        foreach (var (a, b, d) in deltas.Pairs)
        {
            if (update.Execute(a, b, (long)d) == 0)
            {
                insert.Execute(a, b, (long)d);
            }
        }

        connection.Execute(PairCleanSql, transaction: tx);
    }

    /// <summary>Ranks every client's top list again from the stored counts; returns the minimum support used.</summary>
    private static int Rank(StoreDialect dialect, DbConnection connection, DbTransaction tx, RecommendationOptions options)
    {
        var sets = connection.Query<(long ClientId, string Product)>(AllProductsSql, transaction: tx)
            .GroupBy(r => r.ClientId).ToDictionary(g => g.Key, g => g.Select(r => r.Product).ToHashSet(StringComparer.Ordinal));
        var counts = new CoPurchaseCounts();
        counts.SetClientCount(sets.Count);
        foreach (var product in sets.Values.SelectMany(s => s).GroupBy(p => p, StringComparer.Ordinal))
        {
            counts.SetClients(product.Key, product.Count());
        }

        foreach (var (a, b, n) in connection.Query<(string, string, long)>(AllPairsSql, transaction: tx))
        {
            counts.SetPair(a, b, (int)n);
        }

        var recommender = new Recommender(counts, options.MinSupport);
        var lists = sets.Select(s => (ClientId: s.Key, Items: recommender.For(s.Value, options.Top))).ToList();
        var names = Names(dialect, connection, tx, lists.SelectMany(l => l.Items).SelectMany(r => new[] { r.Product, r.Because }), options);
        connection.Execute(ClearRecommendationsSql, transaction: tx);
        using var insert = new RowWriter(connection, tx, InsertRecommendationSql,
            "client_id", "place", "product_key", "product_name", "score", "because_key", "because_name", "together", "because_clients", "lift", "jaccard");
        foreach (var (clientId, items) in lists)
        {
            var place = 0L;
            foreach (var r in items)
            {
                insert.Execute(clientId, ++place, r.Product, names[r.Product], r.Score, r.Because, names[r.Because], (long)r.Together, (long)r.BecauseClients, r.Lift, r.Jaccard);
            }
        }

        return recommender.MinSupport;
    }

    /// <summary>The catalogue's name of each product, else the greatest name its invoice lines give, else the key itself.</summary>
    internal static Dictionary<string, string> Names(StoreDialect dialect, DbConnection connection, DbTransaction? tx, IEnumerable<string> products,
        RecommendationOptions options)
    {
        var keys = products.Distinct(StringComparer.Ordinal).ToList();
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        string Code(string key) => options.ProductsPerLedger ? key[(key.IndexOf('/', StringComparison.Ordinal) + 1)..] : key;

        // The catalogue's names first; the invoice lines are read only for products it does not name (a product's
        // lines may be many thousands, its catalogue row is one).
        Read(CatalogueNamesSql, keys);
        Read(LineNamesSql, keys.Where(k => !names.ContainsKey(k)).ToList());
        foreach (var key in keys)
        {
            names.TryAdd(key, key);
        }

        return names;

        void Read(string sql, List<string> unnamed)
        {
            foreach (var chunk in unnamed.Select(Code).Distinct(StringComparer.Ordinal).Chunk(Chunk))
            {
                foreach (var (ledger, code, name) in connection.Query<(string, string, string?)>(dialect.InLists(sql), new { codes = dialect.List(chunk) }, tx))
                {
                    // Within a source, one ledger's name is as good as another's; a name found earlier wins.
                    if (!string.IsNullOrWhiteSpace(name))
                    {
                        names.TryAdd(options.Key(ledger, code), name);
                    }
                }
            }
        }
    }

    internal const string LineNamesSql =
        "SELECT ledger, product_id, MAX(product_name) FROM mirror_invoice_lines WHERE product_id IN @codes AND product_name IS NOT NULL GROUP BY ledger, product_id";

    internal const string CatalogueNamesSql =
        "SELECT ledger, ledger_id, MAX(name) FROM mirror_products WHERE ledger_id IN @codes AND vanished_at IS NULL GROUP BY ledger, ledger_id";

    /// <summary>A live invoice line as <see cref="PurchasesSql"/> reads it.</summary>
    internal sealed class LineRow
    {
        public long ClientId { get; set; }

        public string Ledger { get; set; } = "";

        public string ProductId { get; set; } = "";

        public string IssuedOn { get; set; } = "";

        public long Amount { get; set; }

        public long Hash { get; set; }
    }

    /// <summary>A live invoice line of a unified client: neither it nor its invoice vanished, and it sold something.</summary>
    internal const string LiveLines =
        " FROM mirror_invoice_lines l JOIN mirror_invoices i ON i.ledger = l.ledger AND i.ledger_id = l.invoice_id " +
        "WHERE l.vanished_at IS NULL AND i.vanished_at IS NULL AND i.client_id IS NOT NULL AND l.amount > 0";

    /// <summary>Every live line as (client, ledger, product code, day, amount, row hash reduced); callers add conditions.</summary>
    internal const string PurchasesSql =
        "SELECT i.client_id AS ClientId, l.ledger AS Ledger, l.product_id AS ProductId, i.issued_on AS IssuedOn, l.amount AS Amount, " +
        "l.row_hash % 1000003 AS Hash" + LiveLines;

    internal const string FingerprintsSql =
        "SELECT i.client_id, COUNT(*), CAST(SUM(l.amount) AS BIGINT), CAST(SUM(l.row_hash % 1000003) AS BIGINT)" + LiveLines + " GROUP BY i.client_id";

    internal const string TouchedSql =
        "SELECT DISTINCT i.client_id FROM mirror_invoice_lines l JOIN mirror_invoices i ON i.ledger = l.ledger AND i.ledger_id = l.invoice_id " +
        "WHERE i.client_id IS NOT NULL AND (l.synced_at >= @mark OR l.vanished_at >= @mark OR i.synced_at >= @mark OR i.vanished_at >= @mark)";

    internal const string StoredFingerprintsSql = "SELECT client_id, fingerprint FROM recommendation_clients";

    internal const string StoredProductsSql = "SELECT client_id, product_key FROM product_purchases WHERE client_id IN @ids";

    internal const string DeleteProductsSql = "DELETE FROM product_purchases WHERE client_id IN @ids";

    internal const string DeleteFingerprintsSql = "DELETE FROM recommendation_clients WHERE client_id IN @ids";

    internal const string InsertProductSql =
        "INSERT INTO product_purchases (client_id, product_key, days, first_on, last_on, amount) VALUES (@client_id, @product_key, @days, @first_on, @last_on, @amount)";

    internal const string InsertFingerprintSql = "INSERT INTO recommendation_clients (client_id, fingerprint) VALUES (@client_id, @fingerprint)";

    internal const string PairUpdateSql = "UPDATE product_pairs SET clients = clients + @d WHERE product_a = @a AND product_b = @b";

    internal const string PairInsertSql = "INSERT INTO product_pairs (product_a, product_b, clients) VALUES (@a, @b, @d)";

    internal const string PairCleanSql = "DELETE FROM product_pairs WHERE clients <= 0";

    internal const string AllProductsSql = "SELECT client_id, product_key FROM product_purchases";

    internal const string AllPairsSql = "SELECT product_a, product_b, clients FROM product_pairs";

    internal const string ClearRecommendationsSql = "DELETE FROM client_recommendations";

    internal const string InsertRecommendationSql =
        "INSERT INTO client_recommendations (client_id, place, product_key, product_name, score, because_key, because_name, together, because_clients, lift, jaccard) " +
        "VALUES (@client_id, @place, @product_key, @product_name, @score, @because_key, @because_name, @together, @because_clients, @lift, @jaccard)";

    internal static readonly string[] ClearSql =
        ["DELETE FROM product_purchases", "DELETE FROM product_pairs", "DELETE FROM recommendation_clients", ClearRecommendationsSql];

    internal const string StateSql = "SELECT stamp FROM recommendation_state WHERE id = 1";

    internal const string StateFullSql = "SELECT stamp AS Stamp, mark AS Mark FROM recommendation_state WHERE id = 1";

    internal const string StateClearSql = "DELETE FROM recommendation_state";

    internal static string StateUpsertSql(StoreDialect dialect) =>
        dialect.Upsert("recommendation_state", ["id"], ["id", "stamp", "mark", "min_support", "computed_at"]);

    /// <summary>A lock only this computation takes, so two readers do not compute at once; SQLite's write lock does it there.</summary>
    internal static string? LockSql(StoreDialect dialect) => dialect.Provider switch
    {
        DatabaseProvider.PostgreSql => "SELECT pg_advisory_xact_lock(7280294)",
        DatabaseProvider.SqlServer => "EXEC sp_getapplock @Resource = N'crmx_recommendations', @LockMode = N'Exclusive', @LockOwner = N'Transaction'",
        _ => null,
    };

    /// <summary>Every statement this class sends, for a dialect; tests parse the T-SQL ones (a list parameter as Dapper expands it).</summary>
    internal static IEnumerable<string> Statements(StoreDialect dialect)
    {
        string[] all =
        [
            StateSql, StateFullSql, StateClearSql, StateUpsertSql(dialect), FingerprintsSql, TouchedSql, StoredFingerprintsSql, StoredProductsSql,
            DeleteProductsSql, DeleteFingerprintsSql, InsertProductSql, InsertFingerprintSql, PairUpdateSql, PairInsertSql, PairCleanSql,
            AllProductsSql, AllPairsSql, InsertRecommendationSql, LineNamesSql, CatalogueNamesSql, PurchasesSql, PurchasesSql + " AND i.client_id IN @ids", .. ClearSql,
        ];
        foreach (var sql in all)
        {
            yield return StoreDialect.ExpandedLists(sql);
        }

        if (LockSql(dialect) is { } lockSql)
        {
            yield return lockSql;
        }
    }
}
