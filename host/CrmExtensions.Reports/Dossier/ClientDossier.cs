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
/// <remarks>Unpaid and overdue amounts are what is still open (amount minus paid amount).</remarks>
public sealed record DossierInvoices(long Invoices, long Amount, long Paid, long PaidAmount, long Unpaid, long UnpaidAmount, long Overdue, long OverdueAmount);

/// <summary>An open invoice past its due date.</summary>
public sealed record DossierOverdueInvoice(string Ledger, string LedgerId, string? Number, string IssuedOn, string DueOn, long OpenAmount);

/// <summary>The client's payments over every member; money in stored ten-thousandths.</summary>
public sealed record DossierPayments(long Payments, long Amount, string? LastPaidOn);

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
    IReadOnlyList<LinkRow> Links);
