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
        var kept = request.Model is { } model ? FellegiSunter.FromModel(model) : null;
        bool[]? scope = null;
        if (kept is not null && request.Changed is { } changed && previousAssignment is { Count: > 0 })
        {
            // Incremental: every row is normalised and blocked as in a full run (the blocks, term frequencies and rarity
            // a score depends on count them all), but only the pairs within the re-examined rows are compared.
            scorer.Model = kept;
            scope = Scope.Close(table, scorer, pairs, Scoring.EdgeThreshold(options), previousAssignment, changed, decisions, parallel);
            (pairs, keyFields) = Within(pairs, keyFields, scope);
        }

        var patterns = Scoring.Compare(scorer, pairs, parallel);
        Stage(scope is null ? "block+compare" : "block+scope+compare");
        cancellationToken.ThrowIfCancellationRequested();

        scorer.Model = kept ?? Scoring.Train(scorer, table.Count, pairs, keyFields, patterns, parallel);
        var (edges, probability) = Scoring.Edges(scorer, pairs, patterns, options, parallel);
        var compared = pairs.LongLength;
        (keyFields, patterns) = (null, null);
        Stage(kept is null ? "learn+score" : "score");
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

        return ResultBuilder.Build(table, clusterer, scorer, previousAssignment, allocateClientId, maxReviewPairs, issues, compared, clock, stages, scope);
    }

    /// <summary>The candidate pairs (sorted, with their key fields) whose rows are both re-examined.</summary>
    private static (long[] Pairs, byte[] KeyFields) Within(long[] pairs, byte[] keyFields, bool[] scope)
    {
        var count = 0;
        foreach (var pair in pairs)
        {
            count += scope[(int)(pair >> 32)] && scope[(int)pair] ? 1 : 0;
        }

        var (keptPairs, keptFields) = (new long[count], new byte[count]);
        var k = 0;
        for (var p = 0; p < pairs.Length; p++)
        {
            if (scope[(int)(pairs[p] >> 32)] && scope[(int)pairs[p]])
            {
                (keptPairs[k], keptFields[k]) = (pairs[p], keyFields[p]);
                k++;
            }
        }

        return (keptPairs, keptFields);
    }
}
