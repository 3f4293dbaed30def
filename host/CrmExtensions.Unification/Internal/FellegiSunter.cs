namespace CrmExtensions.Unification.Internal;

/// <summary>A Fellegi–Sunter model over <see cref="Gamma"/> patterns: u from random pairs, m by expectation–maximisation
/// over the candidate pairs, exact name agreement adjusted by term frequency.</summary>
/// <remarks>
/// As Splink does, u is estimated from random pairs and the probabilities are scored with it; unlike Splink, the
/// matches among the random pairs are left out of it (each random pattern counts towards u with its probability of
/// being a non-match, learnt in turn with m), since for the strongest agreements u is no larger than λ·m. Candidate pairs were met in a block keyed on one field (a name word, an address word, a phone, a domain,
/// a director), so among them even non-matches agree on that field far more often than random pairs do: EM over the
/// candidate pairs estimates m (shared) together with, per key, the share of matches and the u of the key's own field,
/// every other field's u held at the random pairs' one. The match share among all pairs (the prior of every
/// probability) is the matches EM found among the candidates over all pairs of the input. Every m is smoothed by a prior worth <see cref="PriorPairs"/> pairs, so a
/// ledger of six rows gets sensible odds and a ledger of thousands gets its own.
/// </remarks>
internal sealed class FellegiSunter
{
    /// <summary>How many pairs' worth of weight the prior m-probabilities carry against the data.</summary>
    public const double PriorPairs = 10;

    /// <summary>How many random pairs' worth of weight the prior u-probabilities carry.</summary>
    public const double RandomPriorPairs = 100;

    private const int MaxIterations = 100;
    private const double Tolerance = 1e-6;

    /// <summary>The share of a key's candidate pairs EM starts from as matches: few, as among the pairs a ledger's blocks
    /// meet. From one in ten, on a million rows of the sample ledger, EM took 99 rounds to reach "one firm" as the match,
    /// and with a hundred rows' name keys changed it drifted for 100 rounds to "one name in one city" (the pairs met on a
    /// whole name: one name, one city, other addresses and phones); from one in a thousand it reached "one firm" in ten.</summary>
    private const double StartMatchShare = 0.001;

    private readonly double[][] _log2Bf;
    private readonly double[][] _m;

    private FellegiSunter(double[][] m, double[][] u, double lambda, MatchModel model)
    {
        Lambda = lambda;
        _m = m;
        _log2Bf = [.. m.Select((levels, f) => levels.Select((x, l) => Math.Log2(x / u[f][l])).ToArray())];
        Model = model;
    }

    private FellegiSunter(double[][] m, double[][] u, double lambda, int iterations, bool converged, long trainingPairs, long randomPairs, long rows)
        : this(m, u, lambda, new MatchModel(lambda, iterations, converged, trainingPairs, randomPairs, [.. Gamma.Fields.Select((spec, f) =>
            new ModelField(spec.Name, [.. spec.Levels.Select((name, l) => new ModelLevel(name, m[f][l], u[f][l]))]))]) { Rows = rows })
    {
    }

    /// <summary>The model a caller kept from an earlier run, or null when its fields or levels are not the ones
    /// <see cref="Gamma"/> compares (kept by another version of the engine) or a probability is out of range.</summary>
    public static FellegiSunter? FromModel(MatchModel model)
    {
        var fields = Gamma.Fields;
        if (model.Fields.Count != fields.Length || !(model.MatchShare is > 0 and < 1))
        {
            return null;
        }

        var m = new double[fields.Length][];
        var u = new double[fields.Length][];
        for (var f = 0; f < fields.Length; f++)
        {
            var levels = model.Fields[f].Levels;
            if (model.Fields[f].Name != fields[f].Name || !levels.Select(l => l.Name).SequenceEqual(fields[f].Levels)
                || levels.Any(l => !(l.M is > 0 and <= 1) || !(l.U is > 0 and <= 1)))
            {
                return null;
            }

            m[f] = [.. levels.Select(l => l.M)];
            u[f] = [.. levels.Select(l => l.U)];
        }

        return new FellegiSunter(m, u, model.MatchShare, model);
    }

    /// <summary>The probability that two rows drawn at random are one organisation: the prior odds of every pair.</summary>
    public double Lambda { get; }

    public MatchModel Model { get; }

    /// <summary>m of a field's level (level ≥ 1).</summary>
    public double M(int field, int level) => _m[field][level - 1];

    /// <summary>log2 of the Bayes factor of a field's level (level ≥ 1).</summary>
    public double Log2BayesFactor(int field, int level) => _log2Bf[field][level - 1];

