namespace CrmExtensions.Host.Tests.Commands;

/// <summary>
/// Every command that loads plugins hands them <c>plugins.settings</c> from crmx.json, through the real loader with the
/// shipped Receivables plugin. (Once, only 'plugins list' and the demo did: a company's threshold or levels were ignored by
/// 'deals move', 'run', 'reminders run' and 'report run'.)
/// </summary>
public sealed class PluginSettingsTests
{
    private const string Receivables = "CrmExtensions.Receivables";

    [Test]
    public void DealsMove_GuardThresholdAboveTheDebt_TheShippedGuardLetsTheDealMove()
    {
        using var ledger = new SmallLedger();
        ledger.InstallShippedPlugins("CrmExtensions.Plugins.Sales", "CrmExtensions.Plugins.Receivables");
        ledger.SetPluginSettings(Receivables, ("guardThreshold", "999999999999"));
        var deal = ledger.Succeed("deals", "add", "--client", SmallLedger.RomashkaInn, "--title", "Поставка насосов", "--pipeline", "sales").Out.Split(' ')[2];

        var moved = ledger.Run("deals", "move", deal, "--to", "offer", "--by", "Петров");

        Assert.That(moved.ExitCode, Is.Zero, "the branch's 120 000,50 ₽ overdue is under the threshold set in crmx.json: " + moved.Error);
        Assert.That(moved.Out, Does.Contain($"Deal {deal} moved from 'lead' to 'offer' by Петров."));
    }

    [Test]
    public void RemindersRun_LevelsInCrmxJson_TheShippedDunningRuleUsesThem()
    {
        using var ledger = new SmallLedger();
        ledger.InstallShippedPlugins("CrmExtensions.Plugins.Receivables");
        ledger.SetPluginSettings(Receivables, ("levels", "3;5;7"));

        ledger.Succeed("reminders", "run", "--date", "2026-02-16");

        // Invoice I1 was due on 10 February: 6 days overdue reach the second of the levels 3, 5 and 7 (the default 1;14;30;60 gives the first).
        Assert.That(ledger.Succeed("reminders", "list", "--status", "all").Out, Does.Contain("dunning:main/I1:2").And.Not.Contain("dunning:main/I1:1"));
    }

    [Test]
    public void RunOnce_LevelsInCrmxJson_TheShippedDunningRuleUsesThem()
    {
        using var ledger = new SmallLedger();
        ledger.InstallShippedPlugins("CrmExtensions.Plugins.Receivables");
        ledger.SetPluginSettings(Receivables, ("levels", "1;100000"));

        var run = ledger.Run("run", "--once");

        Assert.That(run.ExitCode, Is.Zero, run.Error);
        // Invoice I1 has been overdue since 10 February 2026: far past the default's last level (60 days), never past 100 000 days.
        Assert.That(ledger.Succeed("reminders", "list", "--status", "all").Out, Does.Contain("dunning:main/I1:1").And.Not.Contain("dunning:main/I1:4"));
    }

    [Test]
    public void ReportRun_LevelsInCrmxJson_TheShippedDunningReportUsesThem()
    {
        using var ledger = new SmallLedger();
        ledger.InstallShippedPlugins("CrmExtensions.Plugins.Receivables");
        ledger.SetPluginSettings(Receivables, ("levels", "3;5;7"));

        var report = ledger.Succeed("report", "run", "CrmExtensions.Receivables/dunning", "--to", "2026-02-16", "--format", "csv").Out;

        var rows = report.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.That(rows, Has.Some.StartsWith("2,5,1,1,"), "6 days overdue sit at the second of the levels 3, 5 and 7:\n" + report);
        Assert.That(rows.Where(r => r.StartsWith('1') || r.StartsWith('2') || r.StartsWith('3')).Select(r => r.Split(',')[1]), Is.EqualTo(new[] { "3", "5", "7" }));
    }
}
