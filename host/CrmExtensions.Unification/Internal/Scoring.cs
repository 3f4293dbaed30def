using System.Collections.Concurrent;

namespace CrmExtensions.Unification.Internal;

/// <summary>Learns the run's model from its own candidate pairs, then scores every candidate pair with it.</summary>
internal static class Scoring
{
    /// <summary>Random pairs the u-probabilities are estimated from; an input with fewer pairs uses every pair.</summary>
    private const int RandomPairs = 500_000;

    /// <summary>Marks a candidate pair the model does not score: same identifier (linked by rule) or different INNs (group rules).</summary>
    private const int NotModelled = -1;

    /// <summary>Pairs per work item: one delegate call per pair costs more than a cheap comparison.</summary>
    private const int Chunk = 4096;

    public static int[] Compare(PairScorer scorer, long[] pairs, ParallelOptions parallel)
    {
        var patterns = new int[pairs.Length];
        if (pairs.Length == 0)
        {
            return patterns;
        }

        Parallel.ForEach(Partitioner.Create(0, pairs.Length, Chunk), parallel, range =>
        {
            for (var k = range.Item1; k < range.Item2; k++)
            {
                var (i, j) = ((int)(pairs[k] >> 32), (int)pairs[k]);
                patterns[k] = Pattern(scorer, i, j);
            }
        });
        return patterns;
    }

    /// <summary>Estimates u from random pairs of the input and m, λ by EM over the candidate pairs' patterns.</summary>
    public static FellegiSunter Train(PairScorer scorer, int count, long[] pairs, byte[] keyFields, int[] patterns, ParallelOptions parallel)
    {
        var candidates = Gamma.Fields.Select(_ => new long[Gamma.PatternCount]).ToArray();
        for (var k = 0; k < patterns.Length; k++)
        {
            if (patterns[k] != NotModelled)
            {
                candidates[keyFields[k]][patterns[k]]++;
            }
        }

        // Rows of one valid INN and one KPP are one registration typed twice: labelled matches the ledger itself
        // provides, the very kind of pair the model is for. They teach m alongside EM.
        var labelled = Gamma.Fields.Select(_ => new long[Gamma.PatternCount]).ToArray();
        for (var k = 0; k < patterns.Length; k++)
        {
            var (i, j) = ((int)(pairs[k] >> 32), (int)pairs[k]);
            if (patterns[k] == NotModelled && scorer.SameRegistration(i, j))
            {
                labelled[keyFields[k]][scorer.Compare(i, j).Pattern]++;
            }
        }

        var random = new ConcurrentBag<long[]>();
        var all = (long)count * (count - 1) / 2;
        if (all <= RandomPairs)
        {
            Parallel.For(0, count, parallel, () => new long[Gamma.PatternCount], (i, _, local) =>
            {
                for (var j = i + 1; j < count; j++)
                {
                    local[scorer.Compare(i, j).Pattern]++;
                }

                return local;
            }, random.Add);
        }
        else
        {
            // Seeded, so a run over the same rows in the same order learns the same model.
            var sample = new (int, int)[RandomPairs];
            var rng = new Random(15);
            for (var k = 0; k < sample.Length; k++)
            {
                var i = rng.Next(count);
                var j = rng.Next(count - 1);
                sample[k] = (i, j >= i ? j + 1 : j);
            }

            Parallel.ForEach(Partitioner.Create(0, sample.Length, Chunk), parallel, () => new long[Gamma.PatternCount], (range, _, local) =>
            {
                for (var k = range.Item1; k < range.Item2; k++)
                {
                    local[scorer.Compare(sample[k].Item1, sample[k].Item2).Pattern]++;
                }

                return local;
            }, random.Add);
        }

        var totals = new long[Gamma.PatternCount];
        foreach (var local in random)
        {
            for (var p = 0; p < totals.Length; p++)
            {
                totals[p] += local[p];
            }
        }

        return FellegiSunter.Train(candidates, labelled, totals, all, count);
    }

    /// <summary>Scores every listed candidate pair; returns those at or above the review threshold with the
    /// <paramref name="ruled"/> edges (pairs scored where the blocks met them), and every model-scored pair's probability
    /// (NaN for pairs linked or grouped by identifier rules) for the clusterer's average linkage.</summary>
    public static (List<Edge> Edges, float[] Probability) Edges(PairScorer scorer, long[] pairs, int[] patterns, IReadOnlyCollection<Edge> ruled, UnificationOptions options, ParallelOptions parallel)
    {
        var threshold = EdgeThreshold(options);
        var probability = new float[pairs.Length];
        var edges = new ConcurrentBag<List<Edge>>([[.. ruled]]);
        if (pairs.Length > 0)
        {
            Parallel.ForEach(Partitioner.Create(0, pairs.Length, Chunk), parallel, () => new List<Edge>(), (range, _, local) =>
            {
                for (var k = range.Item1; k < range.Item2; k++)
                {
                    var (i, j) = ((int)(pairs[k] >> 32), (int)pairs[k]);
                    var (score, rule, modelled) = Score(scorer, i, j, patterns[k], threshold);
                    probability[k] = modelled ? score : float.NaN;
                    if (score >= threshold)
                    {
                        local.Add(new Edge(i, j, score, rule));
                    }
                }

                return local;
            }, edges.Add);
        }

        var all = edges.SelectMany(e => e).ToList();
        all.Sort(Edge.ByPair);
        return (all, probability);
    }

    /// <summary>The lowest score <see cref="Edges"/> keeps: the review threshold, less a float's rounding.</summary>
    public static float EdgeThreshold(UnificationOptions options) => (float)options.ReviewThreshold - 1e-4f;

    /// <summary>Scores one candidate pair as <see cref="Edges"/> does, comparing it first.</summary>
    public static float Score(PairScorer scorer, int i, int j, float threshold) =>
        Score(scorer, i, j, Pattern(scorer, i, j), threshold).Score;

    private static int Pattern(PairScorer scorer, int i, int j) =>
        scorer.SameIdentity(i, j) || scorer.Contradicts(i, j) ? NotModelled : scorer.Compare(i, j).Pattern;

    /// <summary>A compared pair's score and rule; <c>Modelled</c> when the score is the model's probability (not an
    /// identifier or group rule's).</summary>
    private static (float Score, LinkRule Rule, bool Modelled) Score(PairScorer scorer, int i, int j, int pattern, float threshold)
    {
        if (pattern == NotModelled || scorer.StemGroup(i, j))
        {
            var score = scorer.Score(i, j, out var rule, threshold);
            return (score, rule, false);
        }

        return (scorer.ScoreGamma(i, j, Gamma.FromPattern(pattern)), LinkRule.Similarity, true);
    }

    /// <summary>The model's probability of a candidate pair (A &lt; B), or null when the pair was not compared by it.</summary>
    public static float? Lookup(long[] pairs, float[] probability, int a, int b)
    {
        var k = Array.BinarySearch(pairs, ((long)a << 32) | (uint)b);
        return k >= 0 && !float.IsNaN(probability[k]) ? probability[k] : null;
    }
}
