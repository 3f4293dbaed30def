namespace CrmExtensions.Sdk.Model;

/// <summary>One client: the legal entities, branches and duplicates the CRM unified into a single record (read-only).</summary>
public sealed class Client
{
    /// <summary>Gets the client's stable id.</summary>
    /// <remarks>
    /// Opaque text: pass it back as it was handed out, and do not parse, build or compare it as a number. The host's ids
    /// happen to be decimal numbers and the test kit's are the ones it was seeded with; both accept exactly the ids they
    /// handed out and refuse any other alike (see <see cref="Storage.ICrmWriter.SetClientTagAsync"/>).
    /// </remarks>
    public required string ClientId { get; init; }

    /// <summary>Gets the name shown to people.</summary>
    public required string DisplayName { get; init; }

    /// <summary>Gets the id of the client this one was merged into, or <see langword="null"/>.</summary>
    public string? MergedInto { get; init; }

    /// <summary>Gets whether the client record is retired.</summary>
    public bool Retired { get; init; }

    /// <summary>Gets the ledger counterparties that make up the client.</summary>
    public IReadOnlyList<ClientMember> Members { get; init; } = [];

    /// <summary>Gets the members that are branches of the client.</summary>
    public IEnumerable<ClientMember> Branches => Members.Where(m => m.Role == ClientMemberRole.Branch);
}

/// <summary>One ledger counterparty in a client record.</summary>
public sealed class ClientMember
{
    /// <summary>Gets the counterparty.</summary>
    public required LedgerKey Counterparty { get; init; }

    /// <summary>Gets the legal entity the member belongs to (for example its INN), if known.</summary>
    public string? LegalEntity { get; init; }

    /// <summary>Gets the member's role in the client.</summary>
    public required ClientMemberRole Role { get; init; }
}

/// <summary>What a counterparty is to its client.</summary>
public enum ClientMemberRole
{
    /// <summary>The head registration of a legal entity.</summary>
    Head,

    /// <summary>A branch or representative office.</summary>
    Branch,

    /// <summary>Another ledger row of an entity already in the client.</summary>
    Duplicate,

    /// <summary>Another legal entity of the same group of companies.</summary>
    GroupMember,
}
