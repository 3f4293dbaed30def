namespace CrmExtensions.Samples.Internal;

internal enum EntityKind
{
    Organisation,
    SoleProprietor,
    Foreign,
}

/// <summary>What a group member shares with the rest of its group: the signals the engine links a group by.</summary>
internal sealed record GroupSignals(string? Domain, (string Code, int Number)? Phone, ContactPlan? Director, PlannedRow? Parent);

/// <summary>A legal entity as planned: what its head row, duplicates and branches are made from.</summary>
internal sealed class Entity
{
    public required string Id { get; init; }

    public required EntityKind Kind { get; init; }

    public required ClientProfile Client { get; init; }

    public required int Ledger { get; init; }

    public LegalForm? Form { get; init; }

    public required string Brand { get; init; }

    public PersonName? Person { get; init; }

    public Region? Region { get; init; }

    public City? City { get; init; }

    public string? ForeignCity { get; init; }

    public string? Country { get; init; }

    public required DateOnly Created { get; init; }

    public required bool InnValid { get; init; }

    public string? Inn { get; set; }

    public string? Kpp { get; set; }

    public string? Ogrn { get; set; }

    public string? Address { get; set; }

    public string? PhoneCode { get; set; }

    public int? PhoneNumber { get; set; }

    public string? PhoneText { get; set; }

    public string? Email { get; set; }

    public string? Domain { get; set; }

    public PlannedRow? Head { get; set; }
}
