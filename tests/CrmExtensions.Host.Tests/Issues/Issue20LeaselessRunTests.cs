using System.Diagnostics;
using System.Globalization;
using CrmExtensions.Store;
using CrmExtensions.Testing;
using Dapper;
using Microsoft.Data.Sqlite;

namespace CrmExtensions.Host.Tests.Issues;

/// <summary>
/// Issue 20, item 5: two hosts on one store with leases switched off recorded every changed invoice twice, failed
/// their simultaneous first syncs, and went on to act on the half-synced store.
/// </summary>
[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.All))]
public sealed class Issue20LeaselessRunTests(DatabaseProvider provider)
{
    private const int Rounds = 5;
    private const int PaidPerRound = 10;
    private const int ChangedPerRound = 10;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(180);

    [Test]
    public async Task Run_TwoHostsWithoutLeasesOnAFreshStore_FiveRoundsRecordEveryChangeMailAndReminderOnceAndNeverActHalfSynced()
    {
        using var root = new TempDirectory();
        using var database = TestDatabase.Create(provider);
        var workspace = ReminderWorkspace.Create(root, database);
        var store = new CrmStore(provider == DatabaseProvider.Postgres ? Store.Providers.DatabaseProvider.PostgreSql : Store.Providers.DatabaseProvider.Sqlite,
            database.ConnectionString, TimeProvider.System);
        var ledger = Path.Combine(workspace.Folder, "msk.db");
        List<string> overdue = [];
        List<string> corrected = [];
        var noLeases = new Dictionary<string, string> { ["CRMX__run__leases"] = "false" };
        long lastSeq = 0;

        for (var round = 1; round <= Rounds; round++)
        {
            var paid = round == 1 ? [] : overdue.Skip((round - 2) * PaidPerRound).Take(PaidPerRound).ToList();
            if (round > 1)
            {
                Change(ledger, round, paid, corrected);
            }

            using var first = workspace.Start(noLeases, "run", "--once");
            using var second = workspace.Start(noLeases, "run", "--once");
            var results = await Task.WhenAll(FinishAsync(first), FinishAsync(second));
            var said = string.Join("\n", results.Select(r => r.Out + r.Error));

            Assert.That(results.Select(r => r.ExitCode), Has.All.Zero, $"round {round}: {said}");
            Assert.That(said, Does.Not.Contain("FAILED"), $"round {round}");
            using var connection = store.Open();
            var events = connection.Query<(string Type, string Ledger, string Id)>(
                "SELECT event_type, ledger, ledger_id FROM change_events WHERE seq > @lastSeq", new { lastSeq }).ToList();
            lastSeq = connection.ExecuteScalar<long>("SELECT COALESCE(MAX(seq), 0) FROM change_events");
            Assert.That(events.GroupBy(e => e).Where(g => g.Count() > 1).Select(g => g.Key), Is.Empty, $"round {round}: an event recorded twice");
            if (round > 1)
            {
                Assert.That(events.Count(e => e is { Type: "invoice.changed", Ledger: "msk" }), Is.EqualTo(PaidPerRound + ChangedPerRound), $"round {round}");
                Assert.That(events.Where(e => e is { Type: "invoice.paid", Ledger: "msk" }).Select(e => e.Id), Is.EquivalentTo(paid), $"round {round}");
            }

            // Acted on a half-synced store (invoices in, payments or settlement not yet), a host would remind of paid
            // invoices, and the next evaluation would cancel those reminders: cancelled ones are only the invoices paid.
            var cancelled = connection.ExecuteScalar<long>("SELECT COUNT(*) FROM reminders WHERE reminder_key LIKE 'call:%' AND status = 'cancelled'");
            Assert.That(cancelled, Is.EqualTo((round - 1) * PaidPerRound), $"round {round}: reminders cancelled other than for the invoices paid");
            var overdueNow = connection.ExecuteScalar<long>(
                "SELECT COUNT(*) FROM mirror_invoices WHERE settled_on IS NULL AND vanished_at IS NULL AND due_on IS NOT NULL AND due_on < @today",
                new { today = MoscowToday() });
            var open = connection.ExecuteScalar<long>("SELECT COUNT(*) FROM reminders WHERE reminder_key LIKE 'call:%' AND status = 'open'");
            Assert.That(open, Is.EqualTo(overdueNow), $"round {round}: one open call reminder per overdue invoice");
            Assert.That(connection.Query<string>("SELECT reminder_key FROM reminders GROUP BY plugin_id, reminder_key HAVING COUNT(*) > 1"), Is.Empty);
            var dunning = connection.ExecuteScalar<long>("SELECT COUNT(*) FROM reminders WHERE reminder_key LIKE 'dunning:%'");
            Assert.That(connection.ExecuteScalar<long>("SELECT COUNT(DISTINCT business_key) FROM outbox"), Is.EqualTo(dunning), $"round {round}: one mail per dunning reminder");
            Assert.That(connection.ExecuteScalar<long>("SELECT COUNT(*) FROM outbox"), Is.EqualTo(dunning), $"round {round}");
            if (round == 1)
            {
                // The invoices the accounting program will pay (some each round) and correct (every round) from now on.
                overdue = connection.Query<string>(
                    "SELECT ledger_id FROM mirror_invoices WHERE ledger = 'msk' AND settled_on IS NULL AND vanished_at IS NULL AND due_on < @today ORDER BY ledger_id",
                    new { today = MoscowToday() }).ToList();
                Assert.That(overdue, Has.Count.GreaterThanOrEqualTo((Rounds - 1) * PaidPerRound + ChangedPerRound), "the sample has enough overdue invoices");
                corrected = overdue.TakeLast(ChangedPerRound).ToList();
            }
        }
    }

    /// <summary>The accounting program pays some invoices and corrects the amount of others.</summary>
    private static void Change(string ledger, int round, IReadOnlyList<string> paid, IReadOnlyList<string> corrected)
    {
        var at = $"2030-01-{round:00} 12:00:00";
        Ledger(ledger, c =>
        {
            c.Execute("UPDATE [Документ Реализация] SET [СуммаОплачено] = [СуммаДокумента], [Изменено] = @at WHERE [Ссылка] IN @paid", new { at, paid });
            c.Execute("UPDATE [Документ Реализация] SET [СуммаДокумента] = [СуммаДокумента] + 100, [Изменено] = @at WHERE [Ссылка] IN @corrected", new { at, corrected });
            return 0;
        });
    }

    private static T Ledger<T>(string file, Func<SqliteConnection, T> body)
    {
        using var connection = new SqliteConnection($"Data Source={file};Pooling=False;Default Timeout=60");
        connection.Open();
        return body(connection);
    }

    private static async Task<(int ExitCode, string Out, string Error)> FinishAsync(Process process)
    {
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(Patience);
        return (process.ExitCode, await output, await error);
    }

    private static string MoscowToday() =>
        TimeZoneInfo.ConvertTime(TimeProvider.System.GetUtcNow(), TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow")).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
