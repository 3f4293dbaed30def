using System.Data.Common;

namespace CrmExtensions.Store.Clients;

/// <summary>One parameterised statement executed once per row with its parameters reused.</summary>
/// <remarks>Dapper builds a parameter set per row and looks every name up again; at a million rows that is most
/// of the cost of a write. The provider keeps the statement prepared while its text stays the same.</remarks>
internal sealed class RowWriter : IDisposable
{
    private readonly DbCommand _command;
    private readonly DbParameter[] _parameters;

    public RowWriter(DbConnection connection, DbTransaction? transaction, string sql, params string[] names)
    {
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
        for (var i = 0; i < parameters.Count; i++)
        {
            _parameters[i].DbType = parameters[i].Type;
        }

        _command.Prepare();
    }

    public int Execute(params ReadOnlySpan<object?> values)
    {
        for (var i = 0; i < _parameters.Length; i++)
        {
            _parameters[i].Value = values[i] ?? DBNull.Value;
        }

        return _command.ExecuteNonQuery();
    }

    /// <inheritdoc cref="Execute"/>
    public Task<int> ExecuteAsync(object?[] values, CancellationToken cancellationToken)
    {
        for (var i = 0; i < _parameters.Length; i++)
        {
            _parameters[i].Value = values[i] ?? DBNull.Value;
        }

        return _command.ExecuteNonQueryAsync(cancellationToken);
    }

    public void Dispose() => _command.Dispose();
}
