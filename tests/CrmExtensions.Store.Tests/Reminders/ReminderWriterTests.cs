using CrmExtensions.Store.Clients;
using CrmExtensions.Store.Reminders;
using CrmExtensions.Testing;
using Dapper;

namespace CrmExtensions.Store.Tests.Reminders;

[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.All))]
public sealed class ReminderWriterTests(DatabaseProvider provider) : StoreFixture(provider)
{
    private static ReminderInsert Reminder(string title) =>
        new("Acme.Dunning", "invoice:17", title, "2026-11-25", "main", "1", "2026-11-24T09:00:00.000Z", "Rule", "task", null, "Petrov", null, null);

    [Test]
    public void Add_SameKeyTwice_KeepsTheFirst()
    {
        using var connection = Store.Open();
        var writer = new ReminderWriter(connection, null, Store.Dialect);

        var first = writer.Add(Reminder("Call about invoice 17")) + writer.Flush();
        var second = writer.Add(Reminder("Call again")) + writer.Flush();

        Assert.That((first, second), Is.EqualTo((1, 0)));
        Assert.That(connection.Query<string>("SELECT title FROM reminders"), Is.EqualTo(new[] { "Call about invoice 17" }));
    }

    [Test]
    public void Add_ManyInOneUnit_StoresWhatOneAtATimeStores()
    {
        // A key already stored, a key twice in one batch, and more reminders than one batch holds.
        string[] keys = ["invoice:17", "invoice:18", "invoice:18", .. Enumerable.Range(1000, RowWriter.RowsPerBatch * 2 + 500).Select(i => "invoice:" + i)];
        var batched = AddAll(keys, flushEach: false);
        var oneAtATime = AddAll(keys, flushEach: true);

        Assert.That(batched, Is.EqualTo(oneAtATime));
        Assert.That(batched.Added, Is.EqualTo(keys.Length - 2));
        Assert.That(batched.Rows.Single(r => r.Key == "invoice:17").Title, Is.EqualTo("Call about invoice 17"));
        Assert.That(batched.Rows.Single(r => r.Key == "invoice:18").Title, Is.EqualTo("Call about invoice:18 (1)"));
    }

    /// <summary>Adds the reminders of <paramref name="keys"/> in one unit over a stored invoice:17; returns how many were added and the rows.</summary>
    private (int Added, List<(string Key, string Title)> Rows) AddAll(string[] keys, bool flushEach)
    {
        using var connection = Store.Open();
        connection.Execute("DELETE FROM reminders");
        using (var writer = new ReminderWriter(connection, null, Store.Dialect))
        {
            writer.Add(Reminder("Call about invoice 17"));
            writer.Flush();
        }

        var added = 0;
        using (var transaction = connection.BeginTransaction())
        using (var writer = new ReminderWriter(connection, transaction, Store.Dialect))
        {
            for (var i = 0; i < keys.Length; i++)
            {
                added += writer.Add(Reminder($"Call about {keys[i]} ({i})") with { Key = keys[i] });
                added += flushEach ? writer.Flush() : 0;
            }

            added += writer.Flush();
            transaction.Commit();
        }

        return (added, connection.Query<(string, string)>("SELECT reminder_key, title FROM reminders ORDER BY reminder_key").ToList());
    }

    [Test]
    public void Close_CancelledByItsRuleThenDoneByAPerson_StaysCancelled()
    {
        using var connection = Store.Open();
        var writer = new ReminderWriter(connection, null, Store.Dialect);
        writer.Add(Reminder("Call about invoice 17"));
        writer.Flush();

        var cancelled = writer.Close("Acme.Dunning", "invoice:17", "cancelled", "rule", null, "2026-11-25T09:00:00.000Z", null);
        var done = writer.Close("Acme.Dunning", "invoice:17", "done", "Petrov", "called", "2026-11-25T10:00:00.000Z", "2026-11-25T10:00:00.000Z");

        Assert.That((cancelled, done), Is.EqualTo((true, false)));
        Assert.That(connection.QuerySingle<(string, string)>("SELECT status, closed_by FROM reminders"), Is.EqualTo(("cancelled", "rule")));
    }
}
