using CrmExtensions.Store.Clients;
using CrmExtensions.Testing;
using Dapper;

namespace CrmExtensions.Store.Tests.Clients;

[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.All))]
public sealed class ClientTagWriterTests(DatabaseProvider provider) : StoreFixture(provider)
{
    private const string At = "2026-11-24T09:00:00.000Z";

    /// <summary>Sets and removes of the same tags in one unit, more of them than one batch holds: a set of a tag already
    /// stored, a tag set twice, removed after a set, set after a remove, a remove of a tag not there.</summary>
    private static IEnumerable<(long Client, string Name, string? Value)> Writes()
    {
        yield return (1, "stage", "customer");
        yield return (2, "stage", "lead");
        yield return (2, "stage", "customer");
        yield return (3, "abc", "A");
        yield return (3, "abc", null);
        yield return (4, "abc", null);
        yield return (4, "abc", "B");
        foreach (var client in Enumerable.Range(100, RowWriter.RowsPerBatch * 2 + 500))
        {
            yield return (client, "bulk", "x");
        }

        foreach (var client in Enumerable.Range(100, 100))
        {
            yield return (client, "bulk", null);
        }

        yield return (1, "stage", null);
        yield return (1, "stage", "churned");
    }

    [Test]
    public void SetAndRemove_InBatches_StoreWhatOneAtATimeStores()
    {
        var batched = Apply(flushEach: false);
        var oneAtATime = Apply(flushEach: true);

        Assert.That(batched, Is.EqualTo(oneAtATime));
        Assert.That(batched.Where(t => t.Name != "bulk"), Is.EqualTo(new[] { (1L, "stage", "churned"), (2L, "stage", "customer"), (4L, "abc", "B") }));
        Assert.That(batched.Where(t => t.Name == "bulk").Select(t => t.Client), Is.EqualTo(Enumerable.Range(200, RowWriter.RowsPerBatch * 2 + 400).Select(c => (long)c)));
    }

    /// <summary>Applies <see cref="Writes"/> in one transaction over a tag already stored; returns the rows stored.</summary>
    private List<(long Client, string Name, string Value)> Apply(bool flushEach)
    {
        using var connection = Store.Open();
        connection.Execute("DELETE FROM client_tags");
        using (var transaction = connection.BeginTransaction())
        {
            using var writer = new ClientTagWriter(connection, transaction, Store.Dialect);
            writer.Set(1, "stage", "lead", "Lifecycle", At);
            writer.Flush();
            transaction.Commit();
        }

        using (var transaction = connection.BeginTransaction())
        {
            using var writer = new ClientTagWriter(connection, transaction, Store.Dialect);
            foreach (var (client, name, value) in Writes())
            {
                if (value is null)
                {
                    writer.Remove(client, name);
                }
                else
                {
                    writer.Set(client, name, value, "Lifecycle", At);
                }

                if (flushEach)
                {
                    writer.Flush();
                }
            }

            writer.Flush();
            transaction.Commit();
        }

        return connection.Query<(long, string, string)>("SELECT client_id, name, value FROM client_tags ORDER BY client_id, name").ToList();
    }
}
