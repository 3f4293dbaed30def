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
/// On SQLite and SQL Server each row is one execution of a prepared statement. On PostgreSQL, where each statement is a
/// round trip to the server, rows, vanished marks and events are held and sent <see cref="RowsPerStatement"/> at a time,
/// each set as one statement over arrays (<c>unnest</c>) that returns the rows it wrote; whatever is held is sent before
/// the batch commits, so the transactions and their commit points are the same on every database.
/// <para>A baseline (<see cref="BeginBaseline"/>) into a table that holds no row at all is one transaction instead: the
/// table's secondary indexes are set aside (<see cref="BulkWrite"/>) and made again, each in one sort, after the rows and
/// before the commit, so each row pays for its primary key only, not for a B-tree descent per index in an order the rows do
/// not come in. A run killed half-way rolls back with its rows and the dropped indexes: the table is left as it was, empty
/// and indexed, and the next sync loads the kind again as a baseline. Into a table that holds another ledger's rows (a
/// store in use, whose other writers must not wait for a whole load) a baseline is committed in batches like any run.</para>
/// Not thread-safe.
/// </remarks>
public sealed class MirrorWriter : IDisposable
{
    private readonly CrmStore _store;
    private readonly DbConnection _connection;
    private readonly int _batchSize;
    private readonly bool _emitEvents;

    // A baseline into an empty table: its secondary indexes, set aside until Complete makes them again and commits the
    // whole run as one transaction (null otherwise: a batch is committed every _batchSize writes).
    private readonly BulkWrite? _setAside;

    // A baseline of invoices: an invoice paid in full by its own paid amount is written settled (SettledAsWritten).
    private readonly bool _settleAsWritten;

    // Whether a counterparty written may be some client's member, whose search entry then follows it: not on a baseline
    // of a ledger none of whose counterparties is a member yet, where every look-up would find nothing.
    private readonly bool _refreshSearch;
    private readonly string _now;
    private DbTransaction _transaction;
    // SQLite: the upsert and the event insert as statements bound by position (SqliteStatement); elsewhere commands.
    private readonly SqliteStatement? _upsertStatement;
    private readonly SqliteStatement? _eventStatement;
    private readonly DbCommand? _upsert;
    private readonly DbCommand? _event;
    private int _pending;
    private long _inserted, _changed, _vanished;

    // PostgreSQL: what the open batch holds and has not sent yet (null elsewhere: every write is sent as it is made).
    private readonly PendingWrites? _held;
    private HashSet<(string?, string?, string?, string)>? _recordedRejects;

    // Counterparties written in the open batch: their members' search entries are refreshed before it commits.
    private readonly List<string> _searchRefresh = [];

    private MirrorWriter(CrmStore store, string ledger, MirrorKind kind, string mode, bool emitEvents, int batchSize, bool baseline)
    {
        _store = store;
        Ledger = ledger;
        Kind = kind;
        _emitEvents = emitEvents && kind.Announced;
        _batchSize = batchSize;
        _now = StoreTime.Now(store.Time);
        _settleAsWritten = baseline && SettlesAsWritten(kind);
        _connection = store.Open();
        RunId = _connection.ExecuteScalar<long>(RunInsertSql(store.Dialect), new { ledger, kind = kind.Name, mode, startedAt = _now });
        _transaction = _connection.BeginTransaction(IsolationLevel.ReadCommitted);
        _refreshSearch = kind == MirrorSchema.Counterparties
            && (!baseline || _connection.ExecuteScalar<long>(AnyMemberSql, new { ledger }, _transaction) == 1);
        if (baseline && _connection.ExecuteScalar<long>(IsTableEmptySql(kind), transaction: _transaction) == 1)
        {
            _setAside = BulkWrite.Suspend(_connection, _transaction, store.Dialect, kind.Table, triggers: false);
        }

        if (_connection is Microsoft.Data.Sqlite.SqliteConnection sqlite)
        {
            // A baseline's rows are new to the mirror (IsEmpty): each is inserted, and a second row of a ledger_id the run
            // wrote already is left out by the key, which tells the caller (FindsRepeats).
            FindsRepeats = baseline;
            (_upsertStatement, _eventStatement) = PrepareStatements(sqlite);
        }
        else
        {
            (_upsert, _event) = PrepareCommands();
        }
        if (store.Dialect.Provider == DatabaseProvider.PostgreSql)
        {
            _held = new PendingWrites(Math.Min(batchSize, RowsPerStatement));
        }
    }

