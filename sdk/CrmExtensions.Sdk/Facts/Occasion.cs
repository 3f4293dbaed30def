using CrmExtensions.Sdk.Model;

namespace CrmExtensions.Sdk.Facts;

/// <summary>What an <see cref="Occasion"/> celebrates (SDK 1.1).</summary>
public enum OccasionKind
{
    /// <summary>A contact person's birthday.</summary>
    ContactBirthday,

    /// <summary>A sole proprietor's birthday (the counterparty's date with a 12-digit INN).</summary>
    ProprietorBirthday,

    /// <summary>An organisation's anniversary of registration (the counterparty's date).</summary>
    CompanyAnniversary,
}

/// <summary>A birthday or anniversary falling on a day, with who to greet and their client (SDK 1.1).</summary>
public sealed class Occasion
{
    /// <summary>Gets what is celebrated.</summary>
    public required OccasionKind Kind { get; init; }

    /// <summary>Gets the row whose date it is: the contact person, or the counterparty.</summary>
    public required LedgerKey Key { get; init; }

    /// <summary>Gets the counterparty concerned (the contact's employer, or the counterparty itself).</summary>
    public required LedgerKey Counterparty { get; init; }

    /// <summary>Gets the person's full name, or the counterparty's name.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the contact's position, if any.</summary>
    public string? Position { get; init; }

    /// <summary>Gets where to send a greeting, if known.</summary>
    public string? Email { get; init; }

    /// <summary>Gets the date of birth or registration.</summary>
    public required DateOnly Since { get; init; }

    /// <summary>Gets the day within the window the occasion falls on.</summary>
    public required DateOnly Date { get; init; }

    /// <summary>Gets the age or the number of years since registration on <see cref="Date"/>.</summary>
    public int Years => Date.Year - Since.Year;

    /// <summary>Gets the unified client, or <see langword="null"/> before unification.</summary>
    public string? ClientId { get; init; }

    /// <summary>Gets the client's name, or the counterparty's name when it is in no client.</summary>
    public required string ClientName { get; init; }

    /// <summary>Gets the counterparty's manager, if any.</summary>
    public string? Manager { get; init; }
}
