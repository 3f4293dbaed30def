using System.Diagnostics;
using System.Runtime.CompilerServices;
using CrmExtensions.Unification.Internal;

namespace CrmExtensions.Unification;

/// <summary>Turns ledger counterparties into clients: normalise → block → compare → learn → score → cluster → explain. Pure, no I/O.</summary>
/// <remarks>Thread-safe: every call works on its own data. The run itself uses several cores.</remarks>
public static class UnificationEngine
{
    /// <summary>Runs unification over every row of the request.</summary>
    /// <exception cref="ArgumentNullException">The request, its rows or a row is null.</exception>
    /// <exception cref="ArgumentException">A decision of an unknown type was passed.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    /// <remarks>Nothing of the request's rows is kept past normalisation but what the result shows, so a caller that
    /// holds no reference of its own to them lets them be collected during the run.</remarks>
    // Fully optimised from the first call: unoptimised code keeps the request, and with it every input row, alive
    // to the end of the method.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static UnificationResult Run(UnificationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.Counterparties);
        var clock = Stopwatch.StartNew();
        var options = request.Options ?? new UnificationOptions();
        var decisions = request.Decisions ?? [];
        var previousAssignment = request.PreviousAssignment;
        var allocateClientId = request.AllocateClientId;
        var maxReviewPairs = options.MaxReviewPairs;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism, CancellationToken = cancellationToken };
        var issues = new List<InputIssue>();

        var stages = new List<KeyValuePair<string, TimeSpan>>();
        void Stage(string name) => stages.Add(new(name, clock.Elapsed - stages.Aggregate(TimeSpan.Zero, (t, s) => t + s.Value)));

        var table = RecordTable.Build(request.Counterparties, issues, parallel);
        Stage("normalise");
        var ignoredContact = new bool[table.Pool.Count];
        var scorer = new PairScorer(table, ignoredContact) { LinkThreshold = (float)options.LinkThreshold };
        var (pairs, keyFields) = Blocker.Run(table, ignoredContact, options, parallel, issues);
        var patterns = Scoring.Compare(scorer, pairs, parallel);
        Stage("block+compare");
        cancellationToken.ThrowIfCancellationRequested();

        scorer.Model = Scoring.Train(scorer, table.Count, pairs, keyFields, patterns, parallel);
        var (edges, probability) = Scoring.Edges(scorer, pairs, patterns, options, parallel);
        var compared = pairs.LongLength;
        (keyFields, patterns) = (null, null);
        Stage("learn+score");
        cancellationToken.ThrowIfCancellationRequested();

        var clusterer = new Clusterer(table);
        clusterer.ApplyDecisions(decisions, issues);
        table.DropLookups();
        clusterer.ApplyIdentity();
        clusterer.ApplyParents(issues);
        clusterer.ApplyScored(edges, options.LinkThreshold, (a, b) => Scoring.Lookup(pairs, probability, a, b));
        (pairs, probability) = (null, null);
        Stage("cluster");
        cancellationToken.ThrowIfCancellationRequested();

        return ResultBuilder.Build(table, clusterer, scorer, previousAssignment, allocateClientId, maxReviewPairs, issues, compared, clock, stages);
    }
}
