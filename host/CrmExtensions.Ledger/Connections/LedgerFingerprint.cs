using System.Globalization;
using System.Text;
using CrmExtensions.Store.Providers;
using Microsoft.Data.Sqlite;

namespace CrmExtensions.Ledger.Connections;

/// <summary>
/// A cheap look at a ledger's storage that changes whenever a row in it may have changed: a long-running host compares it
/// with the look taken before its last complete sync of the ledger and skips reading a ledger that cannot have changed.
/// </summary>
/// <remarks>
/// Only a SQLite ledger file has one: its size and modification time, the file change counter in its header (SQLite
/// increments it on every commit in rollback-journal mode), and the same of its write-ahead log with the log's header
/// (a commit in WAL mode appends frames, and a log started afresh gets new salts), so any commit changes the look. A
/// hot journal (a write in progress) gives no look. PostgreSQL and SQL Server ledgers have no look that is both cheap and
/// exact for a read-only user, so they are read every cycle.
/// </remarks>
public static class LedgerFingerprint
{
    /// <summary>The look at <paramref name="ledger"/>'s storage now, or null when there is no cheap one.</summary>
    public static string? Of(LedgerDefinition ledger)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        if (ledger.Provider != DatabaseProvider.Sqlite)
        {
            return null;
        }

        var file = new SqliteConnectionStringBuilder(ledger.ConnectionString).DataSource;
        if (string.IsNullOrEmpty(file) || file == ":memory:" || file.StartsWith("file:", StringComparison.OrdinalIgnoreCase) || File.Exists(file + "-journal"))
        {
            return null;
        }

        try
        {
            var look = new StringBuilder();
            Append(look, file, 24, 4);
            Append(look, file + "-wal", 0, 32);
            return look.ToString();
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>A file's size, modification time and <paramref name="count"/> header bytes from <paramref name="offset"/>; a dash when it does not exist.</summary>
    private static void Append(StringBuilder look, string path, int offset, int count)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            look.Append("-;");
            return;
        }

        var header = new byte[count];
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        {
            stream.Position = offset;
            stream.ReadAtLeast(header, count, throwOnEndOfStream: false);
        }

        look.Append(CultureInfo.InvariantCulture, $"{info.Length},{info.LastWriteTimeUtc.Ticks},{Convert.ToHexString(header)};");
    }
}
