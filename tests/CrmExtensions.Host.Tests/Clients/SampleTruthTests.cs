using System.Globalization;
using CrmExtensions.Testing;

namespace CrmExtensions.Host.Tests.Clients;

/// <summary>Unification measured against the sample generator's ground truth, through the real commands.</summary>
public sealed class SampleTruthTests
{
    /// <summary>Pairwise precision and recall of one partition (predicted) against another (truth), over shared keys.</summary>
    internal static (double Precision, double Recall) Pairwise(IReadOnlyDictionary<string, string> truth, IReadOnlyDictionary<string, string> predicted)
    {
        var keys = truth.Keys.Where(predicted.ContainsKey).ToList();
        static long Pairs(IEnumerable<string> labels) => labels.GroupBy(l => l).Sum(g => (long)g.Count() * (g.Count() - 1) / 2);
        var both = Pairs(keys.Select(k => truth[k] + "\u0001" + predicted[k]));
        var predictedPairs = Pairs(keys.Select(k => predicted[k]));
        var truePairs = Pairs(keys.Select(k => truth[k]));
        return (predictedPairs == 0 ? 1 : (double)both / predictedPairs, truePairs == 0 ? 1 : (double)both / truePairs);
    }

    [Test]
    public void Unify_TenThousandCounterpartiesInTwoLedgers_MeetsPrecisionAndRecallTargets()
    {
        using var folder = new TempDirectory();
        var demo = Crmx.Run(folder.Path, "demo", "--counterparties", "10000", "--seed", "3");
        Assert.That(demo.ExitCode, Is.Zero, demo.Error);
        var dir = Path.Combine(folder.Path, "crmx-demo");
        var export = Crmx.Run(dir, "clients", "export");

        var truth = File.ReadLines(Path.Combine(dir, "truth.csv")).Skip(1).Select(l => l.Split(','))
            .ToDictionary(f => f[0] + ":" + f[1], f => f[3]);
        var predicted = export.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(','))
            .ToDictionary(f => f[1] + ":" + f[2], f => f[0]);
        var (precision, recall) = Pairwise(truth, predicted);

        TestContext.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"10,000 counterparties: precision {precision:0.0000}, recall {recall:0.0000}"));
        Assert.That(predicted, Has.Count.EqualTo(truth.Count));
        Assert.That(precision, Is.GreaterThanOrEqualTo(0.995));
        Assert.That(recall, Is.GreaterThanOrEqualTo(0.98));
    }

    [Test]
    public void Pairwise_KnownPartitions_CountsPairs()
    {
        var truth = new Dictionary<string, string> { ["a"] = "1", ["b"] = "1", ["c"] = "1", ["d"] = "2" };
        var predicted = new Dictionary<string, string> { ["a"] = "x", ["b"] = "x", ["c"] = "y", ["d"] = "y" };

        var (precision, recall) = Pairwise(truth, predicted);

        Assert.That(precision, Is.EqualTo(0.5));
        Assert.That(recall, Is.EqualTo(1.0 / 3));
    }
}
