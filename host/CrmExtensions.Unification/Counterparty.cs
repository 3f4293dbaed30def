namespace CrmExtensions.Unification;

/// <summary>One counterparty row of one attached ledger, as the engine reads it.</summary>
/// <remarks>Only <see cref="Ledger"/> and <see cref="LedgerId"/> are required; every other field may be null or junk.</remarks>
public sealed record Counterparty(string Ledger, string LedgerId, string? Name)
{
    /// <summary>INN as the ledger stores it.</summary>
    public string? TaxId { get; init; }

    /// <summary>KPP as the ledger stores it.</summary>
    public string? BranchCode { get; init; }

    /// <summary>OGRN or OGRNIP as the ledger stores it.</summary>
    public string? RegistrationNumber { get; init; }

    /// <summary>The ledger id of the parent counterparty in the same ledger.</summary>
    public string? ParentLedgerId { get; init; }

    /// <summary>Street address.</summary>
    public string? Address { get; init; }

    /// <summary>City or settlement.</summary>
    public string? City { get; init; }

    /// <summary>Region (oblast, state).</summary>
    public string? Region { get; init; }

    /// <summary>Country.</summary>
    public string? Country { get; init; }

    /// <summary>Phone number in any format.</summary>
    public string? Phone { get; init; }

    /// <summary>E-mail address.</summary>
    public string? Email { get; init; }

    /// <summary>Web site.</summary>
    public string? Website { get; init; }

    /// <summary>The counterparty's directors (its heads: people, not our account manager); the host takes them from the
    /// contact persons whose position says so. One person heading two companies is evidence of a group.</summary>
    public IReadOnlyList<string>? Directors { get; init; }

    /// <summary>The row's birthday: a sole proprietor's or a private client's birth date, a firm's day of registration. A
    /// year not known (a ledger that keeps only the day and month) is <see cref="NoYear"/>.</summary>
    public DateOnly? Birthday { get; init; }

    /// <summary>The year of a <see cref="Birthday"/> whose year is not known: a leap year, so that 29 February is a day.</summary>
    public const int NoYear = 4;

    /// <summary>The key of this row.</summary>
    public MemberKey Key => new(Ledger, LedgerId);
}
