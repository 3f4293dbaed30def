using CrmExtensions.Store.Clients;
using CrmExtensions.Store.Migrations;
using CrmExtensions.Testing;
using Dapper;

namespace CrmExtensions.Store.Tests.Migrations;

[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.All))]
public sealed class ClientTagsWithoutRowIdMigrationTests(DatabaseProvider provider)
{
    [Test]
    public void Migrate_StoreWithTags_KeepsTheTagsTheirKeyAndTheIndexByValue()
    {
        using var database = TestDatabase.Create(provider);
        var store = TestStores.Create(database);
        using var connection = store.Open();
        MigratedBefore.Apply(store, connection, ClientTagsWithoutRowIdMigration.Migration);
        connection.Execute("""
            INSERT INTO client_tags (client_id, name, value, plugin_id, updated_at)
            VALUES (2, 'lifecycle.stage', 'lapsed', 'p', 'x'), (1, 'lifecycle.stage', 'growth', 'p', 'y'), (2, 'lifecycle.at_risk', 'true', 'q', 'z')
            """);

        var applied = store.Migrate();

        Assert.That(applied.Select(m => m.Version), Does.Contain(ClientTagsWithoutRowIdMigration.Migration.Version));
        Assert.That(connection.Query<(long, string, string, string, string)>("SELECT client_id, name, value, plugin_id, updated_at FROM client_tags ORDER BY client_id, name"),
            Is.EqualTo(new (long, string, string, string, string)[]
            {
                (1, "lifecycle.stage", "growth", "p", "y"), (2, "lifecycle.at_risk", "true", "q", "z"), (2, "lifecycle.stage", "lapsed", "p", "x"),
            }));
        if (provider == DatabaseProvider.Sqlite)
        {
            Assert.That(connection.ExecuteScalar<string>("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'client_tags'"), Does.EndWith("WITHOUT ROWID"));
            Assert.That(connection.Query<string>("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'client_tags' AND sql IS NOT NULL"),
                Is.EqualTo(new[] { "ix_client_tags_value" }));
        }

        // The key still holds one value per client and name: a second set replaces it.
        using (var transaction = connection.BeginTransaction())
        using (var tags = new ClientTagWriter(connection, transaction, store.Dialect))
        {
            tags.Set(1, "lifecycle.stage", "loyal", "p", "w");
            tags.Flush();
            transaction.Commit();
        }

        Assert.That(connection.Query<string>("SELECT value FROM client_tags WHERE client_id = 1 AND name = 'lifecycle.stage'"), Is.EqualTo(new[] { "loyal" }));
    }
}
