namespace CrmExtensions.Sdk.Model;

/// <summary>Where the CRM's mail to a client goes: the person and address campaigns write to (SDK 1.2).</summary>
/// <remarks>
/// The rule is the campaigns': a contact person with an address, a director (or head) first, then by name; else the
/// head legal entity's own address in the ledger; else nobody. Plugins that write to clients should use it rather than
/// choosing an address of their own, so a client hears from one person's mailbox.
/// </remarks>
public sealed class Recipient
{
    /// <summary>Gets the e-mail address, trimmed.</summary>
    public required string Address { get; init; }

    /// <summary>Gets the person's full name, or the client's name when the address is the legal entity's own.</summary>
    public string? Name { get; init; }

    /// <summary>Gets which rule chose the address.</summary>
    public required RecipientSource Source { get; init; }

    /// <summary>Gets why this address, in one line: <c>contact person, Генеральный директор</c>, <c>contact person</c>,
    /// <c>head entity's address in the ledger</c>.</summary>
    public required string Why { get; init; }
}

/// <summary>Which rule chose a <see cref="Recipient"/> (SDK 1.2).</summary>
public enum RecipientSource
{
    /// <summary>A contact person whose position names a director or head.</summary>
    Director,

    /// <summary>Another contact person with an address (the first by name).</summary>
    Contact,

    /// <summary>No contact person has an address: the head legal entity's own address in the ledger.</summary>
    HeadEntity,
}
