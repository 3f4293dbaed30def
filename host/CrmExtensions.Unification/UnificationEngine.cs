using System.Diagnostics;
using System.Reflection;
using System.Runtime.CompilerServices;
using CrmExtensions.Unification.Internal;

namespace CrmExtensions.Unification;

/// <summary>Turns ledger counterparties into clients: normalise → block → compare → learn → score → cluster → explain → result. Pure, no I/O.</summary>
/// <remarks>Thread-safe: every call works on its own data. The run itself uses several cores.</remarks>
public static class UnificationEngine
{
    /// <summary>This build of the engine (its assembly's informational version, with the source revision where the build
    /// knew it): a caller that keeps a model and clients between runs re-examines every row when it changes, since how
    /// rows are read and compared may have changed with it.</summary>
    public static string Version { get; } =
        typeof(UnificationEngine).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(UnificationEngine).Assembly.GetName().Version?.ToString() ?? "unknown";

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
        var (requestModel, changed) = (request.Model, request.Changed);
        var maxReviewPairs = options.MaxReviewPairs;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism, CancellationToken = cancellationToken };
        var issues = new List<InputIssue>();

        // Each stage is named once, as it starts (told to the request's progress); its time is taken when the next starts.
        // The progress is read out here: a local function that read it from the request would hold the request, and with
        // it every input row, to the end of the run.
        var progress = request.Progress;
        var stages = new List<KeyValuePair<string, TimeSpan>>();
        string? stage = null;
        void Start(string name)
        {
            if (stage is not null)
            {
                stages.Add(new(stage, clock.Elapsed - stages.Aggregate(TimeSpan.Zero, (t, s) => t + s.Value)));
            }

            stage = name;
            progress?.Report(name);
        }

        Start(UnificationStages.Normalise);
        var table = RecordTable.Build(request.Counterparties, issues, parallel);
        var kept = requestModel is { } model ? FellegiSunter.FromModel(model) : null;
        var incremental = kept is not null && changed is not null && previousAssignment is { Count: > 0 };
        Start(incremental ? UnificationStages.BlockScopeAndCompare : UnificationStages.BlockAndCompare);
        var ignoredContact = new bool[table.Pool.Count];
        var scorer = new PairScorer(table, ignoredContact) { LinkThreshold = (float)options.LinkThreshold };
        var blocks = Blocker.Build(table, ignoredContact, options, issues);
        bool[]? scope = null;
        // Pairs of two different valid INNs are scored by the group rules as the blocks meet them, not listed.
        var ruling = new Ruling(scorer, Scoring.EdgeThreshold(options));
        Candidates? candidates;
        if (kept is not null && incremental)
        {
            // Incremental: every row is normalised and blocked as in a full run (the blocks, term frequencies and rarity
            // a score depends on count them all), but only the pairs touching the re-examined rows are listed, and only
            // those within them compared.
            scorer.Model = kept;
            var inside = Scope.Close(table, scorer, blocks, ruling.Threshold, previousAssignment!, changed!, decisions, parallel);
            scope = inside;
            candidates = blocks.Touching(Enumerable.Range(0, table.Count).Where(i => inside[i]).ToList(), (a, b) => inside[a] && inside[b], parallel, ruling);
        }
        else
        {
            candidates = blocks.All(parallel, ruling);
        }

        long[]? pairs = candidates.Pairs;
        byte[]? keyFields = candidates.KeyFields;
        var (ruled, ruledCount) = (candidates.Ruled, candidates.RuledCount);
        (blocks, candidates) = (null, null);
        var patterns = Scoring.Compare(scorer, pairs, parallel);
        cancellationToken.ThrowIfCancellationRequested();

        Start(kept is null ? UnificationStages.LearnAndScore : UnificationStages.Score);
        scorer.Model = kept ?? Scoring.Train(scorer, table.Count, pairs, keyFields, patterns, parallel);
        var (edges, probability) = Scoring.Edges(scorer, pairs, patterns, ruled, options, parallel);
        var compared = pairs.LongLength + ruledCount;
        (keyFields, patterns) = (null, null);
        cancellationToken.ThrowIfCancellationRequested();

        Start(UnificationStages.Cluster);
        var clusterer = new Clusterer(table);
        clusterer.ApplyDecisions(decisions, issues);
        table.DropLookups();
        clusterer.ApplyIdentity();
        clusterer.ApplyParents(issues);
        clusterer.ApplyScored(edges, options.LinkThreshold, (a, b) => Scoring.Lookup(pairs, probability, a, b));
        (pairs, probability) = (null, null);
        cancellationToken.ThrowIfCancellationRequested();

        // The result builder starts the result's stage itself, once the pairs are explained; the rest of the time is that
        // stage's, which it takes itself.
        Start(UnificationStages.Explain);
        return ResultBuilder.Build(table, clusterer, scorer, previousAssignment, allocateClientId, maxReviewPairs, issues, compared, clock, stages, Start, scope);
    }
}
