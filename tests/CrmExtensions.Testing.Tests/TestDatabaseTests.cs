using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using NUnit.Framework.Internal;

namespace CrmExtensions.Testing.Tests;

[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.All))]
public sealed class TestDatabaseTests(DatabaseProvider provider)
{
    [Test]
    public void Create_Always_HasRequestedProvider()
    {
        using var database = TestDatabase.Create(provider);

        Assert.That(database.Provider, Is.EqualTo(provider));
    }

    [Test]
    public void Create_FreshDatabase_ExistsEmptyAndWritable()
    {
        using var database = TestDatabase.Create(provider);
        using var connection = Open(database);

        Assert.That(Exists(database), Is.True);
        Assert.That(CountUserTables(connection), Is.Zero);

        Execute(connection, "CREATE TABLE client (id INTEGER PRIMARY KEY, name TEXT NOT NULL)");
        Execute(connection, "INSERT INTO client (id, name) VALUES (1, 'ООО «Ромашка»')");

        Assert.That(Scalar(connection, "SELECT name FROM client WHERE id = 1"), Is.EqualTo("ООО «Ромашка»"));
    }

    [Test]
    public void Dispose_CreatedDatabase_RemovesIt()
    {
        var database = TestDatabase.Create(provider);
        using (var connection = Open(database))
        {
            Execute(connection, "CREATE TABLE t (id INTEGER)");
        }

        database.Dispose();

        Assert.That(Exists(database), Is.False);
    }

    [Test]
    public void Dispose_WithConnectionStillOpen_RemovesIt()
    {
        var database = TestDatabase.Create(provider);
        using var connection = Open(database);

        database.Dispose();

        Assert.That(Exists(database), Is.False);
    }

    [Test]
    public void Dispose_Twice_DoesNotThrow()
    {
        var database = TestDatabase.Create(provider);
        database.Dispose();

        Assert.That(database.Dispose, Throws.Nothing);
    }

    [Test]
    public void Create_Twice_DatabasesAreIsolated()
    {
        using var first = TestDatabase.Create(provider);
        using var second = TestDatabase.Create(provider);
        using var firstConnection = Open(first);
        using var secondConnection = Open(second);

        Execute(firstConnection, "CREATE TABLE only_in_first (id INTEGER)");

        Assert.That(first.ConnectionString, Is.Not.EqualTo(second.ConnectionString));
        Assert.That(CountUserTables(firstConnection), Is.EqualTo(1));
        Assert.That(CountUserTables(secondConnection), Is.Zero);
    }

    [Test]
    public void Create_WithoutPostgresConnectionString_OnlyPostgresIsUnavailable()
    {
        if (provider == DatabaseProvider.Sqlite)
        {
            Assert.That(() => TestDatabase.Create(provider, postgresConnectionString: null).Dispose(), Throws.Nothing);
            return;
        }

        var expected = TestEnvironment.IsCI ? typeof(AssertionException) : typeof(IgnoreException);
        using (new TestExecutionContext.IsolatedContext())
        {
            Assert.That(
                () => TestDatabase.Create(provider, postgresConnectionString: null),
                Throws.TypeOf(expected).With.Message.Contains(TestDatabase.PostgresVariable));
        }
    }

    private static DbConnection Open(TestDatabase database)
    {
        DbConnection connection = database.Provider == DatabaseProvider.Sqlite
            ? new SqliteConnection(database.ConnectionString)
            : new NpgsqlConnection(database.ConnectionString);
        connection.Open();
        return connection;
    }

    private static bool Exists(TestDatabase database)
    {
        if (database.Provider == DatabaseProvider.Sqlite)
        {
            return File.Exists(new SqliteConnectionStringBuilder(database.ConnectionString).DataSource);
        }

        var name = new NpgsqlConnectionStringBuilder(database.ConnectionString).Database;
        var admin = Environment.GetEnvironmentVariable(TestDatabase.PostgresVariable);
        using var connection = new NpgsqlConnection(admin);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM pg_database WHERE datname = @name";
        command.Parameters.AddWithValue("name", name!);
        return Convert.ToInt64(command.ExecuteScalar()) == 1;
    }

    private static long CountUserTables(DbConnection connection) => Convert.ToInt64(Scalar(
        connection,
        connection is SqliteConnection
            ? "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
            : "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"));

    private static void Execute(DbConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static object? Scalar(DbConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
