using System.Data.Common;
using System.Diagnostics;
using System.Text.RegularExpressions;
using CrmExtensions.Store;
using CrmExtensions.Store.Clients;
using CrmExtensions.Testing;
using Dapper;

namespace CrmExtensions.Host.Tests.Commands;

/// <summary><c>crmx run</c> as real processes on a real store: stopped, killed, restarted, and two at once.</summary>
[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.All))]
public sealed partial class RunCommandTests(DatabaseProvider provider)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    private static CrmStore Open(TestDatabase database) => TestStores.Open(database);

    private static long Count(CrmStore store, string sql)
    {
        try
        {
            using var connection = store.Open();
            return connection.ExecuteScalar<long>(sql);
        }
        catch (Exception ex) when (ex is DbException or StoreException)
        {
            return -1; // the host has not created the table yet
        }
    }

    private static async Task<(int ExitCode, string Out, string Error)> FinishAsync(Process process)
    {
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(Patience);
        return (process.ExitCode, await output, await error);
    }

    /// <summary>Every key once; as many call tasks as dunning mails as queued mails, and at least one of each.</summary>
    private static void AssertEveryReminderOnce(CrmStore store)
    {
        using var connection = store.Open();
        var doubled = connection.Query<string>("SELECT reminder_key FROM reminders GROUP BY plugin_id, reminder_key HAVING COUNT(*) > 1").ToList();
        var calls = connection.ExecuteScalar<long>("SELECT COUNT(*) FROM reminders WHERE reminder_key LIKE 'call:%'");
        var dunning = connection.ExecuteScalar<long>("SELECT COUNT(*) FROM reminders WHERE reminder_key LIKE 'dunning:%'");
        var mails = connection.Query<(string Key, long Count)>("SELECT business_key, COUNT(*) FROM outbox GROUP BY business_key").ToList();
        var overdue = connection.ExecuteScalar<long>(
            "SELECT COUNT(*) FROM mirror_invoices WHERE settled_on IS NULL AND vanished_at IS NULL AND due_on IS NOT NULL AND due_on < @today",
            new { today = MoscowToday() });
        Assert.That(doubled, Is.Empty);
        Assert.That(calls, Is.GreaterThan(0));
        Assert.That((calls, dunning, (long)mails.Count), Is.EqualTo((overdue, overdue, overdue)), "one call, one dunning reminder and one mail per overdue invoice");
        Assert.That(mails.Select(m => m.Count), Has.All.EqualTo(1));
    }

    private static string MoscowToday() =>
        TimeZoneInfo.ConvertTime(TimeProvider.System.GetUtcNow(), TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow")).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    [TestCase("TERM")]
    [TestCase("KILL")]
    public async Task Run_StoppedInTheMiddleOfReminders_NextRunLosesAndDoublesNothing(string signal)
    {
        using var root = new TempDirectory();
        using var database = TestDatabase.Create(provider);
        var workspace = ReminderWorkspace.Create(root, database);
        var store = Open(database);
        var slow = new Dictionary<string, string> { ["CRMX_TEST_RULE_DELAY_MS"] = "3000" };

        using (var first = workspace.Start(slow, "run", "--once"))
        {
            var output = first.StandardOutput.ReadToEndAsync();
            var error = first.StandardError.ReadToEndAsync();
            // The call rule has committed, the dunning rule is still thinking: stop the host now.
            var clock = Stopwatch.StartNew();
            while (Count(store, "SELECT COUNT(*) FROM reminder_runs") < 1 && clock.Elapsed < Patience && !first.HasExited)
            {
                await Task.Delay(50);
            }

            // (No 'await error' in the message: it would wait for the host to end before stopping it.)
            Assert.That(first.HasExited, Is.False, "the host finished before it could be stopped; slow the rules down");
            if (signal == "KILL")
            {
                first.Kill(entireProcessTree: true);
            }
            else
            {
                Assert.That(Terminate(first.Id), Is.Zero, "SIGTERM could not be sent");
            }

            await first.WaitForExitAsync().WaitAsync(Patience);
            if (signal == "TERM")
            {
                Assert.That(first.ExitCode, Is.Zero, await error);
                Assert.That(await output, Does.Contain("reminders: stopped").And.Contain("stopping…"));
            }
        }

        Assert.That(Count(store, "SELECT COUNT(*) FROM reminders WHERE reminder_key LIKE 'call:%'"), Is.GreaterThan(0), "the call rule's outcome was committed");
        Assert.That(Count(store, "SELECT COUNT(*) FROM reminders WHERE reminder_key LIKE 'dunning:%'"), Is.Zero, "stopped before the dunning rule committed");

        using (var second = workspace.Start(new Dictionary<string, string>(), "run", "--once"))
        {
            var (code, output, error) = await FinishAsync(second);
            Assert.That(code, Is.Zero, error);
            Assert.That(output, Does.Match(@"cycle 1: sync: no changes; unify: not needed; recommendations: [^;]+; client list: (computed again|current); events: \d+ dispatched, 0 failed; reminders: [1-9]\d* new, 0 cancelled, [1-9]\d* mails queued"));
        }

        AssertEveryReminderOnce(store);
    }

    /// <summary>Issue 16, item 3: a cycle in which nothing a rule reads changed, on the same day, evaluates no rule; a
    /// contact logged between cycles is a change, and the next cycle evaluates them all again, once.</summary>
    [Test]
    public async Task Run_IdleCycles_EvaluateNoRule_UntilSomethingChanges()
    {
        using var root = new TempDirectory();
        using var database = TestDatabase.Create(provider);
        var workspace = ReminderWorkspace.Create(root, database);
        Assert.That(workspace.Run("sync").ExitCode, Is.Zero);
        Assert.That(workspace.Run("unify").ExitCode, Is.Zero);
        var store = Open(database);
        var client = Count(store, "SELECT MIN(client_id) FROM clients");

        using var host = workspace.Start(new Dictionary<string, string>(), "run", "--cycles", "4", "--interval", "4s");
        var error = host.StandardError.ReadToEndAsync();
        var lines = new List<string>();
        while (await host.StandardOutput.ReadLineAsync().WaitAsync(Patience) is { } line)
        {
            lines.Add(line);
            if (line.Contains(" cycle 2:", StringComparison.Ordinal))
            {
                // Between cycles 2 and 3: a manager logs a call.
                var logged = workspace.Run("activity", "add", "--client", client.ToString(System.Globalization.CultureInfo.InvariantCulture), "--type", "call", "--subject", "idle test");
                Assert.That(logged.ExitCode, Is.Zero, logged.Error);
            }
        }

        await host.WaitForExitAsync().WaitAsync(Patience);
        Assert.That(host.ExitCode, Is.Zero, await error);
        string Reminders(int cycle) => lines.Single(l => l.Contains($" cycle {cycle}:", StringComparison.Ordinal)).Split("; ").Single(p => p.StartsWith("reminders:", StringComparison.Ordinal));
        Assert.That(Reminders(1), Does.Match(@"reminders: [1-9]\d* new"), "the first cycle evaluates every rule");
        Assert.That(Reminders(2), Is.EqualTo("reminders: nothing changed since the last evaluation"));
        // The call is logged while cycle 3 waits its turn (or, on a slow machine, while it runs): exactly one of the two
        // cycles after it evaluates every rule again, and the other finds nothing changed.
        const string Idle = "reminders: nothing changed since the last evaluation";
        Assert.That(new[] { Reminders(3), Reminders(4) }.Count(r => r != Idle && Regex.IsMatch(r, @"^reminders: \d+ new, \d+ cancelled, \d+ mails queued$")), Is.EqualTo(1),
            "a contact was logged: every rule once more");
        Assert.That(new[] { Reminders(3), Reminders(4) }.Count(r => r == Idle), Is.EqualTo(1));

        // The client list is computed by the first cycle (after 'unify'), not by the first page a manager opens; a logged
        // call changes no row of it.
        string ClientList(int cycle) => lines.Single(l => l.Contains($" cycle {cycle}:", StringComparison.Ordinal)).Split("; ").Single(p => p.StartsWith("client list:", StringComparison.Ordinal));
        Assert.That(Enumerable.Range(1, 4).Select(ClientList), Is.EqualTo(new[] { "client list: computed again", "client list: current", "client list: current", "client list: current" }), await error);
        Assert.That(new ClientDirectory(store).Refresh(), Is.False, "the list is current for a page to read");
    }

    [Test]
    public async Task Run_LedgerFilesUnchanged_AreNotReadAgain_UntilARowOfOneChanges()
    {
        using var root = new TempDirectory();
        using var database = TestDatabase.Create(provider);
        var workspace = ReminderWorkspace.Create(root, database);
        Assert.That(workspace.Run("sync").ExitCode, Is.Zero);
        var ledger = Path.Combine(workspace.Folder, "spb.db");
        string FirstCounterparty()
        {
            using var connection = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=" + ledger + ";Pooling=False");
            return connection.ExecuteScalar<string>("SELECT [Код] FROM [Справочник Контрагенты] ORDER BY [Код] LIMIT 1")!;
        }

        var code = FirstCounterparty();
        using var host = workspace.Start(new Dictionary<string, string>(), "run", "--cycles", "4", "--interval", "3s");
        var error = host.StandardError.ReadToEndAsync();
        var lines = new List<string>();
        while (await host.StandardOutput.ReadLineAsync().WaitAsync(Patience) is { } line)
        {
            lines.Add(line);
            if (line.Contains(" cycle 2:", StringComparison.Ordinal))
            {
                // Between cycles 2 and 3: the accountant renames a counterparty in one ledger (which stamps the row changed, the
                // mapping's watermark).
                using var connection = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=" + ledger + ";Pooling=False");
                Assert.That(connection.Execute("UPDATE [Справочник Контрагенты] SET [Наименование] = 'ООО Переименованное', [Изменено] = @now WHERE [Код] = @code",
                    new { code, now = DateTime.Now.AddDays(1).ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) }), Is.EqualTo(1));
            }
        }

        await host.WaitForExitAsync().WaitAsync(Patience);
        Assert.That(host.ExitCode, Is.Zero, await error);
        Assert.That(lines.Count(l => l.Contains(" cycle ", StringComparison.Ordinal)), Is.EqualTo(4), string.Join("\n", lines));
        // The sync's part is the first of a cycle's line: "… cycle N: sync: …; unify: …".
        string Sync(int cycle) => lines.Single(l => l.Contains($" cycle {cycle}:", StringComparison.Ordinal)).Split($" cycle {cycle}: ")[1].Split("; ")[0];
        const string Unchanged = "sync: no ledger file changed since the last sync";
        Assert.That(Sync(1), Is.EqualTo("sync: no changes"), "the first cycle reads every ledger");
        Assert.That(Sync(2), Is.EqualTo(Unchanged));
        // The rename lands while cycle 3 waits its turn (or, on a slow machine, while it runs): one of the two cycles after
        // it reads the ledger and finds the row, the other finds the files as they were synced.
        Assert.That(new[] { Sync(3), Sync(4) }.Count(s => s == "sync: 0 new, 1 changed, 0 vanished, 0 rejected"), Is.EqualTo(1), string.Join("\n", lines));
        Assert.That(new[] { Sync(3), Sync(4) }.Count(s => s == Unchanged), Is.EqualTo(1), string.Join("\n", lines));
        using var store = Open(database).Open();
        Assert.That(store.ExecuteScalar<string>("SELECT name FROM mirror_counterparties WHERE ledger = 'spb' AND ledger_id = @code", new { code = code.Trim() }),
            Is.EqualTo("ООО Переименованное"));
    }

    [Test]
    public async Task Run_TwoProcessesOnOneStoreWithoutLeases_StoreNoReminderOrMailTwice()
    {
        using var root = new TempDirectory();
        using var database = TestDatabase.Create(provider);
        var workspace = ReminderWorkspace.Create(root, database, counterparties: 1000);
        Assert.That(workspace.Run("sync").ExitCode, Is.Zero);
        Assert.That(workspace.Run("unify").ExitCode, Is.Zero);
        var store = Open(database);
        // No leases: both hosts evaluate the same rules at the same moments; only the keys keep them apart.
        var noLeases = new Dictionary<string, string> { ["CRMX__run__leases"] = "false" };

        using var first = workspace.Start(noLeases, "run", "--cycles", "3", "--interval", "0.2s");
        using var second = workspace.Start(noLeases, "run", "--cycles", "3", "--interval", "0.2s");
        var results = await Task.WhenAll(FinishAsync(first), FinishAsync(second));

        Assert.That(results.Select(r => r.ExitCode), Has.All.Zero, string.Join("\n", results.Select(r => r.Error)));
        Assert.That(results.Select(r => r.Error), Has.All.Empty);
        AssertEveryReminderOnce(store);
        var reportedNew = results.Sum(r => NewReminders().Matches(r.Out).Sum(m => long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.That(reportedNew, Is.EqualTo(Count(store, "SELECT COUNT(*) FROM reminders")), "each reminder reported new by exactly one host");
    }

    [Test]
    public async Task Run_TwoProcessesWithLeases_NeverRunTheSameJobAtOnceAndStoreEveryReminderOnce()
    {
        using var root = new TempDirectory();
        using var database = TestDatabase.Create(provider);
        var workspace = ReminderWorkspace.Create(root, database);
        var store = Open(database);
        var slow = new Dictionary<string, string> { ["CRMX_TEST_RULE_DELAY_MS"] = "500" };

        using var first = workspace.Start(slow, "run", "--cycles", "2", "--interval", "0.1s");
        using var second = workspace.Start(slow, "run", "--cycles", "2", "--interval", "0.1s");
        var results = await Task.WhenAll(FinishAsync(first), FinishAsync(second));

        Assert.That(results.Select(r => r.ExitCode), Has.All.Zero, string.Join("\n", results.Select(r => r.Error)));
        AssertEveryReminderOnce(store);
        Assert.That(string.Concat(results.Select(r => r.Out)), Does.Contain("another host has it"), "the slow reminders job was leased to one host at a time");
    }

    private const int SigTerm = 15;

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);

    private static int Terminate(int pid) => SendSignal(pid, SigTerm);

    [GeneratedRegex(@"reminders: (\d+) new")]
    private static partial Regex NewReminders();
}
