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
/// <param name="Kept">Whether the row was kept without the value (<see cref="MirrorColumn.KeptWithout"/>), not rejected.</param>
public sealed record RowReject(string? LedgerId, string Column, string Value, string Message, bool Kept = false)
{
    /// <summary>The reason as the store's <c>sync_rejects</c> and <c>crmx attach --check</c> say it.</summary>
    public string Said => Kept ? Message + "; the row is kept without it" : Message;
}

/// <summary>One row read from a ledger: converted values, or the reason it was rejected.</summary>
/// <param name="Dropped">A value that could not be read and was left out, the row kept without it (a column
/// <see cref="MirrorColumn.KeptWithout"/>); the first, where there are several.</param>
public readonly record struct LedgerRecord(object?[]? Values, object? WatermarkValue, RowReject? Reject, RowReject? Dropped = null);

/// <summary>Streams a kind's rows from a ledger through its mapping, converting every value.</summary>
/// <remarks>
/// Runs the mapping's SELECT only, and always wrapped as one derived-table SELECT (<see cref="Wrapped"/>), so that text
/// after a hidden <c>;</c> is a syntax error rather than a second statement, inside a read-only transaction
/// (<see cref="BeginReadTransaction"/>). Every failure names the ledger, the kind and the mapping file.
/// </remarks>
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
            ? Wrapped(ledger.Provider, mapping.Query)
            : WatermarkSql(ledger.Provider, mapping.Query, mapping.Watermark);
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

        using var reader = new GuardedReader(context, Execute(context, command, CommandBehavior.SequentialAccess, cancellationToken));
        var problems = new List<LedgerProblem>();
        var map = ColumnMap.Resolve(context, reader.Inner, problems);
        if (problems.Count > 0)
        {
            throw new LedgerException(problems);
        }

        var watermarkOrdinal = mapping.Watermark is null ? -1 : map.Ordinals[kind.Ordinal(mapping.Watermark)];
        var byResultOrdinal = map.ByResultOrdinal();

        var raw = new object?[reader.Inner.FieldCount];
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!reader.Read(raw))
            {
                break;
            }

            yield return Convert(kind, map, byResultOrdinal, raw, watermarkOrdinal, ledger.Mapping.Currency);
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
        using var command = CreateCommand(ledger, connection, transaction, KeysSql(ledger.Provider, mapping.Query));
        using var reader = new GuardedReader(context, Execute(context, command, CommandBehavior.SequentialAccess, cancellationToken));
        var raw = new object?[1];
        while (reader.Read(raw))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (raw[0] is not null && ValueConverter.TryConvert(ColumnType.Text, raw[0], out var id, out _) && id is string key)
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

    /// <summary>The mapping query as the one statement sent to the ledger: <c>SELECT {select} FROM (query) AS q{suffix}</c>.</summary>
    /// <remarks>
    /// A derived table holds exactly one query expression, so anything a scanner might take for quoted text after a
    /// <c>;</c> makes the whole statement fail to parse instead of running second. T-SQL allows no CTE inside a derived
    /// table: its <c>WITH</c> clause is moved in front of the wrapper.
    /// </remarks>
    internal static string Wrapped(DatabaseProvider provider, string query, string select = "*", string suffix = "")
    {
        var (with, body) = provider == DatabaseProvider.SqlServer ? QueryGuard.SplitTransactSqlWith(query) : ("", query);
        body = body.Trim().TrimEnd(';').TrimEnd();
        return $"{with}SELECT {select} FROM (\n{body}\n) AS q{suffix}";
    }

    internal static string WatermarkSql(DatabaseProvider provider, string query, string watermark) =>
        Wrapped(provider, query, suffix: $" WHERE q.{watermark} >= @crmx_watermark");

    internal static string KeysSql(DatabaseProvider provider, string query) => Wrapped(provider, query, select: "q.ledger_id");

    internal static string SampleSql(DatabaseProvider provider, string query, int rows)
    {
        var n = rows.ToString(CultureInfo.InvariantCulture);
        return provider == DatabaseProvider.SqlServer
            ? Wrapped(provider, query, select: $"TOP ({n}) *")
            : Wrapped(provider, query, suffix: $" LIMIT {n}");
    }

    /// <summary>Begins the read-only transaction every mapping query runs in; it is never committed.</summary>
    /// <remarks>
    /// PostgreSQL: <c>SET TRANSACTION READ ONLY</c> on top of the session default. SQL Server, whose read-only intent is
    /// advisory: a transaction that is always rolled back. SQLite: a deferred transaction on a <c>Mode=ReadOnly</c>
    /// connection.
    /// </remarks>
    internal static DbTransaction BeginReadTransaction(LedgerDefinition ledger, DbConnection connection)
    {
        var transaction = connection is Microsoft.Data.Sqlite.SqliteConnection sqlite
            ? sqlite.BeginTransaction(deferred: true)
            : connection.BeginTransaction(IsolationLevel.ReadCommitted);
        if (ledger.Provider == DatabaseProvider.PostgreSql)
        {
            using var readOnly = CreateCommand(ledger, connection, transaction, "SET TRANSACTION READ ONLY");
            readOnly.ExecuteNonQuery();
        }

        return transaction;
    }

    internal static DbCommand CreateCommand(LedgerDefinition ledger, DbConnection connection, DbTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        // Microsoft.Data.Sqlite spends its command timeout only retrying a locked database (0 = for ever): a second at a
        // time here, and Execute decides whether to try again, so the wait is bounded and a stop request is heard.
        command.CommandTimeout = ledger.Provider == DatabaseProvider.Sqlite ? SqliteBusyStepSeconds : ledger.CommandTimeoutSeconds;
        return command;
    }

    private const int SqliteBusyStepSeconds = 1;

    /// <summary>Runs a mapping query: a locked or busy ledger is waited for up to its <c>busyTimeoutSeconds</c>, then
    /// reported in one line naming it; cancellation stops the wait (and, on a server, the running statement).</summary>
    /// <exception cref="LedgerException">The query does not run, or the ledger stayed locked (<see cref="LedgerProblem.Busy"/>).</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    internal static DbDataReader Execute(LedgerDefinitionContext context, DbCommand command, CommandBehavior behavior, CancellationToken cancellationToken)
    {
        var ledger = context.Ledger;
        var waited = System.Diagnostics.Stopwatch.StartNew();
        using var cancel = cancellationToken.Register(static c => CancelQuietly((DbCommand)c!), command);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                return command.ExecuteReader(behavior);
            }
            catch (DbException) when (cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException(cancellationToken);
            }
            catch (DbException ex) when (IsBusy(ex))
            {
                if (ledger.Provider == DatabaseProvider.Sqlite && waited.Elapsed < TimeSpan.FromSeconds(ledger.BusyTimeoutSeconds))
                {
                    continue;
                }

                throw new LedgerException(context.Problem(null, string.Create(CultureInfo.InvariantCulture,
                    $"the ledger is locked or busy (another program holds a lock on it); gave up after {Math.Ceiling(waited.Elapsed.TotalSeconds):0} s. " +
                    $"Try again when it is free, or raise this ledger's 'busyTimeoutSeconds' in crmx.json (now {ledger.BusyTimeoutSeconds})")) with { Busy = true }, ex);
            }
            catch (DbException ex)
            {
                throw new LedgerException(context.Problem(null, $"query does not run: {LedgerConnections.OneLine(ex.Message)}"), ex);
            }
        }
    }

    /// <summary>Whether a provider refused because of another session's lock: SQLite BUSY/LOCKED, PostgreSQL
    /// <c>lock_not_available</c> (the session's <c>lock_timeout</c>), SQL Server 1222 (<c>LOCK_TIMEOUT</c>).</summary>
    internal static bool IsBusy(DbException exception) => exception switch
    {
        Microsoft.Data.Sqlite.SqliteException sqlite => sqlite.SqliteErrorCode is 5 or 6,
        Npgsql.PostgresException postgres => postgres.SqlState == "55P03",
        Microsoft.Data.SqlClient.SqlException sql => sql.Number == 1222,
        _ => false,
    };

    private static void CancelQuietly(DbCommand command)
    {
        try
        {
            command.Cancel();
        }
        catch (Exception ex) when (ex is DbException or InvalidOperationException or NotSupportedException)
        {
            // Nothing is running, or the provider cannot cancel: the wait loop hears the request at its next step.
        }
    }

    /// <summary>A data reader whose every failure, closing included, is a <see cref="LedgerException"/> naming the
    /// ledger, kind and mapping file.</summary>
    internal sealed class GuardedReader(LedgerDefinitionContext context, DbDataReader reader) : IDisposable
    {
        public DbDataReader Inner => reader;

        /// <summary>Reads the next row into <paramref name="raw"/> (every column, in order, once); false at the end.</summary>
        public bool Read(object?[] raw)
        {
            try
            {
                if (!reader.Read())
                {
                    return false;
                }

                for (var i = 0; i < raw.Length; i++)
                {
                    // One call per column: GetValue gives DBNull for NULL (IsDBNull first asked the column's type twice).
                    var value = reader.GetValue(i);
                    raw[i] = value is DBNull ? null : value;
                }

                return true;
            }
            catch (DbException ex)
            {
                throw new LedgerException(context.Problem(null, $"reading rows failed: {LedgerConnections.OneLine(ex.Message)}"), ex);
            }
        }

        public void Dispose()
        {
            try
            {
                reader.Dispose();
            }
            catch (DbException ex)
            {
                throw new LedgerException(context.Problem(null, $"query does not run: {LedgerConnections.OneLine(ex.Message)}"), ex);
            }
        }
    }

    /// <param name="currency">The mapping's currency, for a row whose <c>currency</c> column is absent or empty.</param>
    internal static LedgerRecord Convert(MirrorKind kind, ColumnMap map, int[] byResultOrdinal, object?[] raw, int watermarkOrdinal, string? currency = null)
    {
        var values = new object?[kind.Columns.Count];
        string? ledgerId = null;
        if (map.LedgerIdOrdinal >= 0 && ValueConverter.TryConvert(ColumnType.Text, raw[map.LedgerIdOrdinal], out var id, out _))
        {
            ledgerId = id as string;
        }

        RowReject? dropped = null;
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
                if (!column.KeptWithout)
                {
                    return new LedgerRecord(null, null, new RowReject(ledgerId, column.Name, ValueConverter.Show(raw[i]), error!));
                }

                dropped ??= new RowReject(ledgerId, column.Name, ValueConverter.Show(raw[i]), error!, Kept: true);
                continue;
            }

            if (value is null && column.Required)
            {
                return new LedgerRecord(null, null, new RowReject(ledgerId, column.Name, ValueConverter.Show(raw[i]), $"required column '{column.Name}' is empty"));
            }

            values[c] = value;
        }

        if (currency is not null && kind.Ordinal("currency") is var at && at >= 0)
        {
            values[at] ??= currency;
        }

        return new LedgerRecord(values, watermarkOrdinal >= 0 ? raw[watermarkOrdinal] : null, null, dropped);
    }
}
