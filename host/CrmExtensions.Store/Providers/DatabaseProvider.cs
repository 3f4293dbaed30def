using System.Data.Common;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace CrmExtensions.Store.Providers;

/// <summary>The database engines the host can talk to, for ledgers and for its own store.</summary>
public enum DatabaseProvider
{
    Sqlite,
    PostgreSql,
    SqlServer,
}

/// <summary>Names, parsing and connections for <see cref="DatabaseProvider"/>.</summary>
public static class DatabaseProviders
{
    /// <summary>The names accepted in configuration, as a user would read them in an error.</summary>
    public const string ValidNames = "sqlite, postgres, sqlserver";

    /// <summary>Parses a provider name from configuration ("sqlite", "postgres", "postgresql", "npgsql", "sqlserver", "mssql").</summary>
    /// <returns><see langword="false"/> when the name is unknown.</returns>
    public static bool TryParse(string? name, out DatabaseProvider provider)
    {
        switch (name?.Trim().ToUpperInvariant())
        {
            case "SQLITE":
                provider = DatabaseProvider.Sqlite;
                return true;
            case "POSTGRES" or "POSTGRESQL" or "NPGSQL" or "PG":
                provider = DatabaseProvider.PostgreSql;
                return true;
            case "SQLSERVER" or "MSSQL" or "SQL SERVER":
                provider = DatabaseProvider.SqlServer;
                return true;
            default:
                provider = default;
                return false;
        }
    }

    /// <summary>The short name used in configuration and messages.</summary>
    public static string Name(this DatabaseProvider provider) => provider switch
    {
        DatabaseProvider.Sqlite => "sqlite",
        DatabaseProvider.PostgreSql => "postgres",
        DatabaseProvider.SqlServer => "sqlserver",
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, null),
    };

    /// <summary>Creates an unopened connection for the provider.</summary>
    public static DbConnection CreateConnection(DatabaseProvider provider, string connectionString) => provider switch
    {
        DatabaseProvider.Sqlite => new SqliteConnection(connectionString),
        DatabaseProvider.PostgreSql => new NpgsqlConnection(connectionString),
        DatabaseProvider.SqlServer => new SqlConnection(connectionString),
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, null),
    };

    /// <summary>Describes where a connection string points without its secrets, for messages.</summary>
    public static string Describe(DatabaseProvider provider, string connectionString)
    {
        try
        {
            return provider switch
            {
                DatabaseProvider.Sqlite => new SqliteConnectionStringBuilder(connectionString).DataSource,
                DatabaseProvider.PostgreSql => Postgres(new NpgsqlConnectionStringBuilder(connectionString)),
                DatabaseProvider.SqlServer => Sql(new SqlConnectionStringBuilder(connectionString)),
                _ => provider.Name(),
            };
        }
        catch (ArgumentException)
        {
            return "(unreadable connection string)";
        }

        static string Postgres(NpgsqlConnectionStringBuilder b) => $"{b.Host}:{b.Port}/{b.Database}";
        static string Sql(SqlConnectionStringBuilder b) => $"{b.DataSource}/{b.InitialCatalog}";
    }
}
