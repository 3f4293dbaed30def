using System.Globalization;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Npgsql;
using CrmExtensions.Store;
using CrmExtensions.Store.Providers;

namespace CrmExtensions.Ledger.Connections;

/// <summary>Tells whether a connection string reaches one of the ledgers, however either is spelled.</summary>
/// <remarks>
/// SQLite: the file's canonical path (full, every symbolic link along it resolved, any <c>file:</c> URI form; case
/// ignored where the file system ignores it). PostgreSQL: host (any loopback spelling as one), port and database
/// (the user's name when none is given). SQL Server: server and initial catalog. A hard link to a SQLite ledger, or a
/// server reached under two DNS names, is not recognised.
/// </remarks>
public static class DatabaseIdentity
{
    private const int MaxLinkHops = 40;

    /// <summary>Refuses a store that is one of the configured ledgers, before anything opens it.</summary>
    /// <param name="provider">The store's engine.</param>
    /// <param name="connectionString">The store's connection string (relative SQLite paths already resolved).</param>
    /// <param name="ledgers">The configured ledgers.</param>
    /// <param name="baseDirectory">The folder relative ledger paths are resolved against.</param>
    /// <exception cref="StoreException">The store is a ledger; the message names it.</exception>
    public static void RefuseLedgerAsStore(DatabaseProvider provider, string connectionString, IReadOnlyList<LedgerOptions> ledgers, string baseDirectory)
    {
        ArgumentNullException.ThrowIfNull(ledgers);
        var store = Key(provider, connectionString);
        if (store is null)
        {
            return;
        }

        foreach (var ledger in ledgers)
        {
            if (!DatabaseProviders.TryParse(ledger.Provider, out var ledgerProvider) || ledgerProvider != provider || string.IsNullOrWhiteSpace(ledger.ConnectionString))
            {
                continue;
            }

            var ledgerConnectionString = provider == DatabaseProvider.Sqlite
                ? TryResolveSqlitePath(ledger.ConnectionString, baseDirectory)
                : ledger.ConnectionString;
            if (ledgerConnectionString is not null && Key(provider, ledgerConnectionString) == store)
            {
                throw new StoreException(
                    $"The store ({provider.Name()} {DatabaseProviders.Describe(provider, connectionString)}) is ledger '{ledger.Name}': the CRM would write its tables into the company's ledger. Point 'store:connectionString' at a database of its own.");
            }
        }
    }

    /// <summary>A key equal for two connection strings that reach the same database; null when it cannot be told.</summary>
    internal static string? Key(DatabaseProvider provider, string connectionString)
    {
        try
        {
            return provider switch
            {
                DatabaseProvider.Sqlite => SqliteKey(connectionString),
                DatabaseProvider.PostgreSql => PostgresKey(connectionString),
                DatabaseProvider.SqlServer => SqlServerKey(connectionString),
                _ => null,
            };
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or KeyNotFoundException or IOException or UnauthorizedAccessException)
        {
            // A connection string that does not parse is reported where it is opened.
            return null;
        }
    }

    private static string? TryResolveSqlitePath(string connectionString, string baseDirectory)
    {
        try
        {
            return LedgerConnections.ResolveSqlitePath(connectionString, baseDirectory);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static string? SqliteKey(string connectionString)
    {
        var source = new SqliteConnectionStringBuilder(connectionString).DataSource;
        if (source.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            source = Uri.UnescapeDataString(source["file:".Length..].Split('?', 2)[0]);
            if (source.StartsWith("//", StringComparison.Ordinal))
            {
                // file:///abs or file://localhost/abs
                source = source[source.IndexOf('/', 2)..];
            }
        }

        if (string.IsNullOrEmpty(source) || source == ":memory:")
        {
            return null;
        }

        var path = CanonicalPath(Path.GetFullPath(source), MaxLinkHops);
        return "sqlite:" + (OperatingSystem.IsLinux() ? path : path.ToUpperInvariant());
    }

    /// <summary>The path with every symbolic link along it (folders and the file) resolved.</summary>
    private static string CanonicalPath(string fullPath, int hopsLeft)
    {
        var root = Path.GetPathRoot(fullPath)!;
        var current = root;
        foreach (var part in fullPath[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            current = Path.Combine(current, part);
            FileSystemInfo info = Directory.Exists(current) ? new DirectoryInfo(current) : new FileInfo(current);
            if (info.LinkTarget is { } target)
            {
                if (hopsLeft == 0)
                {
                    throw new IOException($"too many levels of symbolic links at {current}");
                }

                // The target may itself hold links: resolve it the same way, relative to the link's folder.
                current = CanonicalPath(Path.GetFullPath(target, Path.GetDirectoryName(current)!), hopsLeft - 1);
            }
        }

        return current;
    }

    private static string PostgresKey(string connectionString)
    {
        var b = new NpgsqlConnectionStringBuilder(connectionString);
        var database = b.Database ?? b.Username ?? Environment.UserName;
        return string.Create(CultureInfo.InvariantCulture, $"postgres:{Host(b.Host)}:{b.Port}/{database}");
    }

    private static string SqlServerKey(string connectionString)
    {
        var b = new SqlConnectionStringBuilder(connectionString);
        var server = b.DataSource.Trim();
        if (server.StartsWith("tcp:", StringComparison.OrdinalIgnoreCase))
        {
            server = server[4..];
        }

        var (name, port) = server.Split(',', 2) is [var n, var p] ? (n, p.Trim()) : (server, "1433");
        var (host, instance) = name.Split('\\', 2) is [var h, var i] ? (h, "\\" + i.ToUpperInvariant()) : (name, "");
        return $"sqlserver:{Host(host)}{instance}:{port}/{b.InitialCatalog.ToUpperInvariant()}";
    }

    private static string Host(string? host)
    {
        var h = (host ?? "").Trim().ToLowerInvariant();
        return h is "" or "localhost" or "127.0.0.1" or "::1" or "[::1]" or "." or "(local)" ? "loopback" : h;
    }
}
