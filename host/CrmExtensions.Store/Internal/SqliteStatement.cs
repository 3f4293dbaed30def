using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace CrmExtensions.Store.Internal;

/// <summary>A SQLite statement prepared once on a connection's handle and executed row after row with its parameters
/// bound by position: what a writer of hundreds of thousands of rows uses instead of a <see cref="SqliteCommand"/>.</summary>
/// <remarks>
/// A command binds its parameters by name on every execution (each name looked up in the statement, each string
/// converted to UTF-8 in managed code, a reader made and disposed per row): at a first sync's hundred thousand rows per
/// kind, more processor time than SQLite's own insert. Here the names are looked up once, strings are handed to SQLite as
/// they are (UTF-16, which SQLite converts to the database's encoding itself) and a row is one step and one reset.
/// The statement runs in whatever transaction its connection has open (SQLite has one per connection). A failure throws
/// the <see cref="SqliteException"/> a command would, with SQLite's message. Not thread-safe; dispose it before its
/// connection.
/// </remarks>
internal sealed class SqliteStatement : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;
    private readonly int[] _positions;

    /// <summary>Prepares <paramref name="sql"/> on <paramref name="connection"/>, which must be open.</summary>
    /// <param name="connection">An open connection.</param>
    /// <param name="sql">One statement, its parameters written <c>@name</c>.</param>
    /// <param name="names">The parameters' names without <c>@</c>, in the order <see cref="Bind(int, string?)"/> numbers
    /// them; a name the statement does not use is bound to nothing.</param>
    /// <exception cref="SqliteException">The statement cannot be prepared.</exception>
    public SqliteStatement(SqliteConnection connection, string sql, IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _db = connection.Handle ?? throw new InvalidOperationException("The connection must be open to prepare a statement on it.");
        Check(raw.sqlite3_prepare_v2(_db, sql, out _statement));
        _positions = [.. names.Select(n => raw.sqlite3_bind_parameter_index(_statement, "@" + n))];
    }

    /// <summary>Binds the <paramref name="parameter"/>th name (0-based) to a string, or to NULL.</summary>
    public void Bind(int parameter, string? value)
    {
        var position = _positions[parameter];
        if (position == 0)
        {
            return;
        }

        // An empty span is a null pointer to SQLite, which would bind NULL: the empty string goes as UTF-8.
        Check(value is null ? raw.sqlite3_bind_null(_statement, position)
            : value.Length == 0 ? raw.sqlite3_bind_text(_statement, position, string.Empty)
            : raw.sqlite3_bind_text16(_statement, position, value.AsSpan()));
    }

    /// <summary>Binds the <paramref name="parameter"/>th name (0-based) to an integer.</summary>
    public void Bind(int parameter, long value)
    {
        if (_positions[parameter] is var position and not 0)
        {
            Check(raw.sqlite3_bind_int64(_statement, position, value));
        }
    }

    /// <summary>Binds the <paramref name="parameter"/>th name (0-based) to a floating-point number (a REAL).</summary>
    public void Bind(int parameter, double value)
    {
        if (_positions[parameter] is var position and not 0)
        {
            Check(raw.sqlite3_bind_double(_statement, position, value));
        }
    }

    /// <summary>Binds the <paramref name="parameter"/>th name (0-based) to a string, an integer, a floating-point number or
    /// NULL (null or <see cref="DBNull"/>).</summary>
    /// <exception cref="ArgumentException">A value of another type.</exception>
    public void Bind(int parameter, object? value)
    {
        switch (value)
        {
            case null or DBNull:
                Bind(parameter, (string?)null);
                break;
            case string s:
                Bind(parameter, s);
                break;
            case long l:
                Bind(parameter, l);
                break;
            case int i:
                Bind(parameter, (long)i);
                break;
            case double d:
                Bind(parameter, d);
                break;
            default:
                throw new ArgumentException($"A {value.GetType().Name} cannot be bound here; bind a string, an integer, a floating-point number or null.", nameof(value));
        }
    }

    /// <summary>Runs the statement to its end with the values bound, and keeps them for the next run.</summary>
    /// <returns>The rows it inserted, updated or deleted.</returns>
    /// <exception cref="SqliteException">SQLite failed (a constraint, a full disk, …).</exception>
    public int Execute()
    {
        int rc;
        while ((rc = raw.sqlite3_step(_statement)) == raw.SQLITE_ROW)
        {
        }

        if (rc != raw.SQLITE_DONE)
        {
            try
            {
                // The message is the connection's last error: read before the reset.
                SqliteException.ThrowExceptionForRC(rc, _db);
            }
            finally
            {
                raw.sqlite3_reset(_statement);
            }
        }

        var changes = raw.sqlite3_changes(_db);
        raw.sqlite3_reset(_statement);
        return changes;
    }

    public void Dispose() => _statement.Dispose();

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }
    }
}
