using System.Diagnostics;
using CrmExtensions.Unification.Internal;

namespace CrmExtensions.Unification;

/// <summary>Turns ledger counterparties into clients: normalise → block → compare → cluster → explain. Pure, no I/O.</summary>
/// <remarks>Thread-safe: every call works on its own data. The run itself uses several cores.</remarks>
public static class UnificationEngine
{
    /// <summary>Runs unification over every row of the request.</summary>
    /// <exception cref="ArgumentNullException">The request, its rows or a row is null.</exception>
    /// <exception cref="ArgumentException">A decision of an unknown type was passed.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public static UnificationResult Run(UnificationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.Counterparties);
        var clock = Stopwatch.StartNew();
        var options = request.Options ?? new UnificationOptions();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism, CancellationToken = cancellationToken };
        var issues = new List<InputIssue>();

        var stages = new List<KeyValuePair<string, TimeSpan>>();
        void Stage(string name) => stages.Add(new(name, clock.Elapsed - stages.Aggregate(TimeSpan.Zero, (t, s) => t + s.Value)));

        var table = RecordTable.Build(request.Counterparties, issues, parallel);
        Stage("normalise");
        var ignoredContact = new bool[table.Pool.Count];
        var scorer = new PairScorer(table, ignoredContact);
        var edges = Blocker.Run(table, scorer, ignoredContact, options, parallel, issues, out var compared);
        Stage("block+compare");
        cancellationToken.ThrowIfCancellationRequested();

        var clusterer = new Clusterer(table);
        clusterer.ApplyDecisions(request.Decisions ?? [], issues);
        clusterer.ApplyIdentity();
        clusterer.ApplyParents(issues);
        clusterer.ApplyScored(edges, options.LinkThreshold);
        Stage("cluster");
        cancellationToken.ThrowIfCancellationRequested();

        return ResultBuilder.Build(table, clusterer, scorer, request, issues, compared, clock, stages);
    }
}
