namespace CrmExtensions.Store.Clients;

/// <summary>A live counterparty from the mirror, as unification reads it.</summary>
public readonly record struct CounterpartyRow(
    string Ledger, string LedgerId, string? Name, string? TaxId, string? BranchCode, string? RegistrationNumber,
    string? ParentLedgerId, string? Address, string? City, string? Region, string? Country, string? Phone,
    string? Email, string? Website, string? Manager, DateOnly? Birthday = null);

/// <summary>Which client, legal entity and registration a ledger counterparty belongs to.</summary>
/// <param name="Role"><c>head</c> or <c>branch</c>.</param>
public sealed record MemberRow(
    string Ledger, string LedgerId, long ClientId, string LegalEntity, string? EntityName, string? TaxId, string Role,
    string? BranchCode, string? City, string? Region);

/// <summary>A client record.</summary>
public sealed record ClientRow(long ClientId, string DisplayName, long Members, long LegalEntities, long Branches, string CreatedAt, string UpdatedAt, string? RetiredAt, long? MergedInto);

/// <summary>One tag a plugin put on a client.</summary>
/// <param name="Name">The tag's name.</param>
/// <param name="Value">Its value.</param>
/// <param name="PluginId">The plugin that wrote it last.</param>
/// <param name="UpdatedAt">When it was written, UTC, ISO 8601.</param>
public sealed record ClientTagRow(string Name, string Value, string PluginId, string UpdatedAt);

/// <summary>One link of a client's explanation: why two of its members were put together.</summary>
public sealed record LinkRow(long ClientId, string FromLedger, string FromId, string ToLedger, string ToId, string LinkRule, string Evidence, double Score);

/// <summary>A pair near the threshold, for people to decide.</summary>
public sealed record ReviewRow(string FirstLedger, string FirstId, long FirstClient, string SecondLedger, string SecondId, long SecondClient, string LinkRule, string Evidence, double Score);

/// <summary>A pair for review with both ledger rows as the mirror has them, for people to compare side by side.</summary>
public sealed record ReviewPairRow(
    long Id, string FirstLedger, string FirstId, long FirstClient, string SecondLedger, string SecondId, long SecondClient, string LinkRule, string Evidence, double Score,
    string? FirstName, string? FirstTaxId, string? FirstBranchCode, string? FirstAddress, string? FirstCity, string? FirstPhone, string? FirstEmail,
    string? SecondName, string? SecondTaxId, string? SecondBranchCode, string? SecondAddress, string? SecondCity, string? SecondPhone, string? SecondEmail)
{
    /// <summary>The first row as <c>ledger:ledger_id</c>, as decisions name members.</summary>
    public string FirstKey => FirstLedger + ":" + FirstId;

    /// <summary>The second row as <c>ledger:ledger_id</c>.</summary>
    public string SecondKey => SecondLedger + ":" + SecondId;
}

/// <summary>Something unification noticed about its input (an invalid INN, an empty name, a cycle in the parent column).</summary>
public sealed record IssueRow(string? Ledger, string? LedgerId, long? ClientId, string Kind, string Detail);

/// <summary>A person's decision about clients, applied on every unification run until undone.</summary>
/// <param name="Kind"><c>merge</c>, <c>split</c> or <c>never-link</c>.</param>
/// <param name="Members">Members as <c>ledger:ledger_id</c>, separated by new lines.</param>
/// <param name="FromMembers">For a split: the client's other members when it was made.</param>
public sealed record DecisionRow(long Id, string DecidedAt, string Kind, string Members, string? FromMembers, long SameLegalEntityFlag, string? Note, string? UndoneAt)
{
    /// <summary>For a merge: whether the members are one legal entity, not only one client.</summary>
    public bool SameLegalEntity => SameLegalEntityFlag != 0;

    /// <summary>The members as a list.</summary>
    public IReadOnlyList<string> MemberList => Split(Members);

    /// <summary>The split's other members as a list.</summary>
    public IReadOnlyList<string> FromList => Split(FromMembers);

    private static string[] Split(string? text) => text?.Split('\n', StringSplitOptions.RemoveEmptyEntries) ?? [];
}

/// <summary>The figures of one unification run.</summary>
public sealed record UnificationRunRow(long LedgerEntities, long LegalEntities, long Clients, long Branches, long GroupsLinked, long ReviewPairs, long InvalidIdentifiers, long ElapsedMs);

/// <summary>An event about a client: <c>client.created</c>, <c>client.merged</c> or <c>client.split</c>.</summary>
public sealed record ClientEvent(string Type, long ClientId, string? Data);

/// <summary>Everything one unification run writes.</summary>
public sealed class ClientRunData
{
    /// <summary>Clients that are new or changed since the last run; enumerated once, inside the write.</summary>
    public required IEnumerable<ClientRow> Clients { get; init; }

    /// <summary>Client ids the run no longer produces, with the client that took most of their members.</summary>
    public required IReadOnlyList<(long ClientId, long? MergedInto)> Retired { get; init; }

    /// <summary>Member rows that are new or changed since the last run; enumerated once, inside the write.</summary>
    public required IEnumerable<MemberRow> ChangedMembers { get; init; }

    /// <summary>Every link of every client; enumerated once, inside the write.</summary>
    public required IEnumerable<LinkRow> Links { get; init; }

    public required IReadOnlyList<ReviewRow> Review { get; init; }

    public required IReadOnlyList<IssueRow> Issues { get; init; }

    public required IReadOnlyList<ClientEvent> Events { get; init; }

    public required UnificationRunRow Run { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>For an incremental run, the ids of the clients it re-examined (before and after): only their links, review
    /// pairs and issues (and the issues of no row) are replaced, and <see cref="Links"/>, <see cref="Review"/> and
    /// <see cref="Issues"/> hold only theirs. Null for a full run, which replaces them all.</summary>
    public IReadOnlyCollection<long>? ReExaminedClients { get; init; }

    /// <summary>A model the run learnt, to keep for the next runs; null when it scored with the kept one.</summary>
    public UnificationModelRow? Model { get; init; }
}

/// <summary>A match model kept in the store: when it was learnt, from how many rows, and the model itself as JSON.</summary>
/// <param name="LearntAt">When the run that learnt it started, UTC, ISO 8601; rows changed since count against it. Written
/// from <see cref="ClientRunData.StartedAt"/>: the value passed to a write is ignored.</param>
/// <param name="BaseRows">The live counterparties it was learnt from.</param>
/// <param name="Model">The model (λ, m and u per field and level) as JSON; only unification reads it.</param>
public sealed record UnificationModelRow(string LearntAt, long BaseRows, string Model);

/// <summary>The rows unification has to look at again since an instant (<see cref="ClientStore.ChangedSince"/>), and how
/// many of them are counterparties the mirror added, changed or vanished (the rest changed only their contact persons).</summary>
public sealed record ChangedRows(HashSet<(string Ledger, string LedgerId)> Rows, long Counterparties);
