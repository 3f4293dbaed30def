using System.Data.Common;
using CrmExtensions.Store.Providers;
using Dapper;
using Microsoft.Data.Sqlite;

namespace CrmExtensions.Store.Leases;

/// <summary>How a holder of the <see cref="SyncLock"/> uses the mirror.</summary>
public enum SyncLockMode
{
    /// <summary>Writes it: a sync. One at a time, and never while a reader acts.</summary>
    Exclusive,

    /// <summary>Acts on it (unification, event delivery, reminder rules): any number at once, never during a sync.</summary>
    Shared,
}

/// <summary>
/// The store's lock on the mirror: a sync holds it exclusively from its first read of the mirror to its last commit,
/// and whatever acts on the mirror holds it shared, so no host acts on a half-synced store and two syncs take turns.
/// </summary>
/// <remarks>
/// This is not a lease: it is held by a live session and freed by the database (or the operating system) when the
/// holder's connection or process ends, so a killed host never blocks the others. PostgreSQL: a session advisory lock;
/// SQL Server: a session application lock; SQLite: an advisory lock on a file beside the store
/// (<c>crm.db.sync-lock</c>). A holder that has to wait is told once, so the user sees why nothing happens.
/// Dispose to release. Not thread-safe; each holder takes its own.
/// </remarks>
public sealed class SyncLock : IDisposable
{
    internal const long PostgresKey = 7280293;
    internal const string SqlServerResource = "crmx_mirror";
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);

    private readonly DbConnection? _connection;
    private readonly FileStream? _file;
    private readonly SyncLockMode _mode;
    private readonly DatabaseProvider _provider;

    private SyncLock(DatabaseProvider provider, SyncLockMode mode, DbConnection? connection, FileStream? file)
    {
        _provider = provider;
        _mode = mode;
        _connection = connection;
        _file = file;
    }

    /// <summary>Takes the lock, waiting as long as another host holds it in a conflicting mode.</summary>
    /// <param name="store">The store.</param>
    /// <param name="mode">Exclusive for a sync, shared for what acts on the mirror.</param>
    /// <param name="waiting">Called once, before waiting, when another host holds the lock.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The held lock; dispose it to release.</returns>
    /// <exception cref="OperationCanceledException">Cancelled while waiting.</exception>
    /// <exception cref="StoreException">The store cannot be opened.</exception>
    public static SyncLock Acquire(CrmStore store, SyncLockMode mode, Action? waiting, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var told = false;
        if (store.Provider == DatabaseProvider.Sqlite)
        {
            var path = LockFilePath(store.ConnectionString);
            if (path is null)
            {
                return new SyncLock(store.Provider, mode, null, null); // an in-memory store has one process
            }

            while (true)
            {
                if (TryLockFile(path, mode) is { } file)
                {
                    return new SyncLock(store.Provider, mode, null, file);
                }

                Wait(ref told, waiting, cancellationToken);
            }
        }

        var connection = store.Open();
        try
        {
            while (!connection.ExecuteScalar<bool>(TryLockSql(store.Provider, mode)))
            {
                Wait(ref told, waiting, cancellationToken);
            }

            return new SyncLock(store.Provider, mode, connection, null);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Releases the lock.</summary>
    public void Dispose()
    {
        if (_connection is not null)
        {
            try
            {
                // Pooled connections keep session locks unless told: release explicitly before returning it.
                _connection.Execute(UnlockSql(_provider, _mode));
            }
            catch (DbException)
            {
                // The session is gone, and its locks with it.
            }

            _connection.Dispose();
        }

        _file?.Dispose();
    }

    internal static string TryLockSql(DatabaseProvider provider, SyncLockMode mode) => (provider, mode) switch
    {
        (DatabaseProvider.PostgreSql, SyncLockMode.Exclusive) => $"SELECT pg_try_advisory_lock({PostgresKey})",
        (DatabaseProvider.PostgreSql, _) => $"SELECT pg_try_advisory_lock_shared({PostgresKey})",
        (DatabaseProvider.SqlServer, _) =>
            $"DECLARE @result int; EXEC @result = sp_getapplock @Resource = N'{SqlServerResource}', @LockMode = N'{mode}', @LockOwner = N'Session', @LockTimeout = 0; " +
            "SELECT CAST(CASE WHEN @result >= 0 THEN 1 ELSE 0 END AS bit)",
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "SQLite locks a file."),
    };

    internal static string UnlockSql(DatabaseProvider provider, SyncLockMode mode) => (provider, mode) switch
    {
        (DatabaseProvider.PostgreSql, SyncLockMode.Exclusive) => $"SELECT pg_advisory_unlock({PostgresKey})",
        (DatabaseProvider.PostgreSql, _) => $"SELECT pg_advisory_unlock_shared({PostgresKey})",
        (DatabaseProvider.SqlServer, _) => $"EXEC sp_releaseapplock @Resource = N'{SqlServerResource}', @LockOwner = N'Session'",
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "SQLite locks a file."),
    };

    /// <summary>Every statement this class sends on a server store; tests parse the T-SQL ones.</summary>
    internal static IEnumerable<string> Statements(DatabaseProvider provider) =>
        provider == DatabaseProvider.Sqlite
            ? []
            : Enum.GetValues<SyncLockMode>().SelectMany(m => new[] { TryLockSql(provider, m), UnlockSql(provider, m) });

    /// <summary>The lock file beside a SQLite store, or null for an in-memory one.</summary>
    internal static string? LockFilePath(string connectionString)
    {
        var source = new SqliteConnectionStringBuilder(connectionString).DataSource;
        return string.IsNullOrEmpty(source) || source == ":memory:" || source.StartsWith("file::memory:", StringComparison.OrdinalIgnoreCase)
            ? null
            : Path.GetFullPath(source) + ".sync-lock";
    }

    private static FileStream? TryLockFile(string path, SyncLockMode mode)
    {
        try
        {
            // .NET maps FileShare.None to an exclusive and any other sharing to a shared advisory lock (flock on Unix,
            // share modes on Windows); the lock dies with the handle, whatever ends the process.
            return new FileStream(path, FileMode.OpenOrCreate, mode == SyncLockMode.Exclusive ? FileAccess.ReadWrite : FileAccess.Read,
                mode == SyncLockMode.Exclusive ? FileShare.None : FileShare.ReadWrite);
        }
        catch (IOException) when (File.Exists(path))
        {
            return null;
        }
    }

    private static void Wait(ref bool told, Action? waiting, CancellationToken cancellationToken)
    {
        if (!told)
        {
            told = true;
            waiting?.Invoke();
        }

        if (cancellationToken.WaitHandle.WaitOne(Poll))
        {
            cancellationToken.ThrowIfCancellationRequested();
        }
    }
}
