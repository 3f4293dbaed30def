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
    /// any member's.</summary>
    public string? Email { get; init; }

    /// <summary>Gets how many ledger counterparties make up the client.</summary>
    public int Members { get; init; }

    /// <summary>Gets the day of the first invoice, if any.</summary>
    public DateOnly? FirstInvoiceOn { get; init; }

    /// <summary>Gets the day of the last invoice up to the day, if any.</summary>
    public DateOnly? LastInvoiceOn { get; init; }

    /// <summary>Gets how many invoices were issued up to the day.</summary>
    public int Invoices { get; init; }

    /// <summary>Gets the amount invoiced in the twelve months ending on the day.</summary>
    public decimal RevenueLast12Months { get; init; }

    /// <summary>Gets the amount invoiced in the twelve months before those.</summary>
    public decimal RevenuePrevious12Months { get; init; }

    /// <summary>Gets how many payments were received up to the day.</summary>
    public int Payments { get; init; }

    /// <summary>Gets the day of the first payment, if any.</summary>
    public DateOnly? FirstPaymentOn { get; init; }

    /// <summary>Gets the day of the last payment up to the day, if any.</summary>
    public DateOnly? LastPaymentOn { get; init; }

    /// <summary>Gets the amount still owed on invoices overdue as of the day.</summary>
    public decimal Overdue { get; init; }
}
