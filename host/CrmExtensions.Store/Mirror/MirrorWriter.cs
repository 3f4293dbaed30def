using System.Data;
using System.Data.Common;
using CrmExtensions.Store.Internal;
using CrmExtensions.Store.Providers;
using Dapper;

namespace CrmExtensions.Store.Mirror;

/// <summary>What the mirror knew of a ledger row before this run.</summary>
public readonly record struct MirrorEntry(long Hash, bool Vanished);

/// <summary>How a row read from a ledger differs from the mirror.</summary>
public enum RowChange
{
    Created,
    Changed,
    Reappeared,
}

/// <summary>The counts of one sync run of one ledger and kind.</summary>
public sealed record SyncCounts(long Read, long Inserted, long Changed, long Vanished, long Rejected)
{
    /// <summary>Whether the run changed anything in the mirror.</summary>
    public bool HasChanges => Inserted + Changed + Vanished > 0;
}

/// <summary>A watermark value as it came from the ledger: its text and the CLR type to hand it back as.</summary>
public sealed record Watermark(string Value, string ValueType);

/// <summary>Writes one sync run of one (ledger, kind) into the mirror, in batches, with its change events.</summary>
/// <remarks>
/// Rows and their events are committed together, batch by batch, so a crash loses no event and a re-run, which
/// finds the committed rows unchanged, records none twice. The watermark is saved only by <see cref="Complete"/>.
/// Not thread-safe.
/// </remarks>
public sealed class MirrorWriter : IDisposable
{
    private readonly CrmStore _store;
    private readonly DbConnection _connection;
    private readonly int _batchSize;
    private readonly bool _emitEvents;
    private readonly string _now;
    private DbTransaction _transaction;
    private readonly DbCommand _upsert;
    private readonly DbCommand _event;
    private int _pending;
    private HashSet<(string?, string?, string?, string)>? _recordedRejects;

    // Counterparties written in the open batch: their members' search entries are refreshed before it commits.
    private readonly List<string> _searchRefresh = [];

    private MirrorWriter(CrmStore store, string ledger, MirrorKind kind, string mode, bool emitEvents, int batchSize)
    {
        _store = store;
        Ledger = ledger;
        Kind = kind;
        _emitEvents = emitEvents && kind.Announced;
        _batchSize = batchSize;
        _now = StoreTime.Now(store.Time);
        _connection = store.Open();
        RunId = _connection.ExecuteScalar<long>(RunInsertSql(store.Dialect), new { ledger, kind = kind.Name, mode, startedAt = _now });
        _transaction = _connection.BeginTransaction(IsolationLevel.ReadCommitted);
        (_upsert, _event) = PrepareCommands();
    }

    /// <summary>The ledger written.</summary>
    public string Ledger { get; }

    /// <summary>The kind written.</summary>
    public MirrorKind Kind { get; }

    /// <summary>The id of this run in <c>sync_runs</c>; rejects refer to it.</summary>
    public long RunId { get; }

