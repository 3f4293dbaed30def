using System.Data;
using System.Data.Common;
using System.Globalization;
using CrmExtensions.Ledger.Connections;
using CrmExtensions.Ledger.Mapping;
using CrmExtensions.Store.Mirror;
using CrmExtensions.Store.Providers;

namespace CrmExtensions.Ledger.Reading;

/// <summary>A ledger row that could not be read, with enough to find and fix it.</summary>
/// <param name="LedgerId">The row's ledger_id as the ledger returned it, when it has one.</param>
/// <param name="Column">The canonical column at fault.</param>
/// <param name="Value">The value, shown.</param>
/// <param name="Message">Why it could not be read.</param>
public sealed record RowReject(string? LedgerId, string Column, string Value, string Message);

/// <summary>One row read from a ledger: converted values, or the reason it was rejected.</summary>
public readonly record struct LedgerRecord(object?[]? Values, object? WatermarkValue, RowReject? Reject);

/// <summary>Streams a kind's rows from a ledger through its mapping, converting every value.</summary>
/// <remarks>Runs the mapping's SELECT only — wrapped, when reading from a watermark or just keys, as a derived table.</remarks>
public static class LedgerReader
{
    /// <summary>Reads every row of a kind, or only those at or past a watermark.</summary>
    /// <exception cref="LedgerException">The ledger cannot be reached, or the query does not run or map.</exception>
    public static IEnumerable<LedgerRecord> Read(LedgerDefinition ledger, KindMapping mapping, Watermark? since = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(mapping);
        var context = new LedgerDefinitionContext(ledger, mapping);
        Guard(context);
        var kind = mapping.Kind;
        var sql = since is null || mapping.Watermark is null
            ? mapping.Query
            : WatermarkSql(mapping.Query, mapping.Watermark);
        using var connection = LedgerConnections.OpenReadOnly(ledger);
        using var transaction = BeginReadTransaction(ledger, connection);
        using var command = CreateCommand(ledger, connection, transaction, sql);
        if (since is not null && mapping.Watermark is not null)
        {
            var p = command.CreateParameter();
            p.ParameterName = "@crmx_watermark";
            p.Value = WatermarkValue(since);
            command.Parameters.Add(p);
        }

        using var reader = Execute(context, command, CommandBehavior.SequentialAccess);
        var problems = new List<LedgerProblem>();
        var map = ColumnMap.Resolve(context, reader, problems);
        if (problems.Count > 0)
        {
            throw new LedgerException(problems);
        }

        var watermarkOrdinal = mapping.Watermark is null ? -1 : map.Ordinals[kind.Ordinal(mapping.Watermark)];
        var byResultOrdinal = map.ByResultOrdinal();

        var raw = new object?[reader.FieldCount];
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            bool more;
            try
            {
                more = reader.Read();
            }
            catch (DbException ex)
            {
                throw new LedgerException(context.Problem(null, $"reading rows failed: {LedgerConnections.OneLine(ex.Message)}"), ex);
            }

            if (!more)
            {
                break;
            }

            // SequentialAccess: take every column in order once, then convert.
            for (var i = 0; i < raw.Length; i++)
            {
                raw[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            yield return Convert(kind, map, byResultOrdinal, raw, watermarkOrdinal);
        }
    }

    /// <summary>Reads only the ledger_id of every row (to find vanished rows when changes come by watermark).</summary>
    public static IEnumerable<string> ReadKeys(LedgerDefinition ledger, KindMapping mapping, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(mapping);
        var context = new LedgerDefinitionContext(ledger, mapping);
        Guard(context);
        using var connection = LedgerConnections.OpenReadOnly(ledger);
        using var transaction = BeginReadTransaction(ledger, connection);
        using var command = CreateCommand(ledger, connection, transaction, KeysSql(mapping.Query));
        using var reader = Execute(context, command, CommandBehavior.SequentialAccess);
        while (reader.Read())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!reader.IsDBNull(0) && ValueConverter.TryConvert(ColumnType.Text, reader.GetValue(0), out var id, out _) && id is string key)
            {
                yield return key;
            }
        }
    }

    /// <summary>The watermark to save after a row: its raw value with the type to hand it back as.</summary>
    public static Watermark ToWatermark(object value) => value switch
    {
        long l => new Watermark(l.ToString(CultureInfo.InvariantCulture), "Int64"),
        int i => new Watermark(i.ToString(CultureInfo.InvariantCulture), "Int64"),
        decimal m => new Watermark(m.ToString(CultureInfo.InvariantCulture), "Decimal"),
        double d => new Watermark(d.ToString("R", CultureInfo.InvariantCulture), "Double"),
        DateTime dt => new Watermark(dt.ToString("O", CultureInfo.InvariantCulture), "DateTime"),
        DateTimeOffset dto => new Watermark(dto.ToString("O", CultureInfo.InvariantCulture), "DateTimeOffset"),
        byte[] b => new Watermark(System.Convert.ToHexString(b), "Bytes"),
        _ => new Watermark(System.Convert.ToString(value, CultureInfo.InvariantCulture) ?? "", "String"),
    };

    /// <summary>Whether watermark value <paramref name="a"/> is past <paramref name="b"/>.</summary>
    public static bool IsLater(object a, object? b)
    {
        if (b is null)
        {
            return true;
        }

        return (a, b) switch
        {
            (string x, string y) => string.CompareOrdinal(x, y) > 0,
            (byte[] x, byte[] y) => x.AsSpan().SequenceCompareTo(y) > 0,
            (IComparable x, _) when a.GetType() == b.GetType() => x.CompareTo(b) > 0,
            _ => string.CompareOrdinal(System.Convert.ToString(a, CultureInfo.InvariantCulture), System.Convert.ToString(b, CultureInfo.InvariantCulture)) > 0,
        };
    }

    internal static object WatermarkValue(Watermark watermark) => watermark.ValueType switch
    {
        "Int64" => long.Parse(watermark.Value, CultureInfo.InvariantCulture),
        "Decimal" => decimal.Parse(watermark.Value, CultureInfo.InvariantCulture),
        "Double" => double.Parse(watermark.Value, CultureInfo.InvariantCulture),
        "DateTime" => DateTime.Parse(watermark.Value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
        "DateTimeOffset" => DateTimeOffset.Parse(watermark.Value, CultureInfo.InvariantCulture),
        "Bytes" => System.Convert.FromHexString(watermark.Value),
        _ => watermark.Value,
    };

    internal static void Guard(LedgerDefinitionContext context)
    {
        if (QueryGuard.Check(context.Ledger.Provider, context.Mapping.Query) is { } refusal)
        {
            throw new LedgerException(context.Problem(null, refusal));
        }
    }

    internal static string WatermarkSql(string query, string watermark) =>
        $"SELECT * FROM (\n{TrimQuery(query)}\n) AS q WHERE q.{watermark} >= @crmx_watermark";

    internal static string KeysSql(string query) => $"SELECT q.ledger_id FROM (\n{TrimQuery(query)}\n) AS q";

    internal static string SampleSql(DatabaseProvider provider, string query, int rows)
    {
        var n = rows.ToString(CultureInfo.InvariantCulture);
        return provider == DatabaseProvider.SqlServer
            ? $"SELECT TOP ({n}) * FROM (\n{TrimQuery(query)}\n) AS q"
            : $"SELECT * FROM (\n{TrimQuery(query)}\n) AS q LIMIT {n}";
    }

    internal static string TrimQuery(string query) => query.Trim().TrimEnd(';').TrimEnd();

    internal static DbTransaction? BeginReadTransaction(LedgerDefinition ledger, DbConnection connection) =>
        // SQL Server's read-only intent is advisory: read inside a transaction that is always rolled back.
        ledger.Provider == DatabaseProvider.SqlServer ? connection.BeginTransaction(IsolationLevel.ReadCommitted) : null;

    internal static DbCommand CreateCommand(LedgerDefinition ledger, DbConnection connection, DbTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        command.CommandTimeout = ledger.CommandTimeoutSeconds;
        return command;
    }

    internal static DbDataReader Execute(LedgerDefinitionContext context, DbCommand command, CommandBehavior behavior)
    {
        try
        {
            return command.ExecuteReader(behavior);
        }
        catch (DbException ex)
        {
            throw new LedgerException(context.Problem(null, $"query does not run: {LedgerConnections.OneLine(ex.Message)}"), ex);
        }
    }

    internal static LedgerRecord Convert(MirrorKind kind, ColumnMap map, int[] byResultOrdinal, object?[] raw, int watermarkOrdinal)
    {
        var values = new object?[kind.Columns.Count];
        string? ledgerId = null;
        if (map.LedgerIdOrdinal >= 0 && ValueConverter.TryConvert(ColumnType.Text, raw[map.LedgerIdOrdinal], out var id, out _))
        {
            ledgerId = id as string;
        }

        for (var i = 0; i < raw.Length; i++)
        {
            var c = byResultOrdinal[i];
            if (c < 0)
            {
                continue;
            }

            var column = kind.Columns[c];
            if (!ValueConverter.TryConvert(column.Type, raw[i], out var value, out var error))
            {
                return new LedgerRecord(null, null, new RowReject(ledgerId, column.Name, ValueConverter.Show(raw[i]), error!));
            }

            if (value is null && column.Required)
            {
                return new LedgerRecord(null, null, new RowReject(ledgerId, column.Name, ValueConverter.Show(raw[i]), $"required column '{column.Name}' is empty"));
            }

            values[c] = value;
        }

        return new LedgerRecord(values, watermarkOrdinal >= 0 ? raw[watermarkOrdinal] : null, null);
    }
}
