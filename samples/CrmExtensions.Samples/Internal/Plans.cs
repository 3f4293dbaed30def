namespace CrmExtensions.Samples.Internal;

/// <summary>How a client buys and pays: shared by every row of the client.</summary>
internal sealed class ClientProfile
{
    public required string Id { get; init; }

    /// <summary>Pareto-distributed invoice size multiplier: the source of the 80/20 revenue split.</summary>
    public required double AmountScale { get; init; }

    public required double Activity { get; init; }

    public required double Reliability { get; init; }

    public required int TermDays { get; init; }

    public required string Currency { get; init; }
}

/// <summary>A contact person to be written under a counterparty row.</summary>
internal sealed record ContactPlan(PersonName Person, string? Position, string? Email, string? Phone, DateOnly? Birthday);

/// <summary>A counterparty row planned for a ledger, with its ground truth; its code is issued when it is written.</summary>
internal sealed class PlannedRow
{
    public required int Ledger { get; init; }

    public required string Name { get; init; }

    public string? Inn { get; init; }

    public bool InnValid { get; init; }

    public string? Kpp { get; init; }

    public string? Ogrn { get; init; }

    /// <summary>The ledger's head-organisation reference; the parent is always written before this row.</summary>
    public PlannedRow? Parent { get; set; }

    public string? Address { get; init; }

    public string? City { get; init; }

    public string? RegionCode { get; init; }

    public string? Country { get; init; }

    public string? Phone { get; set; }

    public string? Email { get; set; }

    public string? Website { get; set; }

    public DateOnly? Birthday { get; init; }

    public required string LegalEntity { get; init; }

    public required string Role { get; init; }

    public required ClientProfile Client { get; init; }

    public required DateOnly Created { get; init; }

    public required double InvoiceFactor { get; init; }

    public int Manager { get; init; } = -1;

    public List<ContactPlan> Contacts { get; } = [];

    public string? Code { get; set; }
}
