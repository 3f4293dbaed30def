using CrmExtensions.Store.Clients;
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
            var writer = new OutboxWriter(connection, unit, Store.Dialect);
            plugin = writer.Add(Mail("Acme.Dunning", "Invoice 17 is overdue", "Please pay.")) + writer.Flush();
            unit.Commit();
        }

        using (var connection = Store.Open())
        {
            using var writer = new OutboxWriter(connection, null, Store.Dialect);
            campaign = writer.Add(Mail("campaign:7", "Spring offer", "")) + writer.Flush();
        }

        using var reader = Store.Open();
        var rows = reader.Query<(string Subject, string Source, long Attempts)>("SELECT subject, source, attempts FROM outbox").ToList();
        Assert.That((plugin, campaign), Is.EqualTo((1, 0)));
        Assert.That(rows, Is.EqualTo(new[] { ("Invoice 17 is overdue", "Acme.Dunning", 0L) }));
    }

    [Test]
    public void Add_ManyInOneUnit_StoresWhatOneAtATimeStoresInTheSameOrder()
    {
        // A key already queued, a key twice in one batch, and more mails than one batch holds.
        string[] keys = ["dunning:17:1", "dunning:18:1", "dunning:18:1", .. Enumerable.Range(1000, RowWriter.RowsPerBatch * 2 + 500).Select(i => $"dunning:{i}:1")];
        var batched = AddAll(keys, flushEach: false);
        var oneAtATime = AddAll(keys, flushEach: true);

        Assert.That(batched, Is.EqualTo(oneAtATime));
        Assert.That(batched.Added, Is.EqualTo(keys.Length - 2));
        Assert.That(batched.Rows.Select(r => r.Key), Is.EqualTo(keys.Distinct()));
        Assert.That(batched.Rows[1].Subject, Is.EqualTo("Mail 1"));
    }

    [Test]
    public void Add_SomeNotCounted_WritesEveryMailAndCountsOnlyTheCountedOnesAdded()
    {
        // Every third mail not counted (a campaign's suppressed mail), over more than one batch, with a key already there
        // (dunning:17:1, counted) and a key twice (the second, not counted, is not added either way).
        string[] keys = ["dunning:17:1", "dunning:18:1", "dunning:18:1", .. Enumerable.Range(1000, RowWriter.RowsPerBatch + 700).Select(i => $"dunning:{i}:1")];
        bool Counted(int i) => i % 3 != 2;
        foreach (var flushEach in new[] { false, true })
        {
            var (added, rows) = AddAll(keys, flushEach, Counted);
            var expected = Enumerable.Range(3, keys.Length - 3).Count(Counted) + (Counted(1) ? 1 : 0);
            Assert.That(added, Is.EqualTo(expected), flushEach ? "flushed after each mail" : "in batches");
            Assert.That(rows.Select(r => r.Key), Is.EqualTo(keys.Distinct()), flushEach ? "flushed after each mail" : "in batches");
        }
    }

    /// <summary>Adds the mails of <paramref name="keys"/> in one unit over a queued dunning:17:1; returns how many were
    /// added and the rows in the order of their ids.</summary>
    private (int Added, List<(string Key, string Subject)> Rows) AddAll(string[] keys, bool flushEach, Func<int, bool>? counted = null)
    {
        using var connection = Store.Open();
        connection.Execute("DELETE FROM outbox");
        using (var writer = new OutboxWriter(connection, null, Store.Dialect))
        {
            writer.Add(Mail("Acme.Dunning", "Invoice 17 is overdue", "Please pay."));
            writer.Flush();
        }

        var added = 0;
        using (var transaction = connection.BeginTransaction())
        using (var writer = new OutboxWriter(connection, transaction, Store.Dialect))
        {
            for (var i = 0; i < keys.Length; i++)
            {
                added += writer.Add(Mail("Acme.Dunning", $"Mail {i}", "Please pay.") with { BusinessKey = keys[i] }, counted?.Invoke(i) ?? true);
                added += flushEach ? writer.Flush() : 0;
            }

            added += writer.Flush();
            transaction.Commit();
        }

        return (added, connection.Query<(string, string)>("SELECT business_key, subject FROM outbox ORDER BY id").ToList());
    }

    [Test]
    public void CancelQueued_QueuedThenSent_CancelsOnlyTheQueuedOne()
    {
        using var connection = Store.Open();
        var writer = new OutboxWriter(connection, null, Store.Dialect);
        writer.Add(Mail("Acme.Dunning", "Invoice 17 is overdue", "Please pay."));
        writer.Flush();

        var first = writer.CancelQueued("dunning:17:1", "2026-11-25T09:00:00.000Z");
        var again = writer.CancelQueued("dunning:17:1", "2026-11-25T09:00:00.000Z");

        Assert.That((first, again), Is.EqualTo((1, 0)));
        Assert.That(connection.ExecuteScalar<string>("SELECT status FROM outbox"), Is.EqualTo("cancelled"));
    }
}
