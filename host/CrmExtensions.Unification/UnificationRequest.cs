namespace CrmExtensions.Unification;

/// <summary>Everything a unification run needs: the rows, the previous run's ids and people's decisions.</summary>
public sealed record UnificationRequest
{
    /// <summary>Counterparty rows of every attached ledger, enumerated once.</summary>
    /// <remarks>A stream (rows read from a store as the run asks for them) is normalised as it comes, so the rows are never
    /// all held at once. A collection's count (<see cref="IReadOnlyCollection{T}.Count"/>) sizes the engine's table up front;
    /// a stream that knows how many rows it will give can say so by being one.</remarks>
    public required IEnumerable<Counterparty> Counterparties { get; init; }

    /// <summary>The client id each row had after the previous run; ids are reused from it.</summary>
    public IReadOnlyDictionary<MemberKey, long>? PreviousAssignment { get; init; }

    /// <summary>People's decisions in the order they were made.</summary>
    public IReadOnlyList<UnificationDecision> Decisions { get; init; } = [];

    /// <summary>Returns a fresh client id; when null, new ids continue from the largest previous id, in the order of each new client's smallest member key.</summary>
    /// <remarks>The default can hand out again the id of a client that vanished; a store sequence avoids that.</remarks>
    public Func<long>? AllocateClientId { get; init; }

    /// <summary>A model kept from an earlier run (<see cref="UnificationResult.Model"/>, <see cref="MatchModel.Restore"/>):
    /// pairs are scored with it instead of a model learnt from these rows; null learns one.</summary>
    /// <remarks>Ignored when its fields and levels are not the ones this engine compares.</remarks>
    public MatchModel? Model { get; init; }

    /// <summary>The rows added, changed or vanished since the run that gave <see cref="PreviousAssignment"/> (and the rows
    /// of decisions made or undone since); null re-examines every row.</summary>
    /// <remarks>When given with a previous assignment and a usable <see cref="Model"/>, the run re-examines only these rows,
    /// the rows sharing their exact name, address or phone, and the clients of both, closed over every link and review
    /// pair that reaches out of them; the result then
    /// holds only those clients (<see cref="UnificationResult.ReExamined"/>), and every other row keeps its client.
    /// The rows are still all passed: the blocks, term frequencies and rarity the scores depend on are counted over all
    /// of them, so a pair scores as in a full run.</remarks>
    public IReadOnlyCollection<MemberKey>? Changed { get; init; }

    /// <summary>Thresholds and limits.</summary>
    public UnificationOptions Options { get; init; } = new();

    /// <summary>Told the name of each stage as it starts, on the engine's thread: the names
    /// <see cref="UnificationSummary.Stages"/> then gives each stage's time under (normalise, block+compare or
    /// block+scope+compare, learn+score or score, cluster, explain, result).</summary>
    public IProgress<string>? Progress { get; init; }
}
