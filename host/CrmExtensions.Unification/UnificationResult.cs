using CrmExtensions.Unification.Identifiers;

namespace CrmExtensions.Unification;

/// <summary>The outcome of a run: clients with their members and evidence, pairs for review, input issues and a summary.</summary>
public sealed class UnificationResult
{
    private readonly Dictionary<MemberKey, long> _assignment;
    private Dictionary<long, UnifiedClient>? _byId;

    internal UnificationResult(
        IReadOnlyList<UnifiedClient> clients,
        IReadOnlyList<ReviewPair> review,
        IReadOnlyList<InputIssue> issues,
        UnificationSummary summary,
        Dictionary<MemberKey, long> assignment)
    {
        Clients = clients;
        Review = review;
        Issues = issues;
        Summary = summary;
        _assignment = assignment;
    }

    /// <summary>Clients ordered by id.</summary>
    public IReadOnlyList<UnifiedClient> Clients { get; }

    /// <summary>Pairs scored near the link threshold and left unlinked, the ones whose decision moves most rows first
    /// (<see cref="ReviewPair.Impact"/>), then the most uncertain.</summary>
    public IReadOnlyList<ReviewPair> Review { get; }

    /// <summary>Problems found in the input: invalid identifiers, empty names, parent cycles, oversized blocks. After an
    /// incremental run (<see cref="ReExamined"/>), not those of the rows it left in their previous clients.</summary>
    public IReadOnlyList<InputIssue> Issues { get; }

    /// <summary>Counts for the run.</summary>
    public UnificationSummary Summary { get; }

    /// <summary>The Fellegi–Sunter model learnt from this run's rows: m and u per field and level, and the match
    /// share. <see cref="MatchModel.ToString"/> prints it as a table (what <c>crmx unify --stats</c> shows).</summary>
    public MatchModel Model { get; internal init; } = null!;

    /// <summary>Rows re-examined by an incremental run (<see cref="UnificationRequest.Changed"/>): <see cref="Clients"/>,
    /// <see cref="Assignment"/>, <see cref="Review"/> and the clients' issues cover these rows only, every other row keeps
    /// its previous client. Null for a full run.</summary>
    public int? ReExamined { get; internal init; }

    /// <summary>The client id of every row; pass it back as the previous assignment of the next run.</summary>
    public IReadOnlyDictionary<MemberKey, long> Assignment => _assignment;

    /// <summary>Finds a client by id.</summary>
    /// <remarks>The index is built on the first call: the host never looks clients up, and at a million clients it costs.</remarks>
    public UnifiedClient? FindClient(long clientId) =>
        LazyInitializer.EnsureInitialized(ref _byId, () => Clients.ToDictionary(c => c.Id)).GetValueOrDefault(clientId);

    /// <summary>The review pairs that touch a client.</summary>
    public IReadOnlyList<ReviewPair> ReviewFor(long clientId) =>
        [.. Review.Where(r => r.FirstClientId == clientId || r.SecondClientId == clientId)];
}

/// <summary>A client: one or more legal entities judged to be one customer.</summary>
public sealed record UnifiedClient(long Id, string DisplayName, IReadOnlyList<LegalEntity> Entities, IReadOnlyList<Link> Links, IReadOnlyList<InputIssue> Issues)
{
    /// <summary>Every ledger row of the client.</summary>
    public IEnumerable<MemberKey> Members => Entities.SelectMany(e => e.Branches).SelectMany(b => b.Members);
}

/// <summary>A legal entity: the rows sharing one valid INN (or judged to be one organisation without it).</summary>
public sealed record LegalEntity(string? TaxId, InnKind TaxIdKind, string? LegalForm, string DisplayName, IReadOnlyList<Branch> Branches);

/// <summary>A registration of a legal entity: its head office or a branch, with the rows that carry it.</summary>
public sealed record Branch(string? BranchCode, KppReason Reason, bool IsHead, string? City, string? Region, IReadOnlyList<MemberKey> Members);

/// <summary>Why two rows are in one client: the rule that linked them, its evidence and its score.</summary>
public sealed record Link(MemberKey From, MemberKey To, LinkRule Rule, string Evidence, double Score);

/// <summary>A pair of rows in different clients whose score came near the link threshold.</summary>
public sealed record ReviewPair(MemberKey First, long FirstClientId, MemberKey Second, long SecondClientId, LinkRule Rule, string Evidence, double Score)
{
    /// <summary>How many rows a decision on this pair moves: the rows of both clients it would join. The review list
    /// is ranked by it, largest first.</summary>
    public int Impact { get; init; }
}

/// <summary>The rule behind a link.</summary>
public enum LinkRule
{
    /// <summary>Both rows carry the same valid INN: one legal entity.</summary>
    SameTaxId,

    /// <summary>Both rows carry the same valid OGRN or OGRNIP: one legal entity.</summary>
    SameRegistrationNumber,

    /// <summary>The ledger's parent column names the other row, and nothing says they are different entities: a branch.</summary>
    ParentColumn,

    /// <summary>Names, addresses and contacts agree while identifiers do not contradict: one legal entity typed differently.</summary>
    Similarity,

    /// <summary>The ledger's parent column links two entities with different INNs: one group of companies.</summary>
    GroupParentColumn,

    /// <summary>Different INNs with shared domain, phone, director or a near-identical name in one region: one group.</summary>
    GroupEvidence,

    /// <summary>A person's merge decision.</summary>
    Decision,
}

/// <summary>A problem found in the input, reported rather than thrown.</summary>
public sealed record InputIssue(MemberKey? Member, IssueKind Kind, string Detail);

/// <summary>The kind of an input problem.</summary>
public enum IssueKind
{
    /// <summary>The name is empty, or nothing is left once legal form, punctuation and symbols are removed.</summary>
    EmptyName,

    /// <summary>The INN is malformed or fails its check digits; it is not used as evidence.</summary>
    InvalidTaxId,

    /// <summary>The KPP is malformed; it is not used.</summary>
    InvalidBranchCode,

    /// <summary>The OGRN/OGRNIP is malformed or fails its check digit; it is not used as evidence.</summary>
    InvalidRegistrationNumber,

    /// <summary>The parent column names a row that does not exist in the same ledger.</summary>
    UnknownParent,

    /// <summary>The parent column forms a cycle; the rows are kept together and the cycle reported.</summary>
    ParentCycle,

    /// <summary>Two rows share a key; the later one is ignored.</summary>
    DuplicateKey,

    /// <summary>A block was too large to compare pair by pair and was compared within a window.</summary>
    OversizedBlock,

    /// <summary>A phone or domain was shared by too many unrelated names and was not used as evidence.</summary>
    SharedContactIgnored,

    /// <summary>A decision names a row that is not in the input; that part of the decision is skipped.</summary>
    UnknownDecisionMember,
}

/// <summary>Counts for a run: ledger rows → legal entities → clients.</summary>
public sealed record UnificationSummary(
    int LedgerEntities,
    int LegalEntities,
    int Clients,
    int Branches,
    int GroupsLinked,
    int ReviewPairs,
    int InvalidIdentifiers,
    int EmptyNames,
    long ComparedPairs,
    TimeSpan Elapsed)
{
    /// <summary>Wall time of each stage, in order: normalise, block+compare (or block+scope+compare), learn+score (or score), cluster, explain, result.</summary>
    public IReadOnlyList<KeyValuePair<string, TimeSpan>> Stages { get; init; } = [];
}
