using CrmExtensions.Testing;
using Dapper;
using Microsoft.Extensions.Time.Testing;

namespace CrmExtensions.Runtime.Tests.Reminders;

[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.All))]
public sealed partial class ReminderRunnerTests(DatabaseProvider provider)
{
    private static void AddInvoice(TestStore store, string id, string? dueOn, long amount, string? settledOn = null)
    {
        using var connection = store.Store.Open();
        connection.Execute(
            "INSERT INTO mirror_invoices (ledger, ledger_id, counterparty_id, issued_on, amount, base_amount, number, due_on, settled_on, row_hash, first_seen_at, synced_at) " +
            "VALUES ('main', @id, 'C1', '2025-01-01', @amount, @amount, @id, @dueOn, @settledOn, 0, 'x', 'x')", new { id, amount, dueOn, settledOn });
    }

    [Test]
    public async Task RunRemindersAsync_OverdueInvoices_StoresRemindersAndRenderedMailsOncePerKey()
    {
        using var root = new TempDirectory();
        using var store = new TestStore(provider, new FakeTimeProvider(new DateTimeOffset(2025, 3, 1, 9, 0, 0, TimeSpan.Zero)));
        AddInvoice(store, "INV-1", "2025-02-01", 1_234_500);
        AddInvoice(store, "INV-2", "2025-04-01", 10_000);
        AddInvoice(store, "INV-3", "2025-01-15", 10_000, settledOn: "2025-01-20");
        using var runtime = await PluginRuntime.LoadAsync(TestPlugins.Install(root, "Good"), store.Store);

        var first = await runtime.RunRemindersAsync(new DateOnly(2025, 3, 1));
        var second = await runtime.RunRemindersAsync(new DateOnly(2025, 3, 1));

        Assert.That(first.Problems, Is.Empty);
        Assert.That((first.Rules, first.NewReminders, first.MailsQueued), Is.EqualTo((1, 1, 1)));
        Assert.That((second.NewReminders, second.MailsQueued), Is.EqualTo((0, 0)));
        var mail = store.Query<(string Key, string Subject, string Body)>("SELECT business_key, subject, body FROM outbox").Single();
        Assert.That(mail, Is.EqualTo(("dunning:main/INV-1:1", "Invoice INV-1 is overdue", "Invoice INV-1 for 123.45 was due on 2025-02-01. Please pay.\n")));
        Assert.That(store.Scalar<long>("SELECT COUNT(*) FROM outbox WHERE text_body IS NOT NULL OR html_body IS NOT NULL"), Is.Zero, "the text is kept once, in body");
        Assert.That(store.Scalar<string>("SELECT reminder_key FROM reminders"), Is.EqualTo("overdue:main/INV-1"));
    }
}
