using System.Data.Common;
using CrmExtensions.Store.Migrations;
using CrmExtensions.Store.Providers;
using Dapper;
using Microsoft.Data.Sqlite;

namespace CrmExtensions.Store;

/// <summary>The CRM's own database: opens connections and keeps the schema current.</summary>
/// <remarks>Thread-safe: every caller opens its own connection.</remarks>
public sealed class CrmStore
{
    /// <summary>Creates a store handle; nothing is opened until <see cref="Open"/> or <see cref="Migrate"/>.</summary>
    public CrmStore(DatabaseProvider provider, string connectionString, TimeProvider time)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentNullException.ThrowIfNull(time);
        Provider = provider;
        ConnectionString = provider == DatabaseProvider.Sqlite ? SqliteStoreConnectionString(connectionString) : connectionString;
        Dialect = StoreDialect.For(provider);
        Time = time;
    }

    /// <summary>Creates a store handle from the <c>store</c> section of the configuration.</summary>
    /// <exception cref="StoreException">The provider name is unknown.</exception>
    public static CrmStore FromOptions(StoreOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!DatabaseProviders.TryParse(options.Provider, out var provider))
        {
            throw new StoreException(
                $"Unknown store provider '{options.Provider}' in configuration 'store:provider'; use one of: {DatabaseProviders.ValidNames}.");
        }

        if (!Mirror.Currency.TryNormalize(options.BaseCurrency, out var baseCurrency) || baseCurrency is null)
        {
            throw new StoreException(
                $"'{options.BaseCurrency}' in configuration 'store:baseCurrency' is not a currency; write an ISO 4217 code such as RUB, USD or EUR.");
        }

        return new CrmStore(provider, options.ConnectionString, time) { BaseCurrency = baseCurrency };
    }

    /// <summary>The currency the store's totals are in (<c>base_amount</c> of the mirrored money), an ISO 4217 code.</summary>
    /// <value><see cref="Mirror.Currency.DefaultBase"/> unless the configuration names another.</value>
    public string BaseCurrency { get; init; } = Mirror.Currency.DefaultBase;

    /// <summary>The store's database engine.</summary>
    public DatabaseProvider Provider { get; }

    /// <summary>The connection string in use.</summary>
    public string ConnectionString { get; }

    /// <summary>The SQL dialect of <see cref="Provider"/>.</summary>
    public StoreDialect Dialect { get; }

    /// <summary>The clock used for every time the store records.</summary>
    public TimeProvider Time { get; }

    /// <summary>Where the store is, without secrets, for messages.</summary>
    public string Describe() => DatabaseProviders.Describe(Provider, ConnectionString);

    /// <summary>The native SQLite connections whose per-connection settings are made (the pool hands them out again).</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<SQLitePCL.sqlite3, object> Configured = new();

    /// <summary>Opens a new connection to the store.</summary>
    /// <exception cref="StoreException">The database cannot be reached.</exception>
    public DbConnection Open()
    {
        var connection = DatabaseProviders.CreateConnection(Provider, ConnectionString);
        try
        {
            connection.Open();
            if (Provider == DatabaseProvider.Sqlite)
            {
                // Per native connection: a 64 MiB page cache keeps the mirror's indexes in memory while millions of rows
                // go in (the default is 2 MiB). WAL mode is kept in the file; Migrate sets it once. A pooled native
                // connection keeps its settings, so they are sent once per native connection, not on every open (a web page
                // opens several connections). A write that finds another's lock waits in SQLite's busy handler, which tries
                // again within milliseconds of the lock's release; left to Microsoft.Data.Sqlite, it tried again every 150 ms.
                if (((SqliteConnection)connection).Handle is { } handle && !Configured.TryGetValue(handle, out _))
                {
                    var busyMilliseconds = ((SqliteConnection)connection).DefaultTimeout * 1000L;
                    connection.Execute("PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY; " +
                        "PRAGMA busy_timeout=" + busyMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture) + ";");
                    Configured.AddOrUpdate(handle, Configured);
                }

                // SQLite's own LOWER folds ASCII only: "Ромашка" would never match "ромашка" in a name search.
                ((SqliteConnection)connection).CreateFunction("lower", (string? text) => text?.ToLowerInvariant(), isDeterministic: true);
            }

            return connection;
        }
        catch (Exception ex) when (ex is DbException or InvalidOperationException or ArgumentException)
        {
            connection.Dispose();
            throw new StoreException($"Cannot open the store ({Provider.Name()} {Describe()}): {ex.Message}", ex);
        }
    }

    /// <summary>Applies every pending migration.</summary>
    /// <param name="upgrading">Told, a line at a time, of each migration applied to a store made by an earlier version, as
    /// it starts and when it is done (some rewrite every client's rows); null says nothing.</param>
    /// <returns>The migrations applied now; empty when the schema was current.</returns>
    /// <exception cref="StoreException">The store cannot be opened or a migration fails.</exception>
    public IReadOnlyList<Migration> Migrate(Action<string>? upgrading = null)
    {
        using var connection = Open();
        if (Provider == DatabaseProvider.Sqlite)
        {
            // WAL lets readers (reports, a second host) work while sync writes; the mode is stored in the file.
            connection.Execute("PRAGMA journal_mode=WAL;");
        }

        return Migrator.Apply(connection, Dialect, StoreMigrations.All, Time, upgrading);
    }

    private static string SqliteStoreConnectionString(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (builder.Mode is SqliteOpenMode.ReadOnly)
        {
            throw new StoreException("The store must be writable: remove 'Mode=ReadOnly' from 'store:connectionString'.");
        }

        // Several processes share the store: wait for a lock rather than fail at once.
        builder.DefaultTimeout = Math.Max(builder.DefaultTimeout, 60);
        builder.Pooling = true;
        // A mistyped folder must not quietly become a new, empty store that every command then answers from.
        var directory = builder.DataSource is "" or ":memory:" || builder.DataSource.StartsWith("file:", StringComparison.OrdinalIgnoreCase)
            ? null
            : Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
        if (!string.IsNullOrEmpty(directory) && !Directory.Exists(directory))
        {
            throw new StoreException(
                $"The store's folder {directory} does not exist: correct 'store:connectionString', or create the folder for a new store.");
        }

        return builder.ToString();
    }
}
