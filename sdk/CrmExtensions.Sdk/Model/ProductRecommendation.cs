namespace CrmExtensions.Sdk.Model;

/// <summary>A product the CRM recommends to a client: one it has not bought, bought together with one it did by more
/// clients than chance would make (SDK 1.3).</summary>
/// <remarks>
/// Item-to-item co-occurrence over unified clients; see <see cref="ICrmReader.GetRecommendationsAsync"/>. Repeat purchases
/// (a product the client buys regularly) are never among them.
/// </remarks>
public sealed class ProductRecommendation
{
    /// <summary>Gets the product: its code in the ledgers (or <c>ledger/code</c> where the host tells products apart per ledger).</summary>
    public required string ProductId { get; init; }

    /// <summary>Gets the product's name.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the reason in words: <c>bought by 34 of the 41 clients who bought Краска фасадная</c>.</summary>
    public required string Reason { get; init; }

    /// <summary>Gets the product the client bought that is the strongest reason.</summary>
    public required string BecauseProductId { get; init; }

    /// <summary>Gets that product's name.</summary>
    public required string BecauseName { get; init; }

    /// <summary>Gets how many clients bought both.</summary>
    public required int Together { get; init; }

    /// <summary>Gets how many clients bought <see cref="BecauseProductId"/>.</summary>
    public required int BecauseClients { get; init; }

    /// <summary>Gets the pair's lift: how many times more likely a buyer of <see cref="BecauseProductId"/> buys this product than any client.</summary>
    public required double Lift { get; init; }

    /// <summary>Gets the pair's Jaccard index: clients who bought both over clients who bought either.</summary>
    public required double Jaccard { get; init; }
}
