namespace CrmExtensions.Store.Recommendations;

/// <summary>Settings of cross-sell recommendations (configuration section <c>recommendations</c>).</summary>
/// <param name="MinSupport">The fewest clients a pair of products needs to count as evidence; null (the default) derives it
/// from the base (<see cref="Recommender.DefaultMinSupport"/>).</param>
/// <param name="Top">How many recommendations are kept per client; default 10.</param>
/// <param name="ProductsPerLedger">False (the default): a product is its code, the same in every ledger — a company's offices
/// sell from one catalogue. True: a product is its ledger and code, for ledgers that number products independently.</param>
public sealed record RecommendationOptions(int? MinSupport = null, int Top = 10, bool ProductsPerLedger = false)
{
    /// <summary>The defaults.</summary>
    public static RecommendationOptions Default { get; } = new();

    /// <summary>The product key of a line's product code in a ledger.</summary>
    public string Key(string ledger, string productId) => ProductKeys.Key(ledger, productId, ProductsPerLedger);
}

/// <summary>How a product is identified across ledgers.</summary>
public static class ProductKeys
{
    /// <summary>A product's key: its code, or <c>ledger/code</c> when products are told apart per ledger.</summary>
    public static string Key(string ledger, string productId, bool perLedger) => perLedger ? ledger + "/" + productId : productId;
}
