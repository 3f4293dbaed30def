using System.Data.Common;
using CrmExtensions.Store.Providers;
using Dapper;

namespace CrmExtensions.Store.Deals;

/// <summary>A deal row to insert; it gets the next free number.</summary>
/// <param name="Amount">Ten-thousandths (see <see cref="Mirror.Money"/>), or null.</param>
/// <param name="ClientId">The client; null for the client of the counterparty at the time of writing.</param>
/// <param name="ExpectedClose"><c>yyyy-MM-dd</c>, or null.</param>
/// <param name="CreatedAt">The instant, as the store writes instants.</param>
internal sealed record DealInsert(
    string Id, string PluginId, string Pipeline, string Stage, string Title, long? Amount, string? Currency, long? ClientId, string? Owner,
    string? ExpectedClose, string Ledger, string CounterpartyId, string CreatedAt);

/// <summary>The one writer of the <c>deals</c> and <c>deal_moves</c> tables: deals opened by people and plugins, moves and refused moves.</summary>
/// <remarks>
/// Works on the caller's connection and transaction, so a plugin's unit of writes stays atomic.
/// <para>Numbering: a deal's number is the largest number plus one, read and written while the transaction holds a lock
/// that only deal numbering takes — a transaction-scoped advisory lock on PostgreSQL, an application lock on SQL Server,
/// and on SQLite the database's single write lock. Two hosts opening deals at once therefore wait for each other instead of
/// taking the same number, on every provider and without retries; numbers have no gaps (nothing is deleted), and the unique
/// index on <c>number</c> stays as the last line of defence.</para>
/// </remarks>
internal sealed class DealWriter(DbConnection connection, DbTransaction transaction, StoreDialect dialect)
{
    internal const string InsertSql =
        "INSERT INTO deals (deal_id, plugin_id, pipeline, stage, title, amount, currency, client_id, owner, expected_close, ledger, counterparty_id, " +
        "created_at, updated_at, number) " +
        "SELECT @id, @pluginId, @pipeline, @stage, @title, @amount, @currency, " +
        "COALESCE(@clientId, (SELECT m.client_id FROM client_members m WHERE m.ledger = @ledger AND m.ledger_id = @counterpartyId)), " +
        "@owner, @expectedClose, @ledger, @counterpartyId, @createdAt, @createdAt, (SELECT COALESCE(MAX(d.number), 0) + 1 FROM deals d)";

    internal const string MoveSql =
        "UPDATE deals SET stage = @to, updated_at = @at, outcome = @outcome, closed_at = @closedAt WHERE deal_id = @dealId AND stage = @from";

    internal const string MoveLogSql =
        "INSERT INTO deal_moves (deal_id, from_stage, to_stage, moved_at, moved_by, refused, guard, reason) " +
        "VALUES (@dealId, @from, @to, @at, @movedBy, @refused, @guard, @reason)";

    /// <summary>Every statement for a dialect, for the T-SQL parse test.</summary>
    internal static IEnumerable<string> Statements(StoreDialect dialect) =>
        NumberLockSql(dialect) is { } lockSql ? [lockSql, InsertSql, MoveSql, MoveLogSql, Mirror.MirrorWriter.EventInsertSql] : [InsertSql, MoveSql, MoveLogSql, Mirror.MirrorWriter.EventInsertSql];

    /// <summary>The change event of a deal opened: keyed by the deal (ledger empty), its stage in the data.</summary>
    public const string OpenedEvent = "deal.opened";

    /// <summary>The change event of a deal moved: keyed by the deal (ledger empty), both stages and the outcome in the data.</summary>
    public const string MovedEvent = "deal.moved";

    /// <summary>The statement that makes deal numbering wait for any other transaction numbering a deal, or null where the
    /// transaction's write lock already does (SQLite has one writer).</summary>
    internal static string? NumberLockSql(StoreDialect dialect) => dialect.Provider switch
    {
        DatabaseProvider.PostgreSql => "SELECT pg_advisory_xact_lock(7280292)",
        DatabaseProvider.SqlServer => "EXEC sp_getapplock @Resource = N'crmx_deal_numbers', @LockMode = N'Exclusive', @LockOwner = N'Transaction'",
        _ => null,
    };

    /// <summary>Opens a deal with the next free number.</summary>
    public void Open(DealInsert deal)
    {
        ArgumentNullException.ThrowIfNull(deal);
        if (NumberLockSql(dialect) is { } lockSql)
        {
            // A statement of its own: on PostgreSQL the insert's snapshot must be taken after the lock is held.
            connection.Execute(lockSql, transaction: transaction);
        }

        connection.Execute(InsertSql, new
        {
            id = deal.Id, pluginId = deal.PluginId, pipeline = deal.Pipeline, stage = deal.Stage, title = deal.Title, amount = deal.Amount,
            currency = deal.Currency, clientId = deal.ClientId, owner = deal.Owner, expectedClose = deal.ExpectedClose, ledger = deal.Ledger,
            counterpartyId = deal.CounterpartyId, createdAt = deal.CreatedAt,
        }, transaction);
        RecordEvent(OpenedEvent, deal.Id, deal.CreatedAt, new Dictionary<string, string?> { ["pipeline"] = deal.Pipeline, ["stage"] = deal.Stage, ["plugin"] = deal.PluginId });
    }

    /// <summary>Moves a deal from <paramref name="from"/> to <paramref name="to"/> and records who moved it.</summary>
    /// <param name="outcome"><c>won</c> or <c>lost</c> when the new stage closes the deal, else null (reopens it).</param>
    /// <returns>False when the deal is no longer in <paramref name="from"/> (someone moved it meanwhile); nothing is written then.</returns>
    public bool Move(string dealId, string from, string to, string at, string? outcome, string? movedBy)
    {
        if (connection.Execute(MoveSql, new { dealId, from, to, at, outcome, closedAt = outcome is null ? null : at }, transaction) == 0)
        {
            return false;
        }

        Log(dealId, from, to, at, movedBy, refused: 0, guard: null, reason: null);
        RecordEvent(MovedEvent, dealId, at, new Dictionary<string, string?> { ["from"] = from, ["to"] = to, ["outcome"] = outcome, ["by"] = movedBy });
        return true;
    }

    /// <summary>Plugins' handlers hear of deals as of ledger rows: in the same transaction as the change, once.</summary>
    private void RecordEvent(string type, string dealId, string at, Dictionary<string, string?> data) =>
        connection.Execute(Mirror.MirrorWriter.EventInsertSql, new
        {
            occurred_at = at, event_type = type, ledger = "", ledger_id = dealId, data = System.Text.Json.JsonSerializer.Serialize(data, EventJson),
        }, transaction);

    /// <summary>Names as people wrote them (Cyrillic unescaped) in the events' JSON.</summary>
    private static readonly System.Text.Json.JsonSerializerOptions EventJson =
        new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All) };

    /// <summary>Records a move that was refused, with the guard (<c>plugin/guard</c>, or <c>pipeline</c>) and its reason.</summary>
    public void RecordRefusal(string dealId, string from, string to, string at, string? movedBy, string guard, string reason) =>
        Log(dealId, from, to, at, movedBy, refused: 1, guard, reason);

    private void Log(string dealId, string from, string to, string at, string? movedBy, int refused, string? guard, string? reason) =>
        connection.Execute(MoveLogSql, new { dealId, from, to, at, movedBy, refused, guard, reason }, transaction);
}