    /// <summary>Trains on pattern counts: <paramref name="candidates"/>[f] from the blocked pairs whose block was keyed
    /// on field f, <paramref name="random"/> from random pairs; <paramref name="allPairs"/> is every pair of the input.</summary>
    public static FellegiSunter Train(long[][] candidates, long[][] labelled, long[] random, double allPairs, long rows = 0)
    {
        var levels = new Gamma[random.Length];
        for (var p = 0; p < levels.Length; p++)
        {
            levels[p] = Gamma.FromPattern(p);
        }

        // u describes non-matches, but a random pair is a match with probability λ: where u is as small as λ·m (an exact
        // name, an address, a phone) the matches among the random pairs would make u several times too large and the
        // strongest agreements several times too weak. So the random pairs get their own E-step: each pattern counts
        // towards u with the probability that it is a non-match under the model learnt so far, and the model is learnt
        // again, until u settles.
        var nonMatch = random.Select(c => (double)c).ToArray();
        var u = EstimateU(nonMatch, levels);
        var em = Em(candidates, labelled, levels, u);

        // The matches the per-key runs found among the candidates (each pair belongs to one key), over every pair.
        double MatchShare() => Math.Clamp(Math.Max(em.Matches, 1) / Math.Max(1, allPairs), 1e-12, 0.5);
        var lambda = MatchShare();
        for (var pass = 1; pass < UPasses; pass++)
        {
            for (var p = 0; p < random.Length; p++)
            {
                nonMatch[p] = random[p] == 0 ? 0 : random[p] * (1 - Posterior(levels[p], em.M, u, lambda));
            }

            var next = EstimateU(nonMatch, levels);
            var settled = next.Zip(u).All(x => x.First.Zip(x.Second).All(y => Math.Abs(y.First - y.Second) <= 1e-3 * y.Second));
            u = next;
            em = Em(candidates, labelled, levels, u);
            lambda = MatchShare();
            if (settled)
            {
                break;
            }
        }

        long trainingPairs = candidates.Sum(perKey => perKey.Sum()) + labelled.Sum(perKey => perKey.Sum());
        return new FellegiSunter(em.M, u, lambda, em.Rounds, em.Converged, trainingPairs, random.Sum(), rows);
    }

    /// <summary>Whether pairs met in a block keyed on field <paramref name="key"/> agree on <paramref name="field"/> more
    /// often than random pairs do: the key's own field, and for an address the city and the region it names.</summary>
    private static bool Conditioned(int key, int field) => field == key || (key == 1 && field is 2 or 3);

    /// <summary>Rounds of learning u from the random pairs' non-matches and m from the candidates; u settles in a few.</summary>
    private const int UPasses = 6;

    /// <summary>u per field and level: the share of each level among the (non-matching weight of the) random pairs where
    /// the field is present on both sides, smoothed by the prior.</summary>
    private static double[][] EstimateU(double[] random, Gamma[] levels)
    {
        var fields = Gamma.Fields;
        var u = new double[fields.Length][];
        for (var f = 0; f < fields.Length; f++)
        {
            var counts = new double[fields[f].Levels.Length];
            for (var p = 0; p < random.Length; p++)
            {
                if (random[p] > 0 && levels[p][f] > 0)
                {
                    counts[levels[p][f] - 1] += random[p];
                }
            }

            var total = counts.Sum();
            var prior = fields[f].PriorU;
            u[f] = [.. counts.Select((c, l) => (c + (RandomPriorPairs * prior[l])) / (total + RandomPriorPairs))];
        }

        return u;
    }

    /// <summary>The probability that a pair of this pattern, drawn at random, is a match.</summary>
    private static double Posterior(Gamma g, double[][] m, double[][] u, double lambda)
    {
        var logit = Math.Log(lambda / (1 - lambda));
        for (var f = 0; f < m.Length; f++)
        {
            var l = g[f];
            if (l > 0)
            {
                logit += Math.Log(m[f][l - 1] / u[f][l - 1]);
            }
        }

        return 1 / (1 + Math.Exp(-logit));
    }

