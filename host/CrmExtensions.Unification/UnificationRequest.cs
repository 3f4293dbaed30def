namespace CrmExtensions.Unification;

/// <summary>Everything a unification run needs: the rows, the previous run's ids and people's decisions.</summary>
public sealed record UnificationRequest
{
    /// <summary>Counterparty rows of every attached ledger.</summary>
    public required IReadOnlyList<Counterparty> Counterparties { get; init; }

    /// <summary>The client id each row had after the previous run; ids are reused from it.</summary>
    public IReadOnlyDictionary<MemberKey, long>? PreviousAssignment { get; init; }

    /// <summary>People's decisions in the order they were made.</summary>
    public IReadOnlyList<UnificationDecision> Decisions { get; init; } = [];

    /// <summary>Returns a fresh client id; when null, new ids continue from the largest previous id, in the order of each new client's smallest member key.</summary>
    /// <remarks>The default can hand out again the id of a client that vanished; a store sequence avoids that.</remarks>
    public Func<long>? AllocateClientId { get; init; }

    /// <summary>Thresholds and limits.</summary>
    public UnificationOptions Options { get; init; } = new();
}
