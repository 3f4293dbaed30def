using System.Text.Json.Nodes;

namespace CrmExtensions.Host.Tests.Commands;

/// <summary>Logging goes somewhere: plugins' ILogger records and guarded failures reach the error stream under the plugin's
/// name, at the level crmx.json's <c>Logging</c> section or <c>--verbose</c> sets.</summary>
public sealed class LoggingTests
{
    private static SmallLedger WithLoggingPlugin()
    {
        var ledger = new SmallLedger();
        ReminderWorkspace.InstallPlugin(Path.Combine(ledger.Folder, "plugins"), "Logging");
        return ledger;
    }

    [Test]
    public void RunOnce_PluginLogsAWarning_ItIsOnStandardErrorUnderThePluginsName()
    {
        using var ledger = WithLoggingPlugin();

        var run = ledger.Run("run", "--once");

        Assert.That(run.ExitCode, Is.Zero, run.Error);
        Assert.That(run.Error, Does.Contain("warn: Test.Logging/Logging.NoisyRule: The price list is 42 days old; reminders may quote stale prices"));
        Assert.That(run.Error, Does.Not.Contain("dbug:"), "debug lines only with --verbose");
        Assert.That(run.Out, Does.Contain("cycle 1: sync: no changes"));
    }

    [Test]
    public void RemindersRun_RuleThrows_TheUserSeesOneLineAndTheLogHasTheStackTrace()
    {
        using var ledger = WithLoggingPlugin();

        var run = ledger.Succeed("reminders", "run");

        Assert.That(run.Out, Does.Contain("problem: plugin 'Test.Logging': reminder rule BrokenRule threw InvalidOperationException: the rule broke on purpose"));
        Assert.That(run.Error, Does.Contain("fail: Test.Logging: plugin 'Test.Logging': reminder rule BrokenRule threw InvalidOperationException")
            .And.Contain("System.InvalidOperationException: the rule broke on purpose").And.Contain("at Logging.BrokenRule.EvaluateAsync"));
    }

    [Test]
    public void RemindersRun_Verbose_ShowsThePluginsDebugLines()
    {
        using var ledger = WithLoggingPlugin();

        var run = ledger.Succeed("reminders", "run", "--verbose", "--date", "2026-02-16");

        Assert.That(run.Error, Does.Contain("dbug: Test.Logging/Logging.NoisyRule: Evaluating for 2026-02-16"));
    }

    [Test]
    public void RemindersRun_LogLevelOfThePluginInCrmxJson_SilencesItsWarnings()
    {
        using var ledger = WithLoggingPlugin();
        ledger.Configure(root => root["Logging"] = new JsonObject { ["LogLevel"] = new JsonObject { ["Test.Logging"] = "Critical" } });

        var run = ledger.Succeed("reminders", "run");

        Assert.That(run.Error, Does.Not.Contain("Test.Logging"));
        Assert.That(run.Out, Does.Contain("problem: plugin 'Test.Logging'"), "the user's one line stays");
    }
}
