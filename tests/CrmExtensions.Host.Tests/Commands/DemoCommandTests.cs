using System.Security.Cryptography;
using CrmExtensions.Testing;

namespace CrmExtensions.Host.Tests.Commands;

public sealed class DemoCommandTests
{
    private static Dictionary<string, string> LedgerHashes(string folder) =>
        Directory.GetFiles(folder, "*.db").Where(f => Path.GetFileName(f) != "crm.db")
            .ToDictionary(f => Path.GetFileName(f), f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))));

    [Test]
    public void Demo_OnAFreshFolder_BuildsAttachesSyncsAndSummarises()
    {
        using var folder = new TempDirectory();

        var result = Crmx.Run(folder.Path, "demo", "--counterparties", "400");

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        Assert.That(result.Out, Does.Contain("1. Building the sample ledgers (400 counterparties, seed 1)")
            .And.Contain("all attach cleanly")
            .And.Contain("In all: 400 ledger counterparties in 2 ledgers → ").And.Contain(" clients; "));
        var demo = Path.Combine(folder.Path, "crmx-demo");
        Assert.That(Directory.GetFiles(demo).Select(Path.GetFileName),
            Is.SupersetOf(new[] { "crmx.json", "msk.db", "spb.db", "sample.map.json", "truth.csv", "crm.db" }));
        var segment = System.Text.RegularExpressions.Regex.Match(result.Out, @"behaviour segment 'best-clients' \(([^)]*)\): (\d+) clients");
        Assert.That(segment.Success, Is.True, "the demo shows a behaviour segment and its count");
        Assert.That(Crmx.Run(demo, "segment", "count", "best-clients").Out.Trim(), Is.EqualTo($"Segment best-clients: {segment.Groups[2].Value} client(s)."));
    }

    [Test]
    public void Demo_RunTwiceThenSync_NeverWritesTheLedgersAndFindsNoChanges()
    {
        using var folder = new TempDirectory();
        Assert.That(Crmx.Run(folder.Path, "demo", "--counterparties", "300").ExitCode, Is.Zero);
        var demo = Path.Combine(folder.Path, "crmx-demo");
        var before = LedgerHashes(demo);

        var again = Crmx.Run(folder.Path, "demo");
        var sync = Crmx.Run(demo, "sync");

        Assert.That(again.ExitCode, Is.Zero, again.Error);
        Assert.That(again.Out, Does.Contain("Sample ledgers found; reusing them."));
        Assert.That(sync.ExitCode, Is.Zero, sync.Error);
        Assert.That(sync.Out.Split('\n').Where(l => l.Contains(" read ")), Has.All.Contains("no changes"));
        Assert.That(LedgerHashes(demo), Is.EqualTo(before).And.Count.EqualTo(2));
    }
}