    /// <summary>PostgreSQL: rows (or vanished marks, or events) sent in one statement.</summary>
    /// <remarks>A few thousand rows make the round trip and the statement's planning a small part of its cost; more only
    /// hold more rows in memory.</remarks>
    internal const int RowsPerStatement = 2_000;

    /// <summary>The ledger written.</summary>
    public string Ledger { get; }

    /// <summary>The kind written.</summary>
    public MirrorKind Kind { get; }

    /// <summary>The id of this run in <c>sync_runs</c>; rejects refer to it.</summary>
    public long RunId { get; }

    /// <summary>Whether <see cref="WriteNew"/> tells a row whose ledger_id this run wrote already (a baseline on SQLite),
    /// so that the caller need not keep every key it read to find them.</summary>
    /// <remarks>At a first sync's millions of rows, a set of every key read is promoted through every generation of the
    /// collector and collected in full again and again: the key the mirror table has anyway finds the repeats instead.</remarks>
    public bool FindsRepeats { get; }

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
        return new MirrorWriter(store, ledger, kind, mode, emitEvents, batchSize, baseline: false);
    }

    /// <summary>Starts a baseline run (the first load of a ledger's kind, <see cref="IsEmpty"/>): no change events.</summary>
    /// <remarks>Into a table that holds no row of any ledger, the whole run is one transaction, committed by
    /// <see cref="Complete"/>, and the table's secondary indexes are set aside for it and made again before it commits
    /// (see the remarks of <see cref="MirrorWriter"/>); its primary key, which the upsert's conflict target reads, stays.
    /// Nothing the run itself reads uses them: a row's client is looked up in <c>client_members</c>, and the settlement
    /// and conversion that read the mirror come after the commit.</remarks>
    /// <param name="store">The store.</param>
    /// <param name="ledger">The ledger's name.</param>
    /// <param name="kind">The kind of rows.</param>
    /// <param name="batchSize">Rows per transaction; into an empty table, writes between two sends of what the run holds
    /// (the search entries of members, on PostgreSQL the rows), nothing being committed before <see cref="Complete"/>.</param>
    public static MirrorWriter BeginBaseline(CrmStore store, string ledger, MirrorKind kind, int batchSize = 20_000)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrEmpty(ledger);
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        return new MirrorWriter(store, ledger, kind, "baseline", emitEvents: false, batchSize, baseline: true);
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
    /// another sync already wrote (between this sync's reading of the mirror and now) is not written, nor announced, twice;
    /// such a row is not counted in <see cref="Complete"/>'s counts either. On PostgreSQL the row may be held and sent with
    /// the next ones (see the remarks of <see cref="MirrorWriter"/>).
    /// </remarks>
    /// <param name="values">The row's values in <see cref="MirrorKind.Columns"/> order: strings, longs (money) or nulls.</param>
    /// <param name="hash">The row's <see cref="RowHasher"/> hash.</param>
    /// <param name="change">How it differs from the mirror.</param>
    public void Write(ReadOnlySpan<object?> values, long hash, RowChange change)
    {
        if (_held is { } held)
        {
            SendVanishing();
            held.Rows.Add(new PendingRow(values.ToArray(), hash, change));
            if (held.Rows.Count >= held.PerStatement)
            {
                SendRows();
            }
        }
        else if (Upsert(values, hash))
        {
            Written((string)values[0]!, change);
        }

        Tick();
    }

    /// <summary>Inserts one row of a baseline (<see cref="FindsRepeats"/>), as <see cref="Write"/> a created row does.</summary>
    /// <param name="values">The row's values in <see cref="MirrorKind.Columns"/> order: strings, longs (money) or nulls.</param>
    /// <param name="hash">The row's <see cref="RowHasher"/> hash.</param>
    /// <returns>False, having written nothing, when this run already wrote a row of the same ledger_id.</returns>
    /// <exception cref="InvalidOperationException">The writer does not find repeats.</exception>
    public bool WriteNew(ReadOnlySpan<object?> values, long hash)
    {
        if (!FindsRepeats)
        {
            throw new InvalidOperationException("Only a baseline on SQLite finds the rows it wrote already; keep the keys read instead.");
        }

        if (!Upsert(values, hash))
        {
            return false;
        }

        Written((string)values[0]!, RowChange.Created);
        Tick();
        return true;
    }

    /// <summary>Executes the prepared upsert of one row; true when it wrote the row.</summary>
    private bool Upsert(ReadOnlySpan<object?> values, long hash)
    {
        if (_upsertStatement is { } statement)
        {
            // The ledger, the times and the base currency were bound once (PrepareStatements): SQLite keeps them.
            for (var i = 0; i < values.Length; i++)
            {
                statement.Bind(i + 1, values[i]);
            }

            statement.Bind(values.Length + 1, hash);
            return statement.Execute() > 0;
        }

        var p = _upsert!.Parameters;
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
        return _upsert.ExecuteNonQuery() > 0;
    }

    /// <summary>A row was written: it is counted, announced and (a counterparty) re-indexed for search.</summary>
    private void Written(string ledgerId, RowChange change)
    {
        if (change == RowChange.Created)
        {
            _inserted++;
        }
        else
        {
            _changed++;
        }

        if (_refreshSearch)
        {
            _searchRefresh.Add(ledgerId);
        }

        if (_emitEvents)
        {
            var type = change == RowChange.Created ? "created" : change == RowChange.Changed ? "changed" : "reappeared";
            RecordEvent(Kind.Singular + "." + type, ledgerId);
        }
    }

    /// <summary>A row was marked vanished: it is counted and announced.</summary>
    private void Marked(string ledgerId)
    {
        _vanished++;
        if (_emitEvents)
        {
            RecordEvent(Kind.Singular + ".vanished", ledgerId);
        }
    }

    /// <summary>Marks a row the ledger no longer returns. The row is kept: nothing in the store is deleted.</summary>
    /// <remarks>A row already marked (by another sync) is not marked, counted nor announced again. On PostgreSQL the mark
    /// may be held and sent with the next ones.</remarks>
    public void MarkVanished(string ledgerId)
    {
        if (_held is { } held)
        {
            SendRows();
            held.Vanishing.Add(ledgerId);
            if (held.Vanishing.Count >= held.PerStatement)
            {
                SendVanishing();
            }
        }
        else if (_connection.Execute(MarkVanishedSql(Kind), new { now = _now, ledger = Ledger, ledgerId }, _transaction) > 0)
        {
            Marked(ledgerId);
        }

        Tick();
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
        if (_held is { } held)
        {
            held.Events.Add(new PendingEvent(eventType, ledgerId, data));
            if (held.Events.Count >= held.PerStatement)
            {
                SendEvents();
            }

            return;
        }

        if (_eventStatement is { } statement)
        {
            statement.Bind(1, eventType);
            statement.Bind(3, ledgerId);
            statement.Bind(4, data);
            statement.Execute();
            return;
        }

        var p = _event!.Parameters;
        p[0].Value = _now;
        p[1].Value = eventType;
        p[2].Value = Ledger;
        p[3].Value = ledgerId;
        p[4].Value = (object?)data ?? DBNull.Value;
        _event.ExecuteNonQuery();
    }

    /// <summary>Commits the last batch, the run's counts and the new watermark.</summary>
    /// <param name="read">The rows read from the ledger.</param>
    /// <param name="rejected">The rows that could not be read.</param>
    /// <param name="watermark">The new watermark, or null to keep none.</param>
    /// <returns>The run's counts: those given, and the rows this run inserted, changed and marked vanished.</returns>
    public SyncCounts Complete(long read, long rejected, Watermark? watermark)
    {
        Send();
        _setAside?.Restore();
        var counts = new SyncCounts(read, _inserted, _changed, _vanished, rejected);
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
        return counts;
    }

    /// <summary>Rolls back the open batch (if not completed) and closes the connection.</summary>
    public void Dispose()
    {
        _upsertStatement?.Dispose();
        _eventStatement?.Dispose();
        _upsert?.Dispose();
        _event?.Dispose();
        _held?.Dispose();
        _transaction.Dispose();
        _connection.Dispose();
    }

    private void Tick()
    {
        if (++_pending < _batchSize)
        {
            return;
        }

        Send();
        RefreshSearch();
        _pending = 0;
        if (_setAside is not null)
        {
            return;
        }

        _transaction.Commit();
        _transaction.Dispose();
        _transaction = _connection.BeginTransaction(IsolationLevel.ReadCommitted);
        _upsert?.Transaction = _transaction;
        _event?.Transaction = _transaction;
    }

    /// <summary>A counterparty's name, INN, phone or mail may have changed: its member's search entry follows, in the same batch.</summary>
    private void RefreshSearch()
    {
        if (_searchRefresh.Count == 0)
        {
            return;
        }

        using var search = new Clients.ClientSearchWriter(_connection, _transaction, _store.Dialect);
        search.Refresh(Ledger, _searchRefresh);
        _searchRefresh.Clear();
    }

    /// <summary>PostgreSQL: sends whatever the batch holds, in the order it was written: rows, vanished marks, then the
    /// events of both.</summary>
    private void Send()
    {
        SendRows();
        SendVanishing();
        SendEvents();
    }

    /// <summary>PostgreSQL: upserts the held rows in one statement; those it wrote are counted and announced in order.</summary>
    private void SendRows()
    {
        if (_held is not { Rows.Count: > 0 } held)
        {
            return;
        }

        var command = held.RowUpsert ??= RowBatchCommand();
        command.Transaction = _transaction;
        var p = command.Parameters;
        var rows = held.Rows;
        for (var c = 0; c < Kind.Columns.Count; c++)
        {
            p[BatchFixedParameters + c].Value = Kind.Columns[c].Type == ColumnType.Money
                ? rows.Select(r => r.Values[c] is { } v ? Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture) : (long?)null).ToArray()
                : rows.Select(r => (string?)r.Values[c]).ToArray();
        }

        p[BatchFixedParameters + Kind.Columns.Count].Value = rows.Select(r => r.Hash).ToArray();
        var written = ReadKeys(command);
        foreach (var row in rows)
        {
            var ledgerId = (string)row.Values[0]!;
            if (written.Contains(ledgerId))
            {
                Written(ledgerId, row.Change);
            }
        }

        rows.Clear();
    }

    /// <summary>PostgreSQL: marks the held vanished rows in one statement; those it marked are counted and announced in order.</summary>
    private void SendVanishing()
    {
        if (_held is not { Vanishing.Count: > 0 } held)
        {
            return;
        }

        using var command = _connection.CreateCommand();
        command.Transaction = _transaction;
        command.CommandText = MarkVanishedBatchSql(Kind);
        AddParameter(command, "now", null).Value = _now;
        AddParameter(command, "ledger", null).Value = Ledger;
        AddParameter(command, "ledger_ids", null).Value = held.Vanishing.ToArray();
        var marked = ReadKeys(command);
        foreach (var ledgerId in held.Vanishing)
        {
            if (marked.Contains(ledgerId))
            {
                Marked(ledgerId);
            }
        }

        held.Vanishing.Clear();
    }

    /// <summary>PostgreSQL: inserts the held events in one statement, in the order they were recorded.</summary>
    private void SendEvents()
    {
        if (_held is not { Events.Count: > 0 } held)
        {
            return;
        }

        using var command = _connection.CreateCommand();
        command.Transaction = _transaction;
        command.CommandText = EventInsertBatchSql;
        AddParameter(command, "occurred_at", null).Value = _now;
        AddParameter(command, "ledger", null).Value = Ledger;
        AddParameter(command, "event_types", null).Value = held.Events.Select(e => e.Type).ToArray();
        AddParameter(command, "ledger_ids", null).Value = held.Events.Select(e => e.LedgerId).ToArray();
        AddParameter(command, "data", null).Value = held.Events.Select(e => e.Data).ToArray();
        command.ExecuteNonQuery();
        held.Events.Clear();
    }

    private static HashSet<string> ReadKeys(DbCommand command)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            keys.Add(reader.GetString(0));
        }

        return keys;
    }

    /// <summary>The parameters of <see cref="RowUpsertBatchSql"/> before its arrays: the ledger, the time, the base currency.</summary>
    private const int BatchFixedParameters = 3;

    private DbCommand RowBatchCommand()
    {
        var command = _connection.CreateCommand();
        command.CommandText = RowUpsertBatchSql(_store.Dialect, Kind, _settleAsWritten);
        AddParameter(command, "ledger", null).Value = Ledger;
        AddParameter(command, "now", null).Value = _now;
        AddParameter(command, "base_currency", null).Value = _store.BaseCurrency;
        foreach (var c in Kind.Columns)
        {
            AddParameter(command, c.Name, null);
        }

        AddParameter(command, "row_hash", null);
        if (_settleAsWritten)
        {
            AddParameter(command, "today", null).Value = Today;
        }

        return command;
    }

    /// <summary>The day an invoice written settled is settled on: the run's, as <see cref="InvoiceSettlement"/> gives it.</summary>
    private string Today => _now[..10];

    private readonly record struct PendingRow(object?[] Values, long Hash, RowChange Change);

    private readonly record struct PendingEvent(string Type, string LedgerId, string? Data);

    /// <summary>PostgreSQL: the rows, vanished marks and events an open batch holds until they are sent.</summary>
    private sealed class PendingWrites(int perStatement) : IDisposable
    {
        public int PerStatement { get; } = perStatement;

        public List<PendingRow> Rows { get; } = new(perStatement);

        public List<string> Vanishing { get; } = [];

        public List<PendingEvent> Events { get; } = [];

        /// <summary>The rows' statement, made at the first send and kept for the run.</summary>
        public DbCommand? RowUpsert { get; set; }

        public void Dispose() => RowUpsert?.Dispose();
    }

    /// <summary>The upsert's parameters in the order <see cref="Upsert"/> binds them (and the base currency for money).</summary>
    private List<(string Name, DbType Type)> UpsertParameters()
    {
        var parameters = new List<(string, DbType)> { ("ledger", DbType.String) };
        parameters.AddRange(Kind.Columns.Select(c => (c.Name, c.Type == ColumnType.Money ? DbType.Int64 : DbType.String)));
        parameters.AddRange([("row_hash", DbType.Int64), ("first_seen_at", DbType.String), ("synced_at", DbType.String), ("vanished_at", DbType.String)]);
        if (IsClientKeyed(Kind))
        {
            parameters.Add(("base_currency", DbType.String));
        }

        if (_settleAsWritten)
        {
            parameters.Add(("today", DbType.String));
        }

        return parameters;
    }

    private static readonly string[] EventParameters = ["occurred_at", "event_type", "ledger", "ledger_id", "data"];

    /// <summary>SQLite: the upsert and the event insert prepared on the connection's handle, with what stays the same for
    /// the whole run (the ledger, the time, the base currency) bound once.</summary>
    private (SqliteStatement Upsert, SqliteStatement Event) PrepareStatements(Microsoft.Data.Sqlite.SqliteConnection connection)
    {
        var names = UpsertParameters().Select(p => p.Name).ToList();
        var sql = FindsRepeats ? RowInsertSql(_store.Dialect, Kind, _settleAsWritten) : RowUpsertSql(_store.Dialect, Kind, _settleAsWritten);
        var upsert = new SqliteStatement(connection, sql, names);
        SqliteStatement? @event = null;
        try
        {
            upsert.Bind(0, Ledger);
            var n = Kind.Columns.Count + 1;
            upsert.Bind(n + 1, _now);
            upsert.Bind(n + 2, _now);
            upsert.Bind(n + 3, (string?)null);
            if (IsClientKeyed(Kind))
            {
                upsert.Bind(names.IndexOf("base_currency"), _store.BaseCurrency);
            }

            if (_settleAsWritten)
            {
                upsert.Bind(names.IndexOf("today"), Today);
            }

            @event = new SqliteStatement(connection, EventInsertSql, EventParameters);
            @event.Bind(0, _now);
            @event.Bind(2, Ledger);
            return (upsert, @event);
        }
        catch
        {
            upsert.Dispose();
            @event?.Dispose();
            throw;
        }
    }

    private (DbCommand Upsert, DbCommand Event) PrepareCommands()
    {
        var upsert = _connection.CreateCommand();
        upsert.Transaction = _transaction;
        upsert.CommandText = RowUpsertSql(_store.Dialect, Kind, _settleAsWritten);
        foreach (var (name, type) in UpsertParameters())
        {
            AddParameter(upsert, name, type).Value = name switch
            {
                "base_currency" => _store.BaseCurrency,
                "today" => Today,
                _ => DBNull.Value,
            };
        }

        upsert.Prepare();

        var @event = _connection.CreateCommand();
        @event.Transaction = _transaction;
        @event.CommandText = EventInsertSql;
        foreach (var name in EventParameters)
        {
            AddParameter(@event, name, DbType.String);
        }

        @event.Prepare();
        return (upsert, @event);
    }

    /// <summary>Adds <c>@name</c>, valued DBNull; its type left to the value when null (the arrays of the PostgreSQL sets).</summary>
    private static DbParameter AddParameter(DbCommand command, string name, DbType? type)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@" + name;
        if (type is { } t)
        {
            parameter.DbType = t;
        }

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

    /// <summary>The upsert of one row, its columns as <c>@name</c> parameters.</summary>
    /// <param name="dialect">The store's dialect.</param>
    /// <param name="kind">The kind of rows.</param>
    /// <param name="settled">Whether an invoice paid in full by its own paid amount is written settled on <c>@today</c>
    /// (<see cref="SettlesAsWritten"/>).</param>
    internal static string RowUpsertSql(StoreDialect dialect, MirrorKind kind, bool settled = false)
    {
        var columns = RowColumns(kind);
        var computed = Computed(dialect, kind, column => "@" + column, settled);
        columns.AddRange(computed.Keys);
        return dialect.Upsert(kind.Table, ["ledger", "ledger_id"], columns, InsertOnly(settled), computed, Changed);
    }

    /// <summary>The insert of one row that writes nothing when the mirror holds its ledger_id already (a baseline's own
    /// repeat, <see cref="WriteNew"/>), its columns as <see cref="RowUpsertSql"/> gives them.</summary>
    internal static string RowInsertSql(StoreDialect dialect, MirrorKind kind, bool settled = false)
    {
        var columns = RowColumns(kind);
        var computed = Computed(dialect, kind, column => "@" + column, settled);
        var values = columns.Select(c => "@" + c).Concat(computed.Values).ToList();
        columns.AddRange(computed.Keys);
        return dialect.InsertIfAbsent(kind.Table, string.Join(", ", columns), string.Join(", ", values), ("ledger", "ledger"), ("ledger_id", "ledger_id"));
    }

    /// <summary>The columns a row's insert or upsert binds, one parameter each: the ledger, the kind's canonical columns and
    /// the mirror's own stamps (the computed columns follow them).</summary>
    private static List<string> RowColumns(MirrorKind kind) =>
        ["ledger", .. kind.Columns.Select(c => c.Name), "row_hash", "first_seen_at", "synced_at", "vanished_at"];

    /// <summary>Columns an upsert writes when it inserts and keeps when it updates: a row's first sighting, and its
    /// settlement, which only <see cref="InvoiceSettlement"/> moves afterwards.</summary>
    private static string[] InsertOnly(bool settled) => settled ? ["first_seen_at", "settled_on"] : ["first_seen_at"];

    /// <summary>PostgreSQL: the upsert of a set of rows given as one array per column (<c>@name</c>, and <c>@row_hash</c>),
    /// with <c>@ledger</c>, <c>@now</c> and <c>@base_currency</c>; it returns the <c>ledger_id</c> of each row it wrote.</summary>
    /// <remarks>The same compare-and-set as <see cref="RowUpsertSql"/>: a stored row whose hash is the same, and which had
    /// not vanished, is neither updated nor returned.</remarks>
    internal static string RowUpsertBatchSql(StoreDialect dialect, MirrorKind kind, bool settled = false)
    {
        var arrays = kind.Columns.Select(c => (c.Name, Type: c.Type == ColumnType.Money ? "bigint[]" : "text[]")).Append((Name: "row_hash", Type: "bigint[]")).ToList();
        var columns = new List<(string, string)> { ("ledger", "@ledger") };
        columns.AddRange(arrays.Select(a => (a.Name, "r." + a.Name)));
        columns.AddRange([("first_seen_at", "@now"), ("synced_at", "@now"), ("vanished_at", "NULL")]);
        columns.AddRange(Computed(dialect, kind, column => "r." + column, settled).Select(c => (c.Key, c.Value)));
        var from = "unnest(" + string.Join(", ", arrays.Select(a => "@" + a.Name + "::" + a.Type)) + ") AS r(" + string.Join(", ", arrays.Select(a => a.Name)) + ")";
        return dialect.UpsertFrom(kind.Table, ["ledger", "ledger_id"], columns, from, InsertOnly(settled), Changed) + " RETURNING ledger_id";
    }

    /// <summary>Columns the statement computes from the row rather than binding (none for most kinds), given how a column
    /// of the incoming row is named (<c>@name</c> for one row, <c>r.name</c> for a set).</summary>
    private static Dictionary<string, string> Computed(StoreDialect dialect, MirrorKind kind, Func<string, string> incoming, bool settled)
    {
        var computed = new Dictionary<string, string>();
        if (settled)
        {
            // A first load's invoice paid by its own amount gets the settlement InvoiceSettlement would give it right after,
            // without a second write of most of the rows (and of the index that leads with settled_on) at a million invoices.
            computed["settled_on"] = $"CASE WHEN {InvoiceSettlement.SettledByItself(incoming("amount"), incoming("paid_amount"))} THEN @today END";
        }

        if (HasBirthday(kind))
        {
            // The birthday's month and day, which "my day" looks up by index (migration 28), written with the birthday itself.
            computed["birthday_md"] = Migrations.BirthdayMigration.MonthDay(dialect, incoming("birthday"));
        }

        if (IsClientKeyed(kind))
        {
            // Money carries its counterparty's current client (migration 9): looked up as the row is written, so a new or
            // moved invoice is keyed at once; unification rewrites the key when the counterparty's membership changes
            // (AssignClients). Its amounts in the store's base currency (migration 27): the row's own when it is in the base
            // currency; NULL until MoneyConversion converts it at the ledger's rate otherwise.
            computed["client_id"] = $"(SELECT m.client_id FROM client_members m WHERE m.ledger = @ledger AND m.ledger_id = {incoming("counterparty_id")})";
            computed["legal_entity"] = $"(SELECT m.legal_entity FROM client_members m WHERE m.ledger = @ledger AND m.ledger_id = {incoming("counterparty_id")})";
            computed["base_amount"] = InBase(incoming("amount"), incoming("currency"));
            if (kind.Ordinal("paid_amount") >= 0)
            {
                computed["base_paid_amount"] = InBase(incoming("paid_amount"), incoming("currency"));
            }
        }

        return computed;
    }

    private static string InBase(string amount, string currency) => $"CASE WHEN {currency} IS NULL OR {currency} = @base_currency THEN {amount} END";

    /// <summary>Whether rows of a kind carry a birthday and its month and day (counterparties and contacts do).</summary>
    private static bool HasBirthday(MirrorKind kind) => Migrations.BirthdayMigration.Kinds.Contains(kind);

    /// <summary>Whether a baseline of a kind writes its rows settled (<see cref="RowUpsertSql"/>): invoices, which a first
    /// load's settlement, recording no event, would only mark settled on the same day right after.</summary>
    internal static bool SettlesAsWritten(MirrorKind kind) => kind == MirrorSchema.Invoices;

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
        if (connection is Npgsql.NpgsqlConnection)
        {
            // One statement per kind and RowsPerStatement members: a statement per member is parsed and planned each time.
            foreach (var chunk in members.Chunk(RowsPerStatement))
            {
                foreach (var kind in new[] { MirrorSchema.Invoices, MirrorSchema.Payments })
                {
                    connection.Execute(AssignClientsBatchSql(kind), new
                    {
                        ledgers = chunk.Select(m => m.Ledger).ToArray(),
                        ledgerIds = chunk.Select(m => m.LedgerId).ToArray(),
                        clientIds = chunk.Select(m => m.ClientId).ToArray(),
                        legalEntities = chunk.Select(m => m.LegalEntity).ToArray(),
                    }, transaction);
                }
            }

            return;
        }

        using var invoices = new Clients.RowWriter(connection, transaction, AssignClientSql(MirrorSchema.Invoices), "ledger", "ledger_id", "client_id", "legal_entity");
        using var payments = new Clients.RowWriter(connection, transaction, AssignClientSql(MirrorSchema.Payments), "ledger", "ledger_id", "client_id", "legal_entity");
        foreach (var m in members)
        {
            invoices.Execute(m.Ledger, m.LedgerId, m.ClientId, m.LegalEntity);
            payments.Execute(m.Ledger, m.LedgerId, m.ClientId, m.LegalEntity);
        }
    }

    /// <summary>Gives every mirrored invoice and payment of a counterparty in a client that client and legal entity, on the
    /// caller's transaction: a store's first unification, where every member is new, in one statement per kind.</summary>
    internal static void AssignAllClients(DbConnection connection, DbTransaction transaction)
    {
        foreach (var kind in new[] { MirrorSchema.Invoices, MirrorSchema.Payments })
        {
            connection.Execute(AssignAllClientsSql(kind), transaction: transaction, commandTimeout: 0);
        }
    }

    /// <summary><see cref="AssignClientSql"/> of every member at once (<see cref="AssignAllClients"/>).</summary>
    internal static string AssignAllClientsSql(MirrorKind kind)
    {
        var member = $"FROM client_members m WHERE m.ledger = {kind.Table}.ledger AND m.ledger_id = {kind.Table}.counterparty_id";
        return $"UPDATE {kind.Table} SET client_id = (SELECT m.client_id {member}), legal_entity = (SELECT m.legal_entity {member}) " +
            $"WHERE EXISTS (SELECT 1 {member})";
    }

    /// <summary>PostgreSQL: <see cref="AssignClientSql"/> of the members given as arrays (<c>@ledgers</c>, <c>@ledgerIds</c>,
    /// <c>@clientIds</c>, <c>@legalEntities</c>; one entry per member).</summary>
    internal static string AssignClientsBatchSql(MirrorKind kind) =>
        $"UPDATE {kind.Table} t SET client_id = r.client_id, legal_entity = r.legal_entity " +
        "FROM unnest(@ledgers::text[], @ledgerIds::text[], @clientIds::bigint[], @legalEntities::text[]) AS r(ledger, ledger_id, client_id, legal_entity) " +
        "WHERE t.ledger = r.ledger AND t.counterparty_id = r.ledger_id " +
        "AND (t.client_id IS NULL OR t.client_id <> r.client_id OR t.legal_entity IS NULL OR t.legal_entity <> r.legal_entity)";

    internal static string LoadExistingSql(MirrorKind kind) =>
        $"SELECT ledger_id, row_hash, CASE WHEN vanished_at IS NULL THEN 0 ELSE 1 END FROM {kind.Table} WHERE ledger = @ledger";

    internal static string MarkVanishedSql(MirrorKind kind) =>
        $"UPDATE {kind.Table} SET vanished_at = @now WHERE ledger = @ledger AND ledger_id = @ledgerId AND vanished_at IS NULL";

    /// <summary>PostgreSQL: <see cref="MarkVanishedSql"/> of the rows keyed by the array <c>@ledger_ids</c>; returns the keys it marked.</summary>
    internal static string MarkVanishedBatchSql(MirrorKind kind) =>
        $"UPDATE {kind.Table} t SET vanished_at = @now FROM unnest(@ledger_ids::text[]) AS r(ledger_id) " +
        "WHERE t.ledger = @ledger AND t.ledger_id = r.ledger_id AND t.vanished_at IS NULL RETURNING t.ledger_id";

    /// <summary>PostgreSQL: <see cref="EventInsertSql"/> of the events given as arrays, in their order.</summary>
    internal const string EventInsertBatchSql =
        "INSERT INTO change_events (occurred_at, event_type, ledger, ledger_id, data) " +
        "SELECT @occurred_at, r.event_type, @ledger, r.ledger_id, r.data " +
        "FROM unnest(@event_types::text[], @ledger_ids::text[], @data::text[]) WITH ORDINALITY AS r(event_type, ledger_id, data, n) ORDER BY r.n";

    internal static string RunInsertSql(StoreDialect dialect) => dialect.Provider switch
    {
        Providers.DatabaseProvider.SqlServer =>
            "INSERT INTO sync_runs (ledger, kind, mode, started_at, read_rows, inserted, changed, vanished, rejected) OUTPUT INSERTED.id VALUES (@ledger, @kind, @mode, @startedAt, 0, 0, 0, 0, 0)",
        _ =>
            "INSERT INTO sync_runs (ledger, kind, mode, started_at, read_rows, inserted, changed, vanished, rejected) VALUES (@ledger, @kind, @mode, @startedAt, 0, 0, 0, 0, 0) RETURNING id",
    };

    internal static string IsEmptySql(MirrorKind kind) =>
        $"SELECT CASE WHEN EXISTS (SELECT 1 FROM {kind.Table} WHERE ledger = @ledger) THEN 0 ELSE 1 END";

    /// <summary>1 when a kind's table holds no row of any ledger: a baseline into it sets its indexes aside.</summary>
    internal static string IsTableEmptySql(MirrorKind kind) =>
        $"SELECT CASE WHEN EXISTS (SELECT 1 FROM {kind.Table}) THEN 0 ELSE 1 END";

    /// <summary>1 when some counterparty of the ledger <c>@ledger</c> is a client's member.</summary>
    internal const string AnyMemberSql =
        "SELECT CASE WHEN EXISTS (SELECT 1 FROM client_members WHERE ledger = @ledger) THEN 1 ELSE 0 END";

    /// <summary>Every statement this class sends, for a dialect; tests parse the T-SQL ones.</summary>
    internal static IEnumerable<string> Statements(StoreDialect dialect)
    {
        yield return EventInsertSql;
        yield return WatermarkSelectSql;
        yield return RejectInsertSql;
        yield return RejectSelectSql;
        yield return RunCompleteSql;
        yield return AnyMemberSql;
        yield return WatermarkUpsertSql(dialect);
        yield return RunInsertSql(dialect);
        foreach (var kind in MirrorSchema.Kinds)
        {
            yield return RowUpsertSql(dialect, kind);
            yield return RowInsertSql(dialect, kind);
            if (SettlesAsWritten(kind))
            {
                yield return RowUpsertSql(dialect, kind, settled: true);
                yield return RowInsertSql(dialect, kind, settled: true);
            }
            yield return LoadExistingSql(kind);
            yield return MarkVanishedSql(kind);
            yield return IsEmptySql(kind);
            yield return IsTableEmptySql(kind);
            if (IsClientKeyed(kind))
            {
                yield return AssignClientSql(kind);
                yield return AssignAllClientsSql(kind);
            }

            if (dialect.Provider == DatabaseProvider.PostgreSql)
            {
                yield return RowUpsertBatchSql(dialect, kind);
                if (SettlesAsWritten(kind))
                {
                    yield return RowUpsertBatchSql(dialect, kind, settled: true);
                }
                yield return MarkVanishedBatchSql(kind);
                if (IsClientKeyed(kind))
                {
                    yield return AssignClientsBatchSql(kind);
                }
            }
        }

        if (dialect.Provider == DatabaseProvider.PostgreSql)
        {
            yield return EventInsertBatchSql;
        }
    }
}
