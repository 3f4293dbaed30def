using CrmExtensions.Store.Clients;

namespace CrmExtensions.Reports.Dossier;

/// <summary>One ledger counterparty of a client, with what the ledger says about it.</summary>
public sealed record DossierEntity(string Ledger, string LedgerId, string LegalEntity, string? EntityName, string? Name, string? TaxId, string Role,
    string? BranchCode, string? City, string? Region, string? Manager, string? Birthday);

/// <summary>A contact person of one of the client's counterparties.</summary>
/// <param name="ContactId">The contact's own id in its ledger (what <c>activity add --contact LEDGER:ID</c> takes).</param>
public sealed record DossierContact(string Ledger, string CounterpartyId, string FullName, string? Position, string? Phone, string? Email, string? Birthday,
    string? ContactId = null);

/// <summary>A deal with one of the client's counterparties.</summary>
public sealed record DossierDeal(string DealId, string Pipeline, string Stage, string Title, long? Amount, string UpdatedAt);

/// <summary>The client's invoices over every member: paid, unpaid but not yet due, overdue; money in stored ten-thousandths.</summary>
/// <remarks>Unpaid and overdue amounts are what is still open (amount minus paid amount). In the store's base currency, or,
/// for the invoices of a currency that has no rate, in that <see cref="Currency"/>.</remarks>
public sealed record DossierInvoices(long Invoices, long Amount, long Paid, long PaidAmount, long Unpaid, long UnpaidAmount, long Overdue, long OverdueAmount)
{
    /// <summary>Gets the currency of invoices that could not be converted to the base currency; null for the base totals.</summary>
    public string? Currency { get; init; }
}

/// <summary>An open invoice past its due date.</summary>
public sealed record DossierOverdueInvoice(string Ledger, string LedgerId, string? Number, string IssuedOn, string DueOn, long OpenAmount)
{
    /// <summary>Gets the invoice's own currency, which <see cref="OpenAmount"/> is in.</summary>
    public string? Currency { get; init; }
}

/// <summary>The client's payments over every member; money in stored ten-thousandths.</summary>
public sealed record DossierPayments(long Payments, long Amount, string? LastPaidOn)
{
    /// <summary>Gets the currency of payments that could not be converted to the base currency; null for the base totals.</summary>
    public string? Currency { get; init; }
}

/// <summary>An open reminder about one of the client's counterparties.</summary>
public sealed record DossierReminder(string PluginId, string Title, string DueOn);

/// <summary>Everything the CRM knows about one client, gathered over all its legal entities and branches.</summary>
public sealed record ClientDossier(
    ClientRow Client,
    DateOnly AsOf,
    string? Manager,
    string? LifecycleStage,
    IReadOnlyList<DossierEntity> Entities,
    IReadOnlyList<DossierContact> Contacts,
    IReadOnlyList<DossierDeal> Deals,
    DossierInvoices Invoices,
    IReadOnlyList<DossierOverdueInvoice> OverdueInvoices,
    DossierPayments Payments,
    IReadOnlyList<DossierReminder> Reminders,
    IReadOnlyList<LinkRow> Links)
{
    /// <summary>Gets the currency <see cref="Invoices"/> and <see cref="Payments"/> are in: the store's base currency.</summary>
    public string BaseCurrency { get; init; } = Store.Mirror.Currency.DefaultBase;

    /// <summary>Gets, per currency without a rate, the invoices never added to <see cref="Invoices"/>, in their own currency.</summary>
    public IReadOnlyList<DossierInvoices> InvoicesNotConverted { get; init; } = [];

    /// <summary>Gets, per currency without a rate, the payments never added to <see cref="Payments"/>, in their own currency.</summary>
    public IReadOnlyList<DossierPayments> PaymentsNotConverted { get; init; } = [];
}
