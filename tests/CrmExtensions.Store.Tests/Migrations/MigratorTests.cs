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
    public void Migrate_StoreOfAnEarlierVersion_SaysWhichMigrationRunsAndWhenItIsDone()
    {
        using var database = TestDatabase.Create(provider);
        var store = TestStores.Create(database);
        var (last, beforeLast) = (StoreMigrations.All[^1], StoreMigrations.All[^2]);
        using (var connection = store.Open())
        {
            MigratedBefore.Apply(store, connection, beforeLast);
        }

        var said = new List<string>();
        store.Migrate(said.Add);

        Assert.That(said, Has.Count.EqualTo(4));
        Assert.That(said[0], Does.StartWith($"applying migration {beforeLast.Version} ({beforeLast.Name})"));
        Assert.That(said[1], Does.Match($@"^migration {beforeLast.Version} applied in \d+\.\d s$"));
        Assert.That(said[2], Does.StartWith($"applying migration {last.Version} ({last.Name})"));
    }

    [Test]
    public void Migrate_NewStore_SaysNothing()
    {
        using var database = TestDatabase.Create(provider);
        var said = new List<string>();

        TestStores.Create(database).Migrate(said.Add);

        Assert.That(said, Is.Empty);
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
