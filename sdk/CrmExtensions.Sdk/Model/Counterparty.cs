namespace CrmExtensions.Sdk.Model;

/// <summary>A legal entity, branch or person as one ledger knows it (read-only).</summary>
public sealed class Counterparty
{
    /// <summary>Gets the counterparty's key.</summary>
    public required LedgerKey Key { get; init; }

    /// <summary>Gets the name as the ledger spells it.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the tax id (INN), if mapped.</summary>
    public string? TaxId { get; init; }

    /// <summary>Gets the branch code (KPP), if mapped.</summary>
    public string? BranchCode { get; init; }

    /// <summary>Gets the city, if mapped.</summary>
    public string? City { get; init; }

    /// <summary>Gets the e-mail address, if mapped.</summary>
    public string? Email { get; init; }

    /// <summary>Gets the phone number, if mapped.</summary>
    public string? Phone { get; init; }

    /// <summary>Gets the responsible manager, if mapped.</summary>
    public string? Manager { get; init; }

    /// <summary>Gets the date of birth of a sole proprietor, or an organisation's registration date, if mapped (SDK 1.1).</summary>
    public DateOnly? Birthday { get; init; }

    /// <summary>Gets whether the ledger no longer returns the row.</summary>
    public bool Vanished { get; init; }
}
