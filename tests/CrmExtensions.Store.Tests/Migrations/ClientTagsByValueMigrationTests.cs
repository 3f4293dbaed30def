using CrmExtensions.Store.Migrations;
using CrmExtensions.Testing;
using Dapper;

namespace CrmExtensions.Store.Tests.Migrations;

[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.All))]
public sealed class ClientTagsByValueMigrationTests(DatabaseProvider provider)
{
    [Test]
    public void Migrate_StoreWithTags_DropsTheIndexByNameAloneAndKeepsTheTags()
    {
        using var database = TestDatabase.Create(provider);
        var store = TestStores.Create(database);
        using var connection = store.Open();
        MigratedBefore.Apply(store, connection, ClientTagsByValueMigration.Migration);
        connection.Execute("""
            INSERT INTO client_tags (client_id, name, value, plugin_id, updated_at)
            VALUES (1, 'lifecycle.stage', 'growth', 'p', 'x'), (2, 'lifecycle.stage', 'lapsed', 'p', 'x'), (2, 'lifecycle.at_risk', 'true', 'p', 'x')
            """);
        Assert.That(Indexes(connection), Does.Contain(ClientTagsByValueMigration.DroppedIndex));

        var applied = store.Migrate();

        Assert.That(applied.Select(m => m.Version), Does.Contain(ClientTagsByValueMigration.Migration.Version));
        Assert.That(Indexes(connection), Does.Not.Contain(ClientTagsByValueMigration.DroppedIndex).And.Contain("ix_client_tags_value"));
        Assert.That(connection.Query<(long, string)>("SELECT client_id, value FROM client_tags WHERE name = 'lifecycle.stage' ORDER BY client_id"),
            Is.EqualTo(new (long, string)[] { (1, "growth"), (2, "lapsed") }));
    }

    /// <summary>The names of the indexes of <c>client_tags</c>, as the database lists them.</summary>
    private List<string> Indexes(System.Data.Common.DbConnection connection) => connection.Query<string>(provider == DatabaseProvider.Sqlite
        ? "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'client_tags'"
        : "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'client_tags'").ToList();
}
