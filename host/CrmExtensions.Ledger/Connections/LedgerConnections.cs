using System.Data.Common;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Npgsql;
using CrmExtensions.Store.Providers;

namespace CrmExtensions.Ledger.Connections;

/// <summary>Opens ledger connections read-only, the strongest way each provider allows.</summary>
/// <remarks>
/// SQLite: <c>Mode=ReadOnly</c> (the engine refuses every write). PostgreSQL: the session option
/// <c>default_transaction_read_only=on</c> (every transaction is read-only). SQL Server:
/// <c>ApplicationIntent=ReadOnly</c>, and the host only ever runs the mapping's single SELECT inside a transaction
/// it rolls back. Whatever is configured, these settings are forced.
/// </remarks>
public static class LedgerConnections
{
    /// <summary>The connection string actually used for a ledger, with the read-only settings forced.</summary>
    public static string ReadOnlyConnectionString(DatabaseProvider provider, string connectionString)
    {
        switch (provider)
        {
            case DatabaseProvider.Sqlite:
                return new SqliteConnectionStringBuilder(connectionString) { Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString();
            case DatabaseProvider.PostgreSql:
                var pg = new NpgsqlConnectionStringBuilder(connectionString);
                var options = pg.Options ?? "";
                pg.Options = (options + " -c default_transaction_read_only=on").Trim();
                pg.ApplicationName ??= "crmx";
                return pg.ToString();
            case DatabaseProvider.SqlServer:
                return new SqlConnectionStringBuilder(connectionString) { ApplicationIntent = ApplicationIntent.ReadOnly, ApplicationName = "crmx" }.ToString();
            default:
                throw new ArgumentOutOfRangeException(nameof(provider), provider, null);
        }
    }

    /// <summary>Opens a read-only connection to a ledger.</summary>
    /// <exception cref="LedgerException">The ledger cannot be reached; the message names it and says why.</exception>
    public static DbConnection OpenReadOnly(LedgerDefinition ledger)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        if (ledger.Provider == DatabaseProvider.Sqlite)
        {
            var file = new SqliteConnectionStringBuilder(ledger.ConnectionString).DataSource;
            if (!File.Exists(file))
            {
                throw new LedgerException(new LedgerProblem(ledger.Name, $"cannot reach the ledger: the SQLite file {file} does not exist"));
            }
        }

        DbConnection? connection = null;
        try
        {
            connection = DatabaseProviders.CreateConnection(ledger.Provider, BoundedConnectionString(ledger));
            connection.Open();
            if (ledger.Provider == DatabaseProvider.SqlServer)
            {
                using var bound = connection.CreateCommand();
                bound.CommandText = LockTimeoutSql(ledger);
                bound.ExecuteNonQuery();
            }

            return connection;
        }
        catch (Exception ex) when (ex is DbException or InvalidOperationException or ArgumentException or TimeoutException)
        {
            connection?.Dispose();
            throw new LedgerException(new LedgerProblem(ledger.Name, $"cannot reach the ledger ({ledger.Describe()}): {OneLine(ex.Message)}"), ex);
        }
    }

    /// <summary>The read-only connection string with the wait for locks bounded: PostgreSQL's <c>lock_timeout</c> as a
    /// session option (SQL Server's is set after opening, SQLite's busy waits are the reader's).</summary>
    internal static string BoundedConnectionString(LedgerDefinition ledger)
    {
        var readOnly = ReadOnlyConnectionString(ledger.Provider, ledger.ConnectionString);
        if (ledger.Provider != DatabaseProvider.PostgreSql)
        {
            return readOnly;
        }

        var pg = new NpgsqlConnectionStringBuilder(readOnly);
        pg.Options = (pg.Options + $" -c lock_timeout={Math.Max(1, ledger.BusyTimeoutSeconds) * 1000}").Trim();
        return pg.ToString();
    }

    /// <summary>SQL Server's bound on lock waits for the session, in milliseconds.</summary>
    internal static string LockTimeoutSql(LedgerDefinition ledger) =>
        $"SET LOCK_TIMEOUT {Math.Max(1, ledger.BusyTimeoutSeconds) * 1000}";

    /// <summary>Makes a relative SQLite <c>Data Source</c> relative to the configuration's folder.</summary>
    public static string ResolveSqlitePath(string connectionString, string baseDirectory)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (!string.IsNullOrEmpty(builder.DataSource) && builder.DataSource != ":memory:" && !builder.DataSource.StartsWith("file:", StringComparison.Ordinal))
        {
            builder.DataSource = Path.GetFullPath(builder.DataSource, baseDirectory);
        }

        return builder.ToString();
    }

    internal static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}
