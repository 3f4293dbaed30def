using System.Globalization;
using System.Text;

namespace CrmExtensions.Unification;

/// <summary>The Fellegi–Sunter model a run learnt from its own rows: per compared field and level, the probability of
/// that level among pairs that are one organisation (m) and among random pairs (u).</summary>
/// <remarks>u comes from random pairs of the input (every pair of a small input); m from expectation–maximisation over
/// the blocked candidate pairs, run per blocking key with the key's own field left out, as Splink does; exact name
/// agreement is further
/// adjusted by how often the name occurs (term frequency). Nothing is set by hand but the prior the estimate starts
/// from, which a few hundred candidate pairs outweigh.</remarks>
public sealed class MatchModel
{
    internal MatchModel(double matchShare, int iterations, bool converged, long trainingPairs, long randomPairs, IReadOnlyList<ModelField> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        MatchShare = matchShare;
        Iterations = iterations;
        Converged = converged;
        TrainingPairs = trainingPairs;
        RandomPairs = randomPairs;
        Fields = fields;
    }

    /// <summary>The estimated probability that two rows drawn at random are one organisation (λ): the prior every pair's
    /// probability starts from.</summary>
    public double MatchShare { get; }

    /// <summary>Rounds of expectation–maximisation run.</summary>
    public int Iterations { get; }

    /// <summary>Whether the estimate settled before the round limit.</summary>
    public bool Converged { get; }

    /// <summary>Candidate pairs the m-probabilities were estimated over.</summary>
    public long TrainingPairs { get; }

    /// <summary>Random pairs the u-probabilities were estimated over.</summary>
    public long RandomPairs { get; }

    /// <summary>The compared fields with their levels, in comparison order.</summary>
    public IReadOnlyList<ModelField> Fields { get; }

    /// <summary>Rows of the input the model was learnt from: a caller that keeps the model measures by it how much the
    /// base has changed since.</summary>
    public long Rows { get; init; }

    /// <summary>Whether this run learnt the model (true) or scored with one it was given (<see cref="UnificationRequest.Model"/>).</summary>
    public bool Learnt { get; init; } = true;

    /// <summary>A model kept from an earlier run, to score with instead of learning one
    /// (<see cref="UnificationRequest.Model"/>).</summary>
    /// <param name="matchShare">λ, as <see cref="MatchShare"/> was.</param>
    /// <param name="rows">The rows it was learnt from (<see cref="Rows"/>).</param>
    /// <param name="fields">m and u per field and level, as <see cref="Fields"/> were.</param>
    /// <exception cref="ArgumentNullException"><paramref name="fields"/> is null.</exception>
    /// <remarks>The engine uses it only when its fields and levels are the ones it compares; otherwise it learns afresh
    /// (a model kept by an older version of the engine).</remarks>
    public static MatchModel Restore(double matchShare, long rows, IReadOnlyList<ModelField> fields) =>
        new(matchShare, 0, true, 0, 0, fields) { Rows = rows, Learnt = false };

    /// <summary>The model as a table: one line per field and level with m, u and the Bayes factor m/u.</summary>
    public override string ToString()
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        if (Learnt)
        {
            sb.Append(inv, $"λ (two random rows match) {MatchShare:0.########}; m by EM over {TrainingPairs:N0} candidate pairs; u from {RandomPairs:N0} random pairs; ");
            sb.Append(inv, $"{Iterations} EM rounds{(Converged ? string.Empty : " (not converged)")}; learnt from {Rows:N0} rows").AppendLine();
        }
        else
        {
            sb.Append(inv, $"λ (two random rows match) {MatchShare:0.########}; kept from a run over {Rows:N0} rows").AppendLine();
        }

        sb.Append(inv, $"{"field",-10} {"level",-12} {"m",9} {"u",11} {"m/u",11}").AppendLine();
        foreach (var field in Fields)
        {
            foreach (var level in field.Levels)
            {
                sb.Append(inv, $"{field.Name,-10} {level.Name,-12} {level.M,9:0.00000} {level.U,11:0.0000000} {level.BayesFactor,11:0.000}").AppendLine();
            }
        }

        return sb.ToString();
    }
}

/// <summary>One compared field of the model and its levels, best agreement first.</summary>
public sealed record ModelField(string Name, IReadOnlyList<ModelLevel> Levels);

/// <summary>One comparison level: m = P(level | same organisation), u = P(level | random pair), and m/u.</summary>
public sealed record ModelLevel(string Name, double M, double U)
{
    /// <summary>How much this level multiplies the odds of a match.</summary>
    public double BayesFactor => U <= 0 ? double.PositiveInfinity : M / U;
}
