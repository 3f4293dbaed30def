using System.Globalization;

namespace CrmExtensions.Application.Clients;

/// <summary>How well one partition of ledger rows into clients matches another: pairwise precision, recall and F1.</summary>
/// <param name="Scored">Rows in both partitions.</param>
/// <param name="Missing">Rows of the truth the prediction does not have.</param>
internal sealed record PairwiseScore(double Precision, double Recall, long Scored, long Missing)
{
    public double F1 => Precision + Recall == 0 ? 0 : 2 * Precision * Recall / (Precision + Recall);

    /// <summary>Scores <paramref name="predicted"/> against <paramref name="truth"/>, both row key → cluster label.</summary>
    /// <remarks>A pair of rows counts when both partitions put them together; precision is the share of predicted
    /// pairs that are true, recall the share of true pairs that were predicted.</remarks>
    public static PairwiseScore Compute(IReadOnlyDictionary<string, string> truth, IReadOnlyDictionary<string, string> predicted)
    {
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(predicted);
        var keys = truth.Keys.Where(predicted.ContainsKey).ToList();
        static long Pairs(IEnumerable<string> labels) => labels.GroupBy(l => l, StringComparer.Ordinal).Sum(g => (long)g.Count() * (g.Count() - 1) / 2);
        var both = Pairs(keys.Select(k => truth[k] + "\u0001" + predicted[k]));
        var predictedPairs = Pairs(keys.Select(k => predicted[k]));
        var truePairs = Pairs(keys.Select(k => truth[k]));
        return new PairwiseScore(predictedPairs == 0 ? 1 : (double)both / predictedPairs, truePairs == 0 ? 1 : (double)both / truePairs,
            keys.Count, truth.Count - keys.Count);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Scored:N0} ledger rows scored{(Missing > 0 ? $" ({Missing:N0} rows of the truth are not in the store)" : "")}: precision {Precision:0.0000}, recall {Recall:0.0000}, F1 {F1:0.0000}");
}
