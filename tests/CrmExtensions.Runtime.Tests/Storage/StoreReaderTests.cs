using CrmExtensions.Runtime.Storage;
using CrmExtensions.Sdk.Model;
using CrmExtensions.Store;
using CrmExtensions.Testing;
using Dapper;

namespace CrmExtensions.Runtime.Tests.Storage;

/// <summary>The plugins' view of client records, on the tables unification writes, on every provider.</summary>
[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.All))]
public sealed class StoreReaderTests(DatabaseProvider provider)
{
    [Test]
    public async Task GetClientAsync_ClientWrittenByUnification_ReturnsItWithItsMembers()
    {
        using var database = TestDatabase.Create(provider);
        var store = new CrmStore(provider == DatabaseProvider.Postgres ? Store.Providers.DatabaseProvider.PostgreSql : Store.Providers.DatabaseProvider.Sqlite,
            database.ConnectionString, TimeProvider.System);
        store.Migrate();
        using (var connection = store.Open())
        {
            connection.Execute("""
                INSERT INTO clients (client_id, display_name, members, legal_entities, branches, created_at, updated_at) VALUES (42, 'ООО «Ромашка»', 2, 1, 1, 'x', 'x');
                INSERT INTO client_members (ledger, ledger_id, client_id, legal_entity, role) VALUES ('msk', '0001', 42, '7707083893', 'head');
                INSERT INTO client_members (ledger, ledger_id, client_id, legal_entity, role) VALUES ('spb', '0009', 42, '7707083893', 'branch');
                """);
        }

        var reader = new StoreReader(store);

        var byId = await reader.GetClientAsync("42", CancellationToken.None);
        var byMember = await reader.FindClientAsync(new LedgerKey("spb", "0009"), CancellationToken.None);
        var unknown = await reader.GetClientAsync("not-a-number", CancellationToken.None);

        Assert.That(byId, Is.Not.Null);
        Assert.That(byId!.ClientId, Is.EqualTo("42"));
        Assert.That(byId.Members.Select(m => (m.Counterparty, m.Role)), Is.EqualTo(new[]
        {
            (new LedgerKey("msk", "0001"), ClientMemberRole.Head), (new LedgerKey("spb", "0009"), ClientMemberRole.Branch),
        }));
        Assert.That(byMember?.ClientId, Is.EqualTo("42"));
        Assert.That(unknown, Is.Null);
    }
}
