using CrmExtensions.Store.Outbox;
using CrmExtensions.Testing;
using Dapper;

namespace CrmExtensions.Store.Tests.Outbox;

[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.All))]
public sealed class OutboxWriterTests(DatabaseProvider provider) : StoreFixture(provider)
{
    private static OutboxInsert Mail(string source, string subject, string body) =>
        new("dunning:17:1", source, "dunning", "buyer@example.com", subject, body, "queued", "transactional", null, null, null, body,
            "2026-11-24T09:00:00.000Z");

    [Test]
    public void Insert_SameBusinessKeyFromAPluginThenACampaign_KeepsThePluginsMail()
    {
        int plugin, campaign;
        using (var connection = Store.Open())
        using (var unit = connection.BeginTransaction())
        {
            plugin = new OutboxWriter(connection, unit, Store.Dialect).Insert(Mail("Acme.Dunning", "Invoice 17 is overdue", "Please pay."));
            unit.Commit();
        }

        using (var connection = Store.Open())
        {
            campaign = new OutboxWriter(connection, null, Store.Dialect).InsertAsync(Mail("campaign:7", "Spring offer", ""), CancellationToken.None).Result;
        }

        using var reader = Store.Open();
        var rows = reader.Query<(string Subject, string Source, long Attempts)>("SELECT subject, source, attempts FROM outbox").ToList();
        Assert.That((plugin, campaign), Is.EqualTo((1, 0)));
        Assert.That(rows, Is.EqualTo(new[] { ("Invoice 17 is overdue", "Acme.Dunning", 0L) }));
    }

    [Test]
    public void CancelQueued_QueuedThenSent_CancelsOnlyTheQueuedOne()
    {
        using var connection = Store.Open();
        var writer = new OutboxWriter(connection, null, Store.Dialect);
        writer.Insert(Mail("Acme.Dunning", "Invoice 17 is overdue", "Please pay."));

        var first = writer.CancelQueued("dunning:17:1", "2026-11-25T09:00:00.000Z");
        var again = writer.CancelQueued("dunning:17:1", "2026-11-25T09:00:00.000Z");

        Assert.That((first, again), Is.EqualTo((1, 0)));
        Assert.That(connection.ExecuteScalar<string>("SELECT status FROM outbox"), Is.EqualTo("cancelled"));
    }
}
