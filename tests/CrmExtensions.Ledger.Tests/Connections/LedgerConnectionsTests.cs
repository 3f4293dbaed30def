using System.Data.Common;
using CrmExtensions.Ledger.Connections;
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
        using (var admin = new NpgsqlConnection(database.ConnectionString))
        {
            admin.Open();
            using var create = new NpgsqlCommand("CREATE TABLE counterparty (id int PRIMARY KEY, title text); INSERT INTO counterparty VALUES (1, 'a')", admin);
            create.ExecuteNonQuery();
        }

        using var ledger = new TestLedger();
        var definition = ledger.Definition() with { Provider = Store.Providers.DatabaseProvider.PostgreSql, ConnectionString = database.ConnectionString };
        using var connection = LedgerConnections.OpenReadOnly(definition);
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE counterparty SET title = 'b'";

        Assert.That(() => command.ExecuteNonQuery(), Throws.InstanceOf<PostgresException>().With.Property("SqlState").EqualTo("25006"));
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