    /// <summary>Starts a run: records it in <c>sync_runs</c> and opens the first batch.</summary>
    /// <param name="store">The store.</param>
    /// <param name="ledger">The ledger's name.</param>
    /// <param name="kind">The kind of rows.</param>
    /// <param name="mode">How the ledger is read (<c>full</c>, <c>watermark</c>, <c>baseline</c>), for the record.</param>
    /// <param name="emitEvents">Whether row changes become change events; a baseline (first load) records none.</param>
    /// <param name="batchSize">Rows per transaction.</param>
    public static MirrorWriter Begin(CrmStore store, string ledger, MirrorKind kind, string mode, bool emitEvents, int batchSize = 20_000)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrEmpty(ledger);
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        return new MirrorWriter(store, ledger, kind, mode, emitEvents, batchSize);
    }

    /// <summary>Whether the mirror holds no row of this ledger and kind yet.</summary>
    public static bool IsEmpty(CrmStore store, string ledger, MirrorKind kind)
    {
        ArgumentNullException.ThrowIfNull(store);
        using var connection = store.Open();
        return connection.ExecuteScalar<long>(IsEmptySql(kind), new { ledger }) == 1;
    }

    /// <summary>The saved watermark of a ledger and kind, or null.</summary>
    public static Watermark? LoadWatermark(CrmStore store, string ledger, MirrorKind kind)
    {
        ArgumentNullException.ThrowIfNull(store);
        using var connection = store.Open();
        return connection.QuerySingleOrDefault<Watermark>(WatermarkSelectSql, new { ledger, kind = kind.Name });
    }

    /// <summary>Reads what the mirror holds for this ledger and kind: ledger_id → hash and whether it had vanished.</summary>
    public Dictionary<string, MirrorEntry> LoadExisting()
    {
        var result = new Dictionary<string, MirrorEntry>(StringComparer.Ordinal);
        using var command = _connection.CreateCommand();
        command.Transaction = _transaction;
        command.CommandText = LoadExistingSql(Kind);
        AddParameter(command, "ledger", DbType.String).Value = Ledger;
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            result[reader.GetString(0)] = new MirrorEntry(reader.GetInt64(1), reader.GetInt32(2) != 0);
        }

        return result;
    }

    /// <summary>Inserts or updates one converted row and records its change event.</summary>
    /// <remarks>
    /// The write is a compare-and-set: a stored row is updated only when its hash differs or it had vanished, so a change
    /// another sync already wrote (between this sync's reading of the mirror and now) is not written, nor announced, twice.
    /// </remarks>
    /// <param name="values">The row's values in <see cref="MirrorKind.Columns"/> order: strings, longs (money) or nulls.</param>
    /// <param name="hash">The row's <see cref="RowHasher"/> hash.</param>
    /// <param name="change">How it differs from the mirror.</param>
    /// <returns>False when the mirror already held exactly this row: nothing was written and no event recorded.</returns>
    public bool Write(ReadOnlySpan<object?> values, long hash, RowChange change)
    {
        var p = _upsert.Parameters;
        p[0].Value = Ledger;
        for (var i = 0; i < values.Length; i++)
        {
            p[i + 1].Value = values[i] ?? DBNull.Value;
        }

        var n = values.Length + 1;
        p[n].Value = hash;
        p[n + 1].Value = _now;
        p[n + 2].Value = _now;
        p[n + 3].Value = DBNull.Value;
        var written = _upsert.ExecuteNonQuery() > 0;
        if (written && Kind == MirrorSchema.Counterparties)
        {
            _searchRefresh.Add((string)values[0]!);
        }

        if (written && _emitEvents)
        {
            var type = change == RowChange.Created ? "created" : change == RowChange.Changed ? "changed" : "reappeared";
            RecordEvent(Kind.Singular + "." + type, (string)values[0]!);
        }

        Tick();
        return written;
    }

    /// <summary>Marks a row the ledger no longer returns. The row is kept: nothing in the store is deleted.</summary>
    /// <returns>False when it was already marked (by another sync): no event is recorded again.</returns>
    public bool MarkVanished(string ledgerId)
    {
        var marked = _connection.Execute(MarkVanishedSql(Kind),
            new { now = _now, ledger = Ledger, ledgerId }, _transaction) > 0;
        if (marked && _emitEvents)
        {
            RecordEvent(Kind.Singular + ".vanished", ledgerId);
        }

        Tick();
        return marked;
    }

    /// <summary>Records a ledger row that could not be read, with the reason, unless that very reject is recorded already.</summary>
    /// <remarks>A full pass reads an unreadable row again on every sync: <c>sync_rejects</c> keeps it once (with the run
    /// that first met it), not once per sync.</remarks>
    public void Reject(string? ledgerId, string? column, string? value, string message)
    {
        _recordedRejects ??= LoadRejects();
        if (!_recordedRejects.Add((ledgerId, column, value, message)))
        {
            return;
        }

        _connection.Execute(RejectInsertSql,
            new { runId = RunId, ledger = Ledger, kind = Kind.Name, ledgerId, column, value, message }, _transaction);
        Tick();
    }

    private HashSet<(string?, string?, string?, string)> LoadRejects() =>
        [.. _connection.Query<(string?, string?, string?, string)>(RejectSelectSql, new { ledger = Ledger, kind = Kind.Name }, _transaction)];

    /// <summary>Records a change event in the current batch.</summary>
    public void RecordEvent(string eventType, string ledgerId, string? data = null)
    {
        var p = _event.Parameters;
        p[0].Value = _now;
        p[1].Value = eventType;
        p[2].Value = Ledger;
        p[3].Value = ledgerId;
        p[4].Value = (object?)data ?? DBNull.Value;
        _event.ExecuteNonQuery();
    }

    /// <summary>Commits the last batch, the run's counts and the new watermark.</summary>
    public void Complete(SyncCounts counts, Watermark? watermark)
    {
        ArgumentNullException.ThrowIfNull(counts);
        if (watermark is not null)
        {
            _connection.Execute(WatermarkUpsertSql(_store.Dialect),
                new { ledger = Ledger, kind = Kind.Name, value = watermark.Value, value_type = watermark.ValueType, updated_at = _now },
                _transaction);
        }

        _connection.Execute(RunCompleteSql,
            new { finishedAt = StoreTime.Now(_store.Time), counts.Read, counts.Inserted, counts.Changed, counts.Vanished, counts.Rejected, runId = RunId },
            _transaction);
        RefreshSearch();
        _transaction.Commit();
        _transaction.Dispose();
        _transaction = _connection.BeginTransaction();
    }

    /// <summary>Rolls back the open batch (if not completed) and closes the connection.</summary>
    public void Dispose()
    {
        _upsert.Dispose();
        _event.Dispose();
        _transaction.Dispose();
        _connection.Dispose();
    }

    private void Tick()
    {
        if (++_pending < _batchSize)
        {
            return;
        }

        RefreshSearch();
        _transaction.Commit();
        _transaction.Dispose();
        _transaction = _connection.BeginTransaction(IsolationLevel.ReadCommitted);
        _upsert.Transaction = _transaction;
        _event.Transaction = _transaction;
        _pending = 0;
    }

    /// <summary>A counterparty's name, INN, phone or mail may have changed: its member's search entry follows, in the same batch.</summary>
    private void RefreshSearch()
    {
        if (_searchRefresh.Count == 0)
        {
            return;
        }

        using var search = new Clients.ClientSearchWriter(_connection, _transaction, _store.Dialect);
        foreach (var ledgerId in _searchRefresh)
        {
            search.Refresh(Ledger, ledgerId);
        }

        _searchRefresh.Clear();
    }

    private (DbCommand Upsert, DbCommand Event) PrepareCommands()
    {
        var upsert = _connection.CreateCommand();
        upsert.Transaction = _transaction;
        upsert.CommandText = RowUpsertSql(_store.Dialect, Kind);
        AddParameter(upsert, "ledger", DbType.String);
        foreach (var c in Kind.Columns)
        {
            AddParameter(upsert, c.Name, c.Type == ColumnType.Money ? DbType.Int64 : DbType.String);
        }

        AddParameter(upsert, "row_hash", DbType.Int64);
        AddParameter(upsert, "first_seen_at", DbType.String);
        AddParameter(upsert, "synced_at", DbType.String);
        AddParameter(upsert, "vanished_at", DbType.String);
        if (IsClientKeyed(Kind))
        {
            AddParameter(upsert, "base_currency", DbType.String).Value = _store.BaseCurrency;
        }

        upsert.Prepare();

        var @event = _connection.CreateCommand();
        @event.Transaction = _transaction;
        @event.CommandText = EventInsertSql;
        foreach (var name in new[] { "occurred_at", "event_type", "ledger", "ledger_id", "data" })
        {
            AddParameter(@event, name, DbType.String);
        }

        @event.Prepare();
        return (upsert, @event);
    }

    private static DbParameter AddParameter(DbCommand command, string name, DbType type)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@" + name;
        parameter.DbType = type;
        parameter.Value = DBNull.Value;
        command.Parameters.Add(parameter);
        return parameter;
    }

    internal const string EventInsertSql =
        "INSERT INTO change_events (occurred_at, event_type, ledger, ledger_id, data) VALUES (@occurred_at, @event_type, @ledger, @ledger_id, @data)";

    internal const string WatermarkSelectSql =
        "SELECT value AS Value, value_type AS ValueType FROM sync_watermarks WHERE ledger = @ledger AND kind = @kind";

    internal const string RejectInsertSql =
        "INSERT INTO sync_rejects (run_id, ledger, kind, ledger_id, column_name, value, message) VALUES (@runId, @ledger, @kind, @ledgerId, @column, @value, @message)";

    internal const string RejectSelectSql =
        "SELECT ledger_id, column_name, value, message FROM sync_rejects WHERE ledger = @ledger AND kind = @kind";

    internal const string RunCompleteSql =
        "UPDATE sync_runs SET finished_at = @finishedAt, read_rows = @Read, inserted = @Inserted, changed = @Changed, vanished = @Vanished, rejected = @Rejected WHERE id = @runId";

    internal static string WatermarkUpsertSql(StoreDialect dialect) =>
        dialect.Upsert("sync_watermarks", ["ledger", "kind"], ["ledger", "kind", "value", "value_type", "updated_at"]);

    /// <summary>The compare-and-set of a row's upsert: a stored row is rewritten only when its content changed or it had vanished.</summary>
    private static string Changed(string row, string incoming) => $"{row}.row_hash <> {incoming}.row_hash OR {row}.vanished_at IS NOT NULL";

    internal static string RowUpsertSql(StoreDialect dialect, MirrorKind kind)
    {
        var columns = new List<string> { "ledger" };
        columns.AddRange(kind.Columns.Select(c => c.Name));
        columns.AddRange(["row_hash", "first_seen_at", "synced_at", "vanished_at"]);
        // Columns the statement computes from the row rather than binding: none for most kinds.
        var computed = new Dictionary<string, string>();
        if (HasBirthday(kind))
        {
            // The birthday's month and day, which "my day" looks up by index (migration 28), written with the birthday itself.
            computed["birthday_md"] = Migrations.BirthdayMigration.MonthDay(dialect, "@birthday");
        }

        if (IsClientKeyed(kind))
        {
            // Money carries its counterparty's current client (migration 9): looked up as the row is written, so a new or
            // moved invoice is keyed at once; unification rewrites the key when the counterparty's membership changes
            // (AssignClients). Its amounts in the store's base currency (migration 27): the row's own when it is in the base
            // currency; NULL until MoneyConversion converts it at the ledger's rate otherwise.
            computed["client_id"] = "(SELECT m.client_id FROM client_members m WHERE m.ledger = @ledger AND m.ledger_id = @counterparty_id)";
            computed["legal_entity"] = "(SELECT m.legal_entity FROM client_members m WHERE m.ledger = @ledger AND m.ledger_id = @counterparty_id)";
            computed["base_amount"] = InBase("@amount");
            if (kind.Ordinal("paid_amount") >= 0)
            {
                computed["base_paid_amount"] = InBase("@paid_amount");
            }
        }

        columns.AddRange(computed.Keys);
        return dialect.Upsert(kind.Table, ["ledger", "ledger_id"], columns, ["first_seen_at"], computed, Changed);
    }

    private static string InBase(string amount) => $"CASE WHEN @currency IS NULL OR @currency = @base_currency THEN {amount} END";

    /// <summary>Whether rows of a kind carry a birthday and its month and day (counterparties and contacts do).</summary>
    private static bool HasBirthday(MirrorKind kind) => Migrations.BirthdayMigration.Kinds.Contains(kind);

    /// <summary>Whether rows of a kind carry their counterparty's client (invoices and payments do).</summary>
    public static bool IsClientKeyed(MirrorKind kind) => kind == MirrorSchema.Invoices || kind == MirrorSchema.Payments;

    /// <summary>The statement that gives every mirrored row of a kind of one counterparty its (new) client and legal entity.</summary>
    /// <remarks>Parameters <c>@ledger</c>, <c>@ledger_id</c> (the counterparty), <c>@client_id</c> and <c>@legal_entity</c>;
    /// it walks the kind's index by counterparty, so a unification that moves 1 % of the members rewrites 1 % of the money.</remarks>
    internal static string AssignClientSql(MirrorKind kind) =>
        $"UPDATE {kind.Table} SET client_id = @client_id, legal_entity = @legal_entity WHERE ledger = @ledger AND counterparty_id = @ledger_id " +
        "AND (client_id IS NULL OR client_id <> @client_id OR legal_entity IS NULL OR legal_entity <> @legal_entity)";

    /// <summary>Gives the money of counterparties whose membership changed their new client, on the caller's transaction.</summary>
    /// <param name="connection">The store connection.</param>
    /// <param name="transaction">The unification run's transaction.</param>
    /// <param name="members">(ledger, counterparty, client, legal entity) of each changed member.</param>
    internal static void AssignClients(DbConnection connection, DbTransaction transaction, IEnumerable<(string Ledger, string LedgerId, long ClientId, string LegalEntity)> members)
    {
        using var invoices = new Clients.RowWriter(connection, transaction, AssignClientSql(MirrorSchema.Invoices), "ledger", "ledger_id", "client_id", "legal_entity");
        using var payments = new Clients.RowWriter(connection, transaction, AssignClientSql(MirrorSchema.Payments), "ledger", "ledger_id", "client_id", "legal_entity");
        foreach (var m in members)
        {
            invoices.Execute(m.Ledger, m.LedgerId, m.ClientId, m.LegalEntity);
            payments.Execute(m.Ledger, m.LedgerId, m.ClientId, m.LegalEntity);
        }
    }

    internal static string LoadExistingSql(MirrorKind kind) =>
        $"SELECT ledger_id, row_hash, CASE WHEN vanished_at IS NULL THEN 0 ELSE 1 END FROM {kind.Table} WHERE ledger = @ledger";

    internal static string MarkVanishedSql(MirrorKind kind) =>
        $"UPDATE {kind.Table} SET vanished_at = @now WHERE ledger = @ledger AND ledger_id = @ledgerId AND vanished_at IS NULL";

    internal static string RunInsertSql(StoreDialect dialect) => dialect.Provider switch
    {
        Providers.DatabaseProvider.SqlServer =>
            "INSERT INTO sync_runs (ledger, kind, mode, started_at, read_rows, inserted, changed, vanished, rejected) OUTPUT INSERTED.id VALUES (@ledger, @kind, @mode, @startedAt, 0, 0, 0, 0, 0)",
        _ =>
            "INSERT INTO sync_runs (ledger, kind, mode, started_at, read_rows, inserted, changed, vanished, rejected) VALUES (@ledger, @kind, @mode, @startedAt, 0, 0, 0, 0, 0) RETURNING id",
    };

    internal static string IsEmptySql(MirrorKind kind) =>
        $"SELECT CASE WHEN EXISTS (SELECT 1 FROM {kind.Table} WHERE ledger = @ledger) THEN 0 ELSE 1 END";

    /// <summary>Every statement this class sends, for a dialect; tests parse the T-SQL ones.</summary>
    internal static IEnumerable<string> Statements(StoreDialect dialect)
    {
        yield return EventInsertSql;
        yield return WatermarkSelectSql;
        yield return RejectInsertSql;
        yield return RejectSelectSql;
        yield return RunCompleteSql;
        yield return WatermarkUpsertSql(dialect);
        yield return RunInsertSql(dialect);
        foreach (var kind in MirrorSchema.Kinds)
        {
            yield return RowUpsertSql(dialect, kind);
            yield return LoadExistingSql(kind);
            yield return MarkVanishedSql(kind);
            yield return IsEmptySql(kind);
            if (IsClientKeyed(kind))
            {
                yield return AssignClientSql(kind);
            }
        }
    }
}
