using System.Data.Common;
using CrmExtensions.Ledger.Connections;
using CrmExtensions.Ledger.Reading;
using CrmExtensions.Testing;
using Npgsql;

namespace CrmExtensions.Ledger.Tests.Connections;

public sealed class LedgerConnectionsTests
{
    [Test]
    public void OpenReadOnly_Sqlite_RefusesAWrite()
    {
        using var ledger = new TestLedger();
        using var connection = LedgerConnections.OpenReadOnly(ledger.Definition());
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM invoice";

        Assert.That(() => command.ExecuteNonQuery(), Throws.InstanceOf<DbException>().With.Message.Contains("readonly"));
    }

    [Test]
    public void OpenReadOnly_Postgres_RefusesAWrite()
    {
        using var database = TestDatabase.Create(DatabaseProvider.Postgres);
        using var ledger = new TestLedger();
        var definition = PostgresLedger(database, ledger);
        using var connection = LedgerConnections.OpenReadOnly(definition);
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE counterparty SET title = 'b'";

        Assert.That(() => command.ExecuteNonQuery(), Throws.InstanceOf<PostgresException>().With.Property("SqlState").EqualTo("25006"));
    }

    [TestCase("SELECT id AS ledger_id, title AS name, $$'$$ AS city FROM counterparty; COMMIT; BEGIN READ WRITE; UPDATE counterparty SET title = 'PWNED'; COMMIT; -- '")]
    [TestCase("SELECT id AS ledger_id, title AS name FROM counterparty; COMMIT; SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE; DELETE FROM counterparty")]
    public void Wrapped_PostgresQueryPastTheGuard_RunsAsOneStatementAndWritesNothing(string hostile)
    {
        // The guard is one lock of three: this runs the hostile text without it, as the wrapper and the read-only
        // transaction alone would see it.
        using var database = TestDatabase.Create(DatabaseProvider.Postgres);
        using var ledger = new TestLedger();
        var definition = PostgresLedger(database, ledger);
        using (var connection = LedgerConnections.OpenReadOnly(definition))
        using (var transaction = LedgerReader.BeginReadTransaction(definition, connection))
        using (var command = LedgerReader.CreateCommand(definition, connection, transaction, LedgerReader.Wrapped(definition.Provider, hostile)))
        {
            Assert.That(() => { using var reader = command.ExecuteReader(); while (reader.Read()) { } }, Throws.InstanceOf<PostgresException>());
        }

        using var check = new NpgsqlConnection(database.ConnectionString);
        check.Open();
        using var title = new NpgsqlCommand("SELECT string_agg(title, ',') FROM counterparty", check);
        Assert.That(title.ExecuteScalar(), Is.EqualTo("a"));
    }

    /// <summary>A one-table PostgreSQL ledger (counterparty 1 'a') behind the test ledger's mapping.</summary>
    private static LedgerDefinition PostgresLedger(TestDatabase database, TestLedger ledger)
    {
        using (var admin = new NpgsqlConnection(database.ConnectionString))
        {
            admin.Open();
            using var create = new NpgsqlCommand("CREATE TABLE counterparty (id int PRIMARY KEY, title text); INSERT INTO counterparty VALUES (1, 'a')", admin);
            create.ExecuteNonQuery();
        }

        return ledger.Definition() with { Provider = Store.Providers.DatabaseProvider.PostgreSql, ConnectionString = database.ConnectionString };
    }

    [Test]
    public void ReadOnlyConnectionString_ForcesReadOnlyWhateverIsConfigured()
    {
        Assert.That(LedgerConnections.ReadOnlyConnectionString(Store.Providers.DatabaseProvider.Sqlite, "Data Source=a.db;Mode=ReadWriteCreate"), Does.Contain("Mode=ReadOnly"));
        Assert.That(LedgerConnections.ReadOnlyConnectionString(Store.Providers.DatabaseProvider.PostgreSql, "Host=h;Options=-c search_path=erp"),
            Does.Contain("-c search_path=erp -c default_transaction_read_only=on"));
        Assert.That(LedgerConnections.ReadOnlyConnectionString(Store.Providers.DatabaseProvider.SqlServer, "Server=s;Database=d"), Does.Contain("Application Intent=ReadOnly"));
    }
}
