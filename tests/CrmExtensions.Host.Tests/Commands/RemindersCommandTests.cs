using System.Text.RegularExpressions;
using CrmExtensions.Testing;

namespace CrmExtensions.Host.Tests.Commands;

public sealed partial class RemindersCommandTests
{
    private static ReminderWorkspace Synced(TempDirectory root, TestDatabase store)
    {
        var workspace = ReminderWorkspace.Create(root, store);
        Assert.That(workspace.Run("sync").ExitCode, Is.Zero);
        Assert.That(workspace.Run("unify").ExitCode, Is.Zero);
        return workspace;
    }

    [Test]
    public void Due_AfterRun_ListsTasksByManagerWithTheirClients()
    {
        using var root = new TempDirectory();
        using var store = TestDatabase.Create(DatabaseProvider.Sqlite);
        var workspace = Synced(root, store);

        var run = workspace.Run("reminders", "run");
        var again = workspace.Run("reminders", "run");
        var due = workspace.Run("reminders", "due", "--all");
        var manager = ManagerHeader().Matches(due.Out).Select(m => m.Groups[1].Value).First(m => m != "(no manager)");
        var mine = workspace.Run("reminders", "due", "--all", "--manager", manager);

        Assert.That(run.ExitCode, Is.Zero, run.Error);
        Assert.That(run.Out, Does.Match(@"reminders for \d{4}-\d\d-\d\d: 2 rules; [1-9][\d,]* new, 0 cancelled, [1-9][\d,]* mails queued"));
        Assert.That(run.Out, Does.Contain("Test.Reminders: ").And.Contain("+ Позвонить: счёт "));
        Assert.That(again.Out, Does.Contain("2 rules; 0 new, 0 cancelled, 0 mails queued"));
        Assert.That(due.ExitCode, Is.Zero, due.Error);
        Assert.That(due.Out, Does.StartWith("Open reminders: "));
        Assert.That(due.Out, Does.Match(@"\n  \d{4}-\d\d-\d\d  Позвонить: счёт \S+ просрочен — .+ \(client \d+\)  \[Test\.Reminders call:"), "a task names its client");
        Assert.That(mine.Out, Does.StartWith($"Open reminders for {manager}: "));
        Assert.That(ManagerHeader().Matches(mine.Out).Select(m => m.Groups[1].Value), Is.EqualTo(new[] { manager }));
    }

    [Test]
    public void Run_AtATerminal_SaysWhichRuleItIsOnAndHowLongEachPluginTook()
    {
        using var root = new TempDirectory();
        using var store = TestDatabase.Create(DatabaseProvider.Sqlite);
        var workspace = Synced(root, store);

        var run = workspace.RunInteractive("reminders", "run");

        Assert.That(run.ExitCode, Is.Zero, run.Error);
        Assert.That(run.Error, Does.Contain("reminders: Test.Reminders: ").And.Contain(" (1 of 2 rules)").And.Contain(" (2 of 2 rules)"));
        Assert.That(run.Out, Does.Match(@"Test\.Reminders: [1-9][\d,]* new, 0 cancelled, [1-9][\d,]* mails queued \(2 rules, \d+\.\d s\)"));
        Assert.That(run.Out, Does.Not.Contain("of 2 rules"), "progress stays on the error stream");
    }

    [Test]
    public void DoneAndDismiss_OnAReminder_CloseItOnceAndSayWhatHappened()
    {
        using var root = new TempDirectory();
        using var store = TestDatabase.Create(DatabaseProvider.Sqlite);
        var workspace = Synced(root, store);
        workspace.Run("reminders", "run");
        var key = Key().Match(workspace.Run("reminders", "list").Out).Groups[1].Value;

        var done = workspace.Run("reminders", "done", key, "--by", "Иванова", "--note", "оплатят в пятницу");
        var doneAgain = workspace.Run("reminders", "done", key);
        var dismiss = workspace.Run("reminders", "dismiss", key);
        var unknown = workspace.Run("reminders", "dismiss", "call:nowhere/0");
        var listed = workspace.Run("reminders", "list", "--status", "done");
        var open = workspace.Run("reminders", "list");

        Assert.That(done.ExitCode, Is.Zero, done.Error);
        Assert.That(done.Out, Does.Contain($"Reminder '{key}' of Test.Reminders is done."));
        Assert.That((doneAgain.ExitCode, doneAgain.Out.Trim()), Is.EqualTo((0, $"Reminder '{key}' of Test.Reminders was done already.")));
        Assert.That((dismiss.ExitCode, dismiss.Error.Trim()), Is.EqualTo((1, $"error: Reminder '{key}' of Test.Reminders is done already; it stays so.")));
        Assert.That(unknown.ExitCode, Is.EqualTo(1));
        Assert.That(unknown.Error, Does.Contain("No reminder has the key 'call:nowhere/0'"));
        Assert.That(listed.Out, Does.StartWith("1 reminders (done)").And.Contain(key).And.Contain("by Иванова: оплатят в пятницу"));
        Assert.That(open.Out, Does.Not.Contain(key + "]"));
    }

    [Test]
    public void Reminders_BadTimeZoneOrStatus_FailsWithTheReason()
    {
        using var root = new TempDirectory();
        using var store = TestDatabase.Create(DatabaseProvider.Sqlite);
        var workspace = ReminderWorkspace.Create(root, store);
        workspace.Environment["CRMX__reminders__timeZone"] = "Mars/Olympus";
        workspace.Environment["CRMX__reminders__holidays__0"] = "2025-13-01";

        var zone = workspace.Run("reminders", "due");
        var status = workspace.Run("reminders", "list", "--status", "late");

        Assert.That(zone.ExitCode, Is.EqualTo(1));
        Assert.That(zone.Error, Does.Contain("reminders:timeZone: unknown time zone 'Mars/Olympus'").And.Contain("reminders:holidays: '2025-13-01' is not a date"));
        Assert.That(status.ExitCode, Is.EqualTo(2));
        Assert.That(status.Error, Does.Contain("--status takes open, done, dismissed, cancelled or all, not 'late'"));
    }

    [Test]
    public void Run_BadIntervalOrHelp_UsageAndHelp()
    {
        using var folder = new TempDirectory();

        var help = Crmx.Run(folder.Path, "run", "--help");
        var bad = Crmx.Run(folder.Path, "run", "--interval", "soon");

        Assert.That(help.ExitCode, Is.Zero);
        Assert.That(help.Out, Does.Contain("Usage: crmx run [options]").And.Contain("SIGTERM"));
        Assert.That(bad.ExitCode, Is.EqualTo(2));
        Assert.That(bad.Error, Does.Contain("--interval takes a duration such as 30s, 5m or 1h, not 'soon'"));
    }

    [GeneratedRegex(@"^(.+) \(\d+\):\r?$", RegexOptions.Multiline)]
    private static partial Regex ManagerHeader();

    [GeneratedRegex(@"\[Test\.Reminders (call:\S+)\]")]
    private static partial Regex Key();
}
