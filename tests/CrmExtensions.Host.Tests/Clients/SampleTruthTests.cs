using System.Globalization;
using System.Text.RegularExpressions;
using CrmExtensions.Application.Clients;
using CrmExtensions.Testing;

namespace CrmExtensions.Host.Tests.Clients;

/// <summary>Unification measured against the sample generator's ground truth, through the real commands.</summary>
public sealed partial class SampleTruthTests
{
    [Test]
    public void Evaluate_TenThousandCounterpartiesInTwoLedgers_MeetsPrecisionAndRecallTargets()
    {
        using var folder = new TempDirectory();
        var demo = Crmx.Run(folder.Path, "demo", "--counterparties", "10000", "--seed", "3");
        Assert.That(demo.ExitCode, Is.Zero, demo.Error);
        var dir = Path.Combine(folder.Path, "crmx-demo");

        var evaluate = Crmx.Run(dir, "clients", "evaluate", "--truth", "truth.csv");

        TestContext.Out.WriteLine(evaluate.Out);
        var score = Score().Match(evaluate.Out);
        Assert.That(score.Success, Is.True, evaluate.Out + evaluate.Error);
        Assert.That(evaluate.Out, Does.StartWith("10,000 ledger rows scored: "));
        Assert.That(double.Parse(score.Groups[1].Value, CultureInfo.InvariantCulture), Is.GreaterThanOrEqualTo(0.995), "precision");
        Assert.That(double.Parse(score.Groups[2].Value, CultureInfo.InvariantCulture), Is.GreaterThanOrEqualTo(0.98), "recall");
    }

    [Test]
    public void Evaluate_TruthWithoutTheLabelColumn_NamesTheFileAndColumns()
    {
        using var folder = new TempDirectory();
        Assert.That(Crmx.Run(folder.Path, "demo", "--counterparties", "100").ExitCode, Is.Zero);
        var dir = Path.Combine(folder.Path, "crmx-demo");
        File.WriteAllText(Path.Combine(dir, "labels.csv"), "ledger,ledger_id,group\nmsk,1,a\n");

        var result = Crmx.Run(dir, "clients", "evaluate", "--truth", "labels.csv");

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Error.Trim(), Is.EqualTo("error: labels.csv(1): the header needs the columns ledger, ledger_id and client; it has ledger, ledger_id, group"));
    }

    [Test]
    public void Compute_KnownPartitions_CountsPairs()
    {
        var truth = new Dictionary<string, string> { ["a"] = "1", ["b"] = "1", ["c"] = "1", ["d"] = "2", ["e"] = "3" };
        var predicted = new Dictionary<string, string> { ["a"] = "x", ["b"] = "x", ["c"] = "y", ["d"] = "y" };

        var score = PairwiseScore.Compute(truth, predicted);

        Assert.That((score.Precision, score.Recall, score.Scored, score.Missing), Is.EqualTo((0.5, 1.0 / 3, 4L, 1L)));
        Assert.That(score.F1, Is.EqualTo(0.4).Within(1e-9));
    }

    [GeneratedRegex(@"precision ([\d.]+), recall ([\d.]+), F1 ([\d.]+)")]
    private static partial Regex Score();
}