    /// <summary>EM over every key's candidate pairs at once: m shared by all, and per key λ and the u of the key's own
    /// field and of the places it implies. Among pairs met on a shared word a non-match agrees on that field far more
    /// often than a random pair, and on what the field holds: neighbours met on a rare street word share the city and the
    /// region as well. With those u held at the random pairs' values, EM would take "same place" for "same firm". Every
    /// other field's u stays the random pairs' one.</summary>
    private static (double[][] M, double Matches, int Rounds, bool Converged) Em(long[][] candidates, long[][] labelled, Gamma[] levels, double[][] u)
    {
        // Labelled matches (one INN and KPP typed twice) add to m as matches whatever EM thinks of the rest.
        var knownM = Gamma.Fields.Select(s => new double[s.Levels.Length]).ToArray();
        var knownPresent = new double[Gamma.Fields.Length];
        double known = 0;
        foreach (var perKey in labelled)
        {
            for (var p = 0; p < perKey.Length; p++)
            {
                if (perKey[p] == 0)
                {
                    continue;
                }

                known += perKey[p];
                for (var f = 0; f < Gamma.Fields.Length; f++)
                {
                    var l = levels[p][f];
                    if (l > 0)
                    {
                        knownM[f][l - 1] += perKey[p];
                        knownPresent[f] += perKey[p];
                    }
                }
            }
        }

        var fields = Gamma.Fields;
        var keys = candidates.Length;
        var used = candidates.Select(perKey => Enumerable.Range(0, perKey.Length).Where(p => perKey[p] > 0).ToArray()).ToArray();
        var totals = candidates.Select(perKey => (double)perKey.Sum()).ToArray();
        var m = fields.Select(s => (double[])s.PriorM.Clone()).ToArray();
        var keyU = Enumerable.Range(0, keys).Select(_ => u.Select(x => (double[])x.Clone()).ToArray()).ToArray();
        var lambdas = Enumerable.Repeat(StartMatchShare, keys).ToArray();
        double matches = 0;
        for (var round = 1; round <= MaxIterations; round++)
        {
            var expectedM = knownM.Select(x => (double[])x.Clone()).ToArray();
            var presentM = (double[])knownPresent.Clone();
            var expectedU = Enumerable.Range(0, keys).Select(_ => fields.Select(s => new double[s.Levels.Length]).ToArray()).ToArray();
            var presentU = Enumerable.Range(0, keys).Select(_ => new double[fields.Length]).ToArray();
            var keyMatches = new double[keys];
            for (var k = 0; k < keys; k++)
            {
                var priorLogit = Math.Log(lambdas[k] / (1 - lambdas[k]));
                foreach (var p in used[k])
                {
                    var g = levels[p];
                    var logit = priorLogit;
                    for (var f = 0; f < fields.Length; f++)
                    {
                        var l = g[f];
                        if (l > 0)
                        {
                            logit += Math.Log(m[f][l - 1] / keyU[k][f][l - 1]);
                        }
                    }

                    var posterior = 1 / (1 + Math.Exp(-logit));
                    var weight = candidates[k][p] * posterior;
                    keyMatches[k] += weight;
                    for (var f = 0; f < fields.Length; f++)
                    {
                        var l = g[f];
                        if (l > 0)
                        {
                            expectedM[f][l - 1] += weight;
                            presentM[f] += weight;
                            if (Conditioned(k, f))
                            {
                                expectedU[k][f][l - 1] += candidates[k][p] - weight;
                                presentU[k][f] += candidates[k][p] - weight;
                            }
                        }
                    }
                }
            }

            var change = 0.0;
            for (var f = 0; f < fields.Length; f++)
            {
                for (var l = 0; l < m[f].Length; l++)
                {
                    var next = (expectedM[f][l] + (PriorPairs * fields[f].PriorM[l])) / (presentM[f] + PriorPairs);
                    change = Math.Max(change, Math.Abs(next - m[f][l]));
                    m[f][l] = next;
                }
            }

            for (var k = 0; k < keys; k++)
            {
                for (var f = 0; f < fields.Length; f++)
                {
                    if (!Conditioned(k, f))
                    {
                        continue;
                    }

                    for (var l = 0; l < keyU[k][f].Length; l++)
                    {
                        var next = (expectedU[k][f][l] + (PriorPairs * u[f][l])) / (presentU[k][f] + PriorPairs);
                        change = Math.Max(change, Math.Abs(next - keyU[k][f][l]));
                        keyU[k][f][l] = next;
                    }
                }

                var nextLambda = Math.Clamp((keyMatches[k] + (PriorPairs * 0.1)) / (totals[k] + PriorPairs), 1e-6, 1 - 1e-6);
                change = Math.Max(change, Math.Abs(nextLambda - lambdas[k]));
                lambdas[k] = nextLambda;
            }

            matches = keyMatches.Sum() + known;
            if (change < Tolerance)
            {
                return (m, matches, round, true);
            }
        }

        return (m, matches, MaxIterations, false);
    }
}
