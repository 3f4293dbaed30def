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

        var added = (writer.Add(Reminder("Call about invoice 17")), writer.Add(Reminder("Call again")));

        Assert.That(added, Is.EqualTo((1, 0)));
        Assert.That(connection.Query<string>("SELECT title FROM reminders"), Is.EqualTo(new[] { "Call about invoice 17" }));
    }

    [Test]
    public void Close_CancelledByItsRuleThenDoneByAPerson_StaysCancelled()
    {
        using var connection = Store.Open();
        var writer = new ReminderWriter(connection, null, Store.Dialect);
        writer.Add(Reminder("Call about invoice 17"));

        var cancelled = writer.Close("Acme.Dunning", "invoice:17", "cancelled", "rule", null, "2026-11-25T09:00:00.000Z", null);
        var done = writer.Close("Acme.Dunning", "invoice:17", "done", "Petrov", "called", "2026-11-25T10:00:00.000Z", "2026-11-25T10:00:00.000Z");

        Assert.That((cancelled, done), Is.EqualTo((true, false)));
        Assert.That(connection.QuerySingle<(string, string)>("SELECT status, closed_by FROM reminders"), Is.EqualTo(("cancelled", "rule")));
    }
}
