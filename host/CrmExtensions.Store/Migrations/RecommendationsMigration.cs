using CrmExtensions.Store.Providers;

namespace CrmExtensions.Store.Migrations;

/// <summary>Migration 23: what cross-sell recommendations are computed from and what they are, kept current incrementally.</summary>
/// <remarks>
/// <c>product_purchases</c> is one row per unified client and product it bought (days, first and last day, amount);
/// <c>product_pairs</c> how many clients bought both products of a pair; <c>recommendation_clients</c> what each client's
/// rows were computed from (a fingerprint of its invoice lines), so only the clients whose lines, invoices or membership
/// changed are computed again; <c>client_recommendations</c> each client's top products with their reason (what
/// <c>recommended=</c> segments select); <c>recommendation_state</c> the stamp and time mark of the last computation.
/// All of them are written by <c>RecommendationWriter</c> only.
/// </remarks>
internal static class RecommendationsMigration
{
    public static Migration Migration { get; } = new(23, "cross-sell: product purchases per client, pair counts, recommendations", Statements);

    private static IEnumerable<string> Statements(StoreDialect d)
    {
        yield return d.Ddl("CREATE TABLE product_purchases (client_id {bigint} NOT NULL, product_key {key} NOT NULL, days {bigint} NOT NULL, " +
            "first_on {key} NOT NULL, last_on {key} NOT NULL, amount {bigint} NOT NULL, PRIMARY KEY (client_id, product_key))");
        yield return "CREATE INDEX ix_product_purchases_product ON product_purchases (product_key, client_id)";
        yield return d.Ddl("CREATE TABLE product_pairs (product_a {key} NOT NULL, product_b {key} NOT NULL, clients {bigint} NOT NULL, " +
            "PRIMARY KEY (product_a, product_b))");
        yield return d.Ddl("CREATE TABLE recommendation_clients (client_id {bigint} NOT NULL PRIMARY KEY, fingerprint {key} NOT NULL)");
        yield return d.Ddl("CREATE TABLE client_recommendations (client_id {bigint} NOT NULL, place {bigint} NOT NULL, product_key {key} NOT NULL, " +
            "product_name {text} NOT NULL, score {real} NOT NULL, because_key {key} NOT NULL, because_name {text} NOT NULL, together {bigint} NOT NULL, because_clients {bigint} NOT NULL, " +
            "lift {real} NOT NULL, jaccard {real} NOT NULL, PRIMARY KEY (client_id, place))");
        yield return "CREATE INDEX ix_client_recommendations_product ON client_recommendations (product_key, client_id)";
        yield return d.Ddl("CREATE TABLE recommendation_state (id {bigint} NOT NULL PRIMARY KEY, stamp {key} NOT NULL, mark {key} NOT NULL, " +
            "min_support {bigint} NOT NULL, computed_at {key} NOT NULL)");
    }
}
