namespace CrmExtensions.Sdk.Model;

/// <summary>An invoice issued to a counterparty (read-only).</summary>
public sealed class Invoice
{
    /// <summary>Gets the invoice's key.</summary>
    public required LedgerKey Key { get; init; }

    /// <summary>Gets the counterparty invoiced, in the same ledger.</summary>
    public required LedgerKey Counterparty { get; init; }

    /// <summary>Gets the document number, if mapped.</summary>
    public string? Number { get; init; }

    /// <summary>Gets the issue date.</summary>
    public required DateOnly IssuedOn { get; init; }

    /// <summary>Gets the due date, if mapped.</summary>
    public DateOnly? DueOn { get; init; }

    /// <summary>Gets the amount invoiced.</summary>
    public required decimal Amount { get; init; }

    /// <summary>Gets the amount the ledger reports paid, if mapped.</summary>
    public decimal? PaidAmount { get; init; }

    /// <summary>Gets the currency code, if mapped.</summary>
    public string? Currency { get; init; }

    /// <summary>Gets the manager responsible for the invoice, if mapped (SDK 1.2).</summary>
    /// <value><see langword="null"/> when the ledger names none; <see cref="Facts.OverdueInvoice.Manager"/> then falls back to the counterparty's.</value>
    public string? Manager { get; init; }

    /// <summary>Gets the date the CRM saw the invoice settled, or <see langword="null"/> while unpaid.</summary>
    public DateOnly? SettledOn { get; init; }

    /// <summary>Gets whether the ledger no longer returns the row.</summary>
    public bool Vanished { get; init; }
}

/// <summary>A payment received from a counterparty (read-only).</summary>
public sealed class Payment
{
    /// <summary>Gets the payment's key.</summary>
    public required LedgerKey Key { get; init; }

    /// <summary>Gets the paying counterparty, in the same ledger.</summary>
    public required LedgerKey Counterparty { get; init; }

    /// <summary>Gets the payment date.</summary>
    public required DateOnly PaidOn { get; init; }

    /// <summary>Gets the amount paid.</summary>
    public required decimal Amount { get; init; }

    /// <summary>Gets the id of the invoice paid, if the ledger says.</summary>
    public string? InvoiceId { get; init; }
}

/// <summary>A contact person of a counterparty (read-only).</summary>
public sealed class Contact
{
    /// <summary>Gets the contact's key.</summary>
    public required LedgerKey Key { get; init; }

    /// <summary>Gets the counterparty the person works for, in the same ledger.</summary>
    public required LedgerKey Counterparty { get; init; }

    /// <summary>Gets the person's full name.</summary>
    public required string FullName { get; init; }

    /// <summary>Gets the position, if mapped.</summary>
    public string? Position { get; init; }

    /// <summary>Gets the e-mail address, if mapped.</summary>
    public string? Email { get; init; }

    /// <summary>Gets the birthday, if mapped.</summary>
    public DateOnly? Birthday { get; init; }
}
