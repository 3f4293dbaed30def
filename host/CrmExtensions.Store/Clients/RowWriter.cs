using System.Data.Common;
using CrmExtensions.Store.Internal;
using Microsoft.Data.Sqlite;

namespace CrmExtensions.Store.Clients;

/// <summary>One parameterised statement executed once per row with its parameters reused (or, through <see cref="Add"/>,
/// sent a thousand rows at a time on PostgreSQL).</summary>
/// <remarks>Dapper builds a parameter set per row and looks every name up again; at a million rows that is most
/// of the cost of a write. The provider keeps the statement prepared while its text stays the same. On SQLite the
/// statement is a <see cref="SqliteStatement"/>, prepared on the connection's handle and bound by position: a command
/// binds by name and converts each value on every row, about half the time of each insert of a first unification.
/// Values are strings, integers, floating-point numbers or null.</remarks>
internal sealed class RowWriter : IDisposable
{
    // SQLite: the statement; elsewhere the command and its parameters.
    private readonly SqliteStatement? _statement;
    private readonly DbCommand? _command;
    private readonly DbParameter[] _parameters;
    private readonly DbConnection _connection;
    private readonly DbTransaction? _transaction;
    private readonly bool _typed;

    // PostgreSQL: the rows added and not sent yet, and which of them count in what Flush returns.
    private DbBatch? _held;
    private readonly List<bool> _heldCounted = [];

    public RowWriter(DbConnection connection, DbTransaction? transaction, string sql, params string[] names)
    {
        _connection = connection;
        _transaction = transaction;
        if (connection is SqliteConnection sqlite)
        {
            // The statement runs in the connection's transaction, which is the one given.
            _statement = new SqliteStatement(sqlite, sql, names);
            _parameters = [];
            return;
        }

        _command = connection.CreateCommand();
        _command.Transaction = transaction;
        _command.CommandText = sql;
        _parameters = new DbParameter[names.Length];
        for (var i = 0; i < names.Length; i++)
        {
            var p = _command.CreateParameter();
            p.ParameterName = "@" + names[i];
            _command.Parameters.Add(p);
            _parameters[i] = p;
        }
    }

    /// <summary>A statement with typed parameters, prepared once: what a writer that adds many rows one by one uses.</summary>
    public RowWriter(DbConnection connection, DbTransaction? transaction, string sql, IReadOnlyList<(string Name, System.Data.DbType Type)> parameters)
        : this(connection, transaction, sql, parameters.Select(p => p.Name).ToArray())
    {
        if (_command is null)
        {
            // SQLite binds each value by its own type.
            return;
        }

        for (var i = 0; i < parameters.Count; i++)
        {
            _parameters[i].DbType = parameters[i].Type;
        }

        _typed = true;

        _command.Prepare();
    }

    public int Execute(params ReadOnlySpan<object?> values)
    {
        if (_statement is not null)
        {
            for (var i = 0; i < values.Length; i++)
            {
                _statement.Bind(i, values[i]);
            }

            return _statement.Execute();
        }

        for (var i = 0; i < _parameters.Length; i++)
        {
            _parameters[i].Value = values[i] ?? DBNull.Value;
        }

        return _command!.ExecuteNonQuery();
    }

    /// <summary>PostgreSQL: rows sent in one round trip by <see cref="Add"/>.</summary>
    internal const int RowsPerBatch = 1_000;

    /// <summary>Executes the statement for one row as <see cref="Execute"/> does, except on PostgreSQL, where each statement
    /// is a round trip to the server: there the row is held and <see cref="RowsPerBatch"/> rows are sent at a time, in one
    /// <see cref="DbBatch"/>. <see cref="Flush"/> sends what is held; call it before anything that reads what was added.</summary>
    /// <returns>The rows the statements sent now affected (0 while the row is held).</returns>
    public int Add(params ReadOnlySpan<object?> values) => AddCounted(counted: true, values);

    /// <summary>As <see cref="Add"/>, but the row counts in what this call or <see cref="Flush"/> returns only when
    /// <paramref name="counted"/>: a caller that counts some of its rows (a campaign counts the mails it queued, not those
    /// it recorded as suppressed) still sends them all in one batch.</summary>
    public int AddCounted(bool counted, params ReadOnlySpan<object?> values)
    {
        if (_connection is not Npgsql.NpgsqlConnection)
        {
            var affected = Execute(values);
            return counted ? affected : 0;
        }

        _held ??= _connection.CreateBatch();
        var command = _held.CreateBatchCommand();
        command.CommandText = _command!.CommandText;
        for (var i = 0; i < _parameters.Length; i++)
        {
            var p = command.CreateParameter();
            p.ParameterName = _parameters[i].ParameterName;
            if (_typed)
            {
                p.DbType = _parameters[i].DbType;
            }

            p.Value = values[i] ?? DBNull.Value;
            command.Parameters.Add(p);
        }

        _held.BatchCommands.Add(command);
        _heldCounted.Add(counted);
        return _held.BatchCommands.Count >= RowsPerBatch ? Flush() : 0;
    }

    /// <summary>Sends the rows <see cref="Add"/> holds.</summary>
    /// <returns>The rows they affected, of those added as counted.</returns>
    public int Flush()
    {
        if (_held is not { BatchCommands.Count: > 0 } held)
        {
            return 0;
        }

        held.Transaction = _transaction;
        held.ExecuteNonQuery();
        var affected = 0;
        for (var i = 0; i < held.BatchCommands.Count; i++)
        {
            affected += _heldCounted[i] ? held.BatchCommands[i].RecordsAffected : 0;
        }

        held.BatchCommands.Clear();
        _heldCounted.Clear();
        return affected;
    }

    public void Dispose()
    {
        _held?.Dispose();
        _command?.Dispose();
        _statement?.Dispose();
    }
}
