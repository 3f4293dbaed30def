using Dapper;
using Microsoft.Data.Sqlite;

namespace CrmExtensions.Host.Tests.Issues;

/// <summary>Issue 20, item 5: a cycle whose sync failed went on to unify, deliver events and evaluate rules on the half-synced store.</summary>
public sealed class Issue20HalfSyncedRunTests
{
    [Test]
    public void RunOnce_SyncFailsAfterInvoicesWentIn_ActsOnNothingAndSendsWhatWasQueued()
    {
        using var ledger = new SmallLedger();
        // Invoices change, then the contacts table cannot be read: the sync breaks off after invoices went in.
        ledger.Change("UPDATE inv SET paid = amount WHERE id = 'I1'; ALTER TABLE contact RENAME TO contact_gone;");

        var run = ledger.Run("run", "--once");

        Assert.That(run.ExitCode, Is.Not.Zero);
        Assert.That(run.Out, Does.Contain("sync: FAILED")
            .And.Contain("unify: skipped, this cycle's sync did not complete")
            .And.Contain("events: skipped, this cycle's sync did not complete")
            .And.Contain("reminders: skipped, this cycle's sync did not complete")
            .And.Contain("mail: "));
    }

    [Test]
    public void RunOnce_AfterASyncThatBrokeOff_SkipsUntilASyncCompletesIt()
    {
        using var ledger = new SmallLedger();
        ledger.Change("UPDATE inv SET paid = amount WHERE id = 'I1'; ALTER TABLE contact RENAME TO contact_gone;");
        Assert.That(ledger.Run("sync").ExitCode, Is.Not.Zero);

        // This host's cycle does not sync (another host holds the sync lease) and finds the store half-synced.
        using (var connection = new SqliteConnection($"Data Source={Path.Combine(ledger.Folder, "crm.db")};Pooling=False"))
        {
            connection.Open();
            connection.Execute("UPDATE leases SET owner = 'elsewhere/1/x', expires_at = '9999-12-31T00:00:00Z' WHERE name = 'sync'");
            connection.Execute("INSERT INTO leases (name, owner, expires_at, acquired_at) SELECT 'sync', 'elsewhere/1/x', '9999-12-31T00:00:00Z', '' WHERE NOT EXISTS (SELECT 1 FROM leases WHERE name = 'sync')");
        }

        var halfSynced = ledger.Run("run", "--once");
        using (var connection = new SqliteConnection($"Data Source={Path.Combine(ledger.Folder, "crm.db")};Pooling=False"))
        {
            connection.Open();
            connection.Execute("DELETE FROM leases WHERE name = 'sync'");
        }

        ledger.Change("ALTER TABLE contact_gone RENAME TO contact;");
        var whole = ledger.Run("run", "--once");

        Assert.That(halfSynced.Out, Does.Contain("sync: another host has it")
            .And.Contain("unify: skipped, the last sync of main contacts did not finish")
            .And.Contain("events: skipped, the last sync of main contacts did not finish"));
        Assert.That(whole.ExitCode, Is.Zero, whole.Error);
        Assert.That(whole.Out, Does.Not.Contain("skipped"));
    }
}
