using CrmExtensions.Store.Migrations;
using CrmExtensions.Testing;
using Dapper;

namespace CrmExtensions.Store.Tests.Migrations;

[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.All))]
public sealed class MigratorTests(DatabaseProvider provider)
{
    [Test]
    public void Migrate_EmptyDatabase_AppliesEveryMigrationAndRecordsIt()
    {
        using var database = TestDatabase.Create(provider);
        var store = TestStores.Create(database);

        var applied = store.Migrate();

        Assert.That(applied.Select(m => m.Version), Is.EqualTo(StoreMigrations.All.Select(m => m.Version)));
        using var connection = store.Open();
        Assert.That(connection.Query<int>("SELECT version FROM schema_migrations ORDER BY version"), Is.EqualTo(StoreMigrations.All.Select(m => m.Version)));
        Assert.That(connection.ExecuteScalar<long>("SELECT COUNT(*) FROM mirror_counterparties"), Is.Zero);
    }

    [Test]
    public void Migrate_Again_AppliesNothing()
    {
        using var database = TestDatabase.Create(provider);
        var store = TestStores.Create(database);
        store.Migrate();

        Assert.That(store.Migrate(), Is.Empty);
    }

    [Test]
    public void Migrate_FromTwoHostsAtOnce_AppliesEachMigrationOnce()
    {
        using var database = TestDatabase.Create(provider);
        var store = TestStores.Create(database);

        var results = new IReadOnlyList<Migration>[4];
        Parallel.For(0, results.Length, i => results[i] = TestStores.Create(database).Migrate());

        Assert.That(results.Sum(r => r.Count), Is.EqualTo(StoreMigrations.All.Count));
        using var connection = store.Open();
        Assert.That(connection.ExecuteScalar<long>("SELECT COUNT(*) FROM schema_migrations"), Is.EqualTo(StoreMigrations.All.Count));
    }

    [Test]
    public void Migrate_FailingStatement_NamesTheMigrationAndStatement()
    {
        using var database = TestDatabase.Create(provider);
        var store = TestStores.Create(database);
        var broken = new Migration(1, "broken step", _ => ["CREATE TABLE ok_table (id int)", "CREATE TABLE ok_table (id int)"]);

        using var connection = store.Open();
        Assert.That(() => Migrator.Apply(connection, store.Dialect, [broken], TimeProvider.System),
            Throws.InstanceOf<StoreException>().With.Message.StartsWith("Store migration 1 (broken step) failed:").And.Message.Contains("Statement: CREATE TABLE ok_table"));
        Assert.That(connection.ExecuteScalar<long>("SELECT COUNT(*) FROM schema_migrations"), Is.Zero, "a failed migration leaves nothing half-applied");
    }
}
