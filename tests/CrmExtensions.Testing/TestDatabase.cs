using Microsoft.Data.Sqlite;
using Npgsql;

namespace CrmExtensions.Testing;

/// <summary>A fresh, empty database for one test or fixture, removed on dispose.</summary>
/// <remarks>
/// SQLite: a new file in a new temp folder. PostgreSQL: a database with a unique name created on the server
/// given by <c>CRMX_TEST_POSTGRES</c> (which <c>scripts/test.sh</c> starts); without that variable the test is
/// ignored, or failed under CI.
/// </remarks>
public sealed class TestDatabase : IDisposable
{
    /// <summary>The environment variable holding an Npgsql connection string to a server where databases may be created.</summary>
    public const string PostgresVariable = "CRMX_TEST_POSTGRES";

    private readonly TempDirectory? _directory;
    private readonly string? _adminConnectionString;
    private readonly string? _databaseName;
    private bool _disposed;

    private TestDatabase(DatabaseProvider provider, string connectionString, TempDirectory? directory, string? adminConnectionString, string? databaseName)
    {
        Provider = provider;
        ConnectionString = connectionString;
        _directory = directory;
        _adminConnectionString = adminConnectionString;
        _databaseName = databaseName;
    }

    /// <summary>Gets the engine of this database.</summary>
    public DatabaseProvider Provider { get; }

    /// <summary>Gets the connection string of the fresh database.</summary>
    /// <value>For SQLite, pooling is off so that no connection outlives the test and holds the file.</value>
    public string ConnectionString { get; }

    /// <summary>Creates a fresh, empty database on the given provider.</summary>
    /// <param name="provider">The engine.</param>
    /// <returns>The database; dispose it to remove it.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="provider"/> is not a known provider.</exception>
    public static TestDatabase Create(DatabaseProvider provider) =>
        Create(provider, Environment.GetEnvironmentVariable(PostgresVariable));

    internal static TestDatabase Create(DatabaseProvider provider, string? postgresConnectionString) => provider switch
    {
        DatabaseProvider.Sqlite => CreateSqlite(),
        DatabaseProvider.Postgres => CreatePostgres(postgresConnectionString),
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "Unknown database provider."),
    };

    /// <summary>Deletes the SQLite file and its folder, or drops the PostgreSQL database even if connections remain.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_directory is not null)
        {
            _directory.Dispose();
            return;
        }

        using (var connection = new NpgsqlConnection(ConnectionString))
        {
            // Pooled idle connections to the dropped database would otherwise fail the next test that draws them.
            NpgsqlConnection.ClearPool(connection);
        }

        using var admin = new NpgsqlConnection(_adminConnectionString);
        admin.Open();
        using var drop = admin.CreateCommand();
        drop.CommandText = $"DROP DATABASE IF EXISTS \"{_databaseName}\" WITH (FORCE)";
        drop.ExecuteNonQuery();
    }

    private static TestDatabase CreateSqlite()
    {
        var directory = new TempDirectory();
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(directory.Path, "test.db"),
            Pooling = false,
        }.ToString();

        // Opening once writes a valid empty database, so read-only opens of the fresh file work too.
        using (var connection = new SqliteConnection(connectionString))
        {
            connection.Open();
        }

        return new TestDatabase(DatabaseProvider.Sqlite, connectionString, directory, null, null);
    }

    private static TestDatabase CreatePostgres(string? adminConnectionString)
    {
        if (string.IsNullOrWhiteSpace(adminConnectionString))
        {
            TestEnvironment.Unavailable(
                $"{PostgresVariable} is not set: run the tests with 'bash scripts/test.sh', which starts a throwaway PostgreSQL server, or set it to a server's connection string.");
        }

        // Lower case and unquoted-safe, well under PostgreSQL's 63-byte identifier limit.
        var databaseName = $"crmx_test_{Guid.NewGuid():N}";
        try
        {
            using var admin = new NpgsqlConnection(adminConnectionString);
            admin.Open();
            using var create = admin.CreateCommand();
            create.CommandText = $"CREATE DATABASE \"{databaseName}\"";
            create.ExecuteNonQuery();
        }
        catch (NpgsqlException exception)
        {
            TestEnvironment.Unavailable($"The PostgreSQL server in {PostgresVariable} cannot create a test database: {exception.Message}");
        }

        var connectionString = new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = databaseName }.ConnectionString;
        return new TestDatabase(DatabaseProvider.Postgres, connectionString, null, adminConnectionString, databaseName);
    }
}
