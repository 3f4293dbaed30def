using CrmExtensions.Store.Migrations;
using CrmExtensions.Testing;
using Dapper;

namespace CrmExtensions.Store.Tests.Migrations;

[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.All))]
public sealed class BirthdayMigrationTests(DatabaseProvider provider)
{
    [Test]
    public void Migrate_RowsWithBirthdays_FillsTheirMonthAndDay()
    {
        using var database = TestDatabase.Create(provider);
        var store = TestStores.Create(database);
        using var connection = store.Open();
        MigratedBefore.Apply(store, connection, BirthdayMigration.Migration);
        connection.Execute("""
            INSERT INTO mirror_counterparties (ledger, ledger_id, name, birthday, row_hash, first_seen_at, synced_at)
            VALUES ('main', '1', 'ИП Петров', '1980-12-04', 0, 'x', 'x'), ('main', '2', 'ООО «Ромашка»', NULL, 0, 'x', 'x'),
                   ('spb', '1', 'ИП Сидорова', '--02-29', 0, 'x', 'x')
            """);
        connection.Execute("""
            INSERT INTO mirror_contacts (ledger, ledger_id, counterparty_id, full_name, birthday, row_hash, first_seen_at, synced_at)
            VALUES ('main', 'K1', '2', 'Иванов Иван', '1975-03-01', 0, 'x', 'x'), ('main', 'K2', '2', 'Кузнецова Анна', NULL, 0, 'x', 'x'),
                   ('main', 'K3', '2', 'Смирнов Олег', '--07-15', 0, 'x', 'x')
            """);

        var applied = store.Migrate();

        Assert.That(applied.Select(m => m.Version), Does.Contain(BirthdayMigration.Migration.Version));
        Assert.That(connection.Query<(string, string, string?)>("SELECT ledger, ledger_id, birthday_md FROM mirror_counterparties ORDER BY ledger, ledger_id"),
            Is.EqualTo(new (string, string, string?)[] { ("main", "1", "12-04"), ("main", "2", null), ("spb", "1", "02-29") }));
        Assert.That(connection.Query<(string, string?)>("SELECT ledger_id, birthday_md FROM mirror_contacts ORDER BY ledger_id"),
            Is.EqualTo(new (string, string?)[] { ("K1", "03-01"), ("K2", null), ("K3", "07-15") }));
    }
}
