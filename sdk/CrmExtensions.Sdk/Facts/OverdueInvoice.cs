using CrmExtensions.Sdk.Model;

namespace CrmExtensions.Sdk.Facts;

/// <summary>An invoice overdue as of a day, with the client and the ledger counterparty it was issued to (SDK 1.1).</summary>
public sealed class OverdueInvoice
{
    /// <summary>Gets the invoice.</summary>
    public required Invoice Invoice { get; init; }

    /// <summary>Gets the day the facts are for.</summary>
    public required DateOnly AsOf { get; init; }

    /// <summary>Gets the amount still owed as of the day, in the invoice's own currency (<see cref="Invoice.Currency"/>).</summary>
    public required decimal Outstanding { get; init; }

    /// <summary>Gets the amount still owed as of the day in the CRM's base currency (<see cref="BaseCurrency"/>), at the
    /// rate the invoice was converted at; <see langword="null"/> when its currency has no rate (SDK 1.4).</summary>
    /// <remarks>Sum this, never <see cref="Outstanding"/>, over invoices that may be in several currencies; those with
    /// <see langword="null"/> belong to a total of their own currency.</remarks>
    public decimal? OutstandingInBase { get; init; }

    /// <summary>Gets the CRM's base currency, an ISO 4217 code such as <c>RUB</c>, which <see cref="OutstandingInBase"/>
    /// and the facts' totals (<see cref="ClientFacts.Overdue"/>, revenue) are in (SDK 1.4).</summary>
    public string? BaseCurrency { get; init; }

    /// <summary>Gets the unified client the invoiced counterparty belongs to, or <see langword="null"/> before unification.</summary>
    public string? ClientId { get; init; }

    /// <summary>Gets the client's name, or the counterparty's name when it is in no client.</summary>
    public required string ClientName { get; init; }

    /// <summary>Gets the manager responsible for the invoice (the invoice's, else the counterparty's), if any.</summary>
    public string? Manager { get; init; }

    /// <summary>Gets the invoiced counterparty's name as its ledger spells it.</summary>
    public required string CounterpartyName { get; init; }

    /// <summary>Gets the invoiced counterparty's role in its client.</summary>
    public ClientMemberRole Role { get; init; }

    /// <summary>Gets the city of the invoiced counterparty, if known.</summary>
    public string? City { get; init; }

    /// <summary>Gets the invoiced counterparty's e-mail address, if any.</summary>
    public string? Email { get; init; }

    /// <summary>Gets how many days the invoice is overdue as of the day (1 the day after it was due).</summary>
    public int DaysOverdue => AsOf.DayNumber - (Invoice.DueOn ?? AsOf).DayNumber;
}
