namespace CrmExtensions.Sdk.Facts;

/// <summary>What the ledgers say about one unified client as of a day, over all its legal entities and branches (SDK 1.1).</summary>
/// <remarks>Amounts are sums in the invoices' own currencies, as the ledgers keep them.</remarks>
public sealed class ClientFacts
{
    /// <summary>Gets the client's id.</summary>
    public required string ClientId { get; init; }

    /// <summary>Gets the name shown to people.</summary>
    public required string DisplayName { get; init; }

    /// <summary>Gets the responsible manager, if any: its head registrations' (the least by name when they differ), else any
    /// member's — the manager the client dossier and the reports name.</summary>
    public string? Manager { get; init; }

    /// <summary>Gets an e-mail address of the client, if any: its head registrations' (the least when they differ), else
    /// any member's; to write to the client, use
    /// <see cref="Recipient"/>, which names the person.</summary>
    public string? Email { get; init; }

    /// <summary>Gets how many ledger counterparties make up the client.</summary>
    public int Members { get; init; }

    /// <summary>Gets the day of the first invoice, if any.</summary>
    public DateOnly? FirstInvoiceOn { get; init; }

    /// <summary>Gets the day of the last invoice up to the day, if any.</summary>
    public DateOnly? LastInvoiceOn { get; init; }

    /// <summary>Gets how many invoices were issued up to the day.</summary>
    public int Invoices { get; init; }

    /// <summary>Gets the amount invoiced in the twelve months ending on the day, in the CRM's base currency (invoices in a
    /// currency without a rate are in no amount of these facts).</summary>
    public decimal RevenueLast12Months { get; init; }

    /// <summary>Gets the amount invoiced in the twelve months before those, in the CRM's base currency.</summary>
    public decimal RevenuePrevious12Months { get; init; }

    /// <summary>Gets how many payments were received up to the day.</summary>
    public int Payments { get; init; }

    /// <summary>Gets the day of the first payment, if any.</summary>
    public DateOnly? FirstPaymentOn { get; init; }

    /// <summary>Gets the day of the last payment up to the day, if any.</summary>
    public DateOnly? LastPaymentOn { get; init; }

    /// <summary>Gets the amount still owed on invoices overdue as of the day, in the CRM's base currency.</summary>
    public decimal Overdue { get; init; }

    /// <summary>Gets the client's Pareto class over the last twelve months up to the day (SDK 1.2): <c>A</c> for the clients
    /// that bring the first 80 % of the revenue, ranked by revenue, <c>B</c> up to 95 %, <c>C</c> for the rest and for clients
    /// without revenue — the classes of the Pareto report and of the campaigns' <c>abc=</c> segment.</summary>
    public string AbcClass { get; init; } = "C";

    /// <summary>Gets whom the CRM writes to about the client, with the person's name and why (SDK 1.2); the same as
    /// <see cref="Model.ICrmReader.GetRecipientAsync"/>. Null when the client has no address at all.</summary>
    public Model.Recipient? Recipient { get; init; }
}
