using System.Globalization;
using CrmExtensions.Store.Internal;
using CrmExtensions.Store.Mirror;
using Dapper;

namespace CrmExtensions.Store.Deals;

/// <summary>A deal as the store keeps it.</summary>
/// <param name="Number">The short number people type; null for deals a plugin opened before migration 4.</param>
/// <param name="Amount">Ten-thousandths (see <see cref="Money"/>), or null.</param>
/// <param name="Outcome"><c>won</c>, <c>lost</c> or null while open.</param>
public sealed record DealRow(
    string Id, long? Number, string PluginId, string Pipeline, string Stage, string Title, long? Amount, string? Currency, long? ClientId,
    string? ClientName, string? Owner, string? ExpectedClose, string Ledger, string CounterpartyId, string CreatedAt, string UpdatedAt,
    string? ClosedAt, string? Outcome)
{
    /// <summary>How people refer to the deal: its number, else its id.</summary>
    public string Display => Number is { } n ? n.ToString(CultureInfo.InvariantCulture) : Id;

    /// <summary>The amount in currency units.</summary>
    public decimal? AmountValue => Amount is { } a ? Money.FromStored(a) : null;
}

/// <summary>One line of a deal's stage history: a move made, or one refused (with the guard and its reason).</summary>
public sealed record DealMoveRow(long Id, string DealId, string FromStage, string ToStage, string MovedAt, string? MovedBy, long? Refused, string? Guard, string? Reason)
{
    public bool WasRefused => Refused is 1;
}

/// <summary>A deal to open.</summary>
public sealed record DealEntry
{
    /// <summary>The plugin whose pipeline the deal follows.</summary>
    public required string PluginId { get; init; }

    public required string Pipeline { get; init; }

    /// <summary>The first stage of the pipeline.</summary>
    public required string Stage { get; init; }

    public required string Title { get; init; }

    public required long ClientId { get; init; }

    /// <summary>The client's ledger row the deal is anchored to (plugins read deals by counterparty).</summary>
    public required string Ledger { get; init; }

    public required string CounterpartyId { get; init; }

    public decimal? Amount { get; init; }

    public string? Currency { get; init; }

    public string? Owner { get; init; }

    public DateOnly? ExpectedClose { get; init; }
}

/// <summary>Which deals <see cref="DealStore.List"/> returns.</summary>
public sealed record DealFilter
{
    public long? ClientId { get; init; }

    public string? Stage { get; init; }

    /// <summary>Part of the owner's name, any case.</summary>
    public string? Owner { get; init; }

    /// <summary>Only deals of this plugin's pipeline <see cref="Pipeline"/> (both or neither).</summary>
    public string? PluginId { get; init; }

    /// <summary>Only deals of this pipeline of <see cref="PluginId"/>.</summary>
    public string? Pipeline { get; init; }

    /// <summary>Only deals on clients whose manager (as the client list and the dossier name it) this is.</summary>
    public string? ClientManager { get; init; }

    public int Limit { get; init; } = 100;
}

/// <summary>Deals on clients and their stage history, including refused moves.</summary>
/// <remarks>Thread-safe: each call opens its own connection. Which moves are allowed is the pipeline's business
/// (plugins, through the runtime); this class records what was decided.</remarks>
public sealed class DealStore
{
    private readonly CrmStore _store;

    public DealStore(CrmStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
    }

    /// <summary>Opens a deal with the next free number (see <see cref="DealWriter"/> for how numbers stay unique).</summary>
    /// <returns>The deal as stored.</returns>
    public DealRow Open(DealEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var id = Guid.CreateVersion7(_store.Time.GetUtcNow()).ToString("N");
        using (var connection = _store.Open())
        using (var tx = connection.BeginTransaction())
        {
            new DealWriter(connection, tx, _store.Dialect).Open(new DealInsert(
                id, entry.PluginId, entry.Pipeline, entry.Stage, entry.Title, entry.Amount is { } a ? Money.ToStored(a) : null, entry.Currency,
                entry.ClientId, entry.Owner, entry.ExpectedClose?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), entry.Ledger,
                entry.CounterpartyId, StoreTime.Now(_store.Time)));
            tx.Commit();
        }

        return Get(id)!;
    }

    /// <summary>A deal by id.</summary>
    public DealRow? Get(string id)
    {
        using var connection = _store.Open();
        return connection.QuerySingleOrDefault<DealRow>(ByIdSql, new { id });
    }

    /// <summary>Finds a deal by its number, its id, or a unique beginning of its id (six characters or more).</summary>
    public DealRow? Find(string term)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(term);
        term = term.Trim().TrimStart('#');
        using var connection = _store.Open();
        if (long.TryParse(term, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            && connection.QuerySingleOrDefault<DealRow>(ByNumberSql, new { number }) is { } byNumber)
        {
            return byNumber;
        }

        if (connection.QuerySingleOrDefault<DealRow>(ByIdSql, new { id = term }) is { } byId)
        {
            return byId;
        }

        if (term.Length < 6 || term.Contains('%', StringComparison.Ordinal) || term.Contains('_', StringComparison.Ordinal))
        {
            return null;
        }

        var found = connection.Query<DealRow>(_store.Dialect.Top(ByPrefixSql, 2), new { prefix = Clients.SearchText.EscapeLike(term) + "%" }).AsList();
        return found.Count == 1 ? found[0] : null;
    }

    /// <summary>Deals matching a filter, newest first.</summary>
    public List<DealRow> List(DealFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        using var connection = _store.Open();
        var pipeline = filter.PluginId is not null && filter.Pipeline is not null;
        var sql = _store.Dialect.Top(ListSql(filter.ClientId is not null, filter.Stage is not null, filter.Owner is not null, pipeline, filter.ClientManager is not null), filter.Limit);
        return connection.Query<DealRow>(sql, new
        {
            clientId = filter.ClientId, stage = filter.Stage, owner = filter.Owner is null ? null : Clients.SearchText.ContainsPattern(filter.Owner), pluginId = filter.PluginId,
            pipeline = filter.Pipeline, manager = filter.ClientManager,
        }).AsList();
    }

    /// <summary>Everyone who owns a deal, by name; with <paramref name="clientManager"/>, only the owners of deals on that
    /// manager's clients (a manager kept to their own clients does not see every colleague's name).</summary>
    public List<string> Owners(string? clientManager = null)
    {
        using var connection = _store.Open();
        return connection.Query<string>(clientManager is null ? OwnersSql : OwnersOfSql, new { manager = clientManager }).AsList();
    }

    /// <summary>A deal's stage history, oldest first, refused moves included.</summary>
    public List<DealMoveRow> History(string dealId)
    {
        using var connection = _store.Open();
        return connection.Query<DealMoveRow>(HistorySql, new { dealId }).AsList();
    }

    /// <summary>Moves a deal and records who moved it, in one transaction.</summary>
    /// <param name="outcome"><c>won</c> or <c>lost</c> when the new stage closes the deal, else null (reopens it).</param>
    /// <returns>False when the deal is no longer in <paramref name="from"/> (someone moved it meanwhile); nothing is written then.</returns>
    public bool Move(string dealId, string from, string to, string? movedBy, string? outcome)
    {
        using var connection = _store.Open();
        using var tx = connection.BeginTransaction();
        if (!new DealWriter(connection, tx, _store.Dialect).Move(dealId, from, to, StoreTime.Now(_store.Time), outcome, movedBy))
        {
            return false;
        }

        tx.Commit();
        return true;
    }

    /// <summary>Records a move that was refused, with the guard (<c>plugin/guard</c>, or <c>pipeline</c>) and its reason.</summary>
    public void RecordRefusal(string dealId, string from, string to, string? movedBy, string guard, string reason)
    {
        using var connection = _store.Open();
        using var tx = connection.BeginTransaction();
        new DealWriter(connection, tx, _store.Dialect).RecordRefusal(dealId, from, to, StoreTime.Now(_store.Time), movedBy, guard, reason);
        tx.Commit();
    }

    internal const string Columns =
        "SELECT d.deal_id AS Id, d.number AS Number, d.plugin_id AS PluginId, d.pipeline AS Pipeline, d.stage AS Stage, d.title AS Title, " +
        "d.amount AS Amount, d.currency AS Currency, d.client_id AS ClientId, c.display_name AS ClientName, d.owner AS Owner, " +
        "d.expected_close AS ExpectedClose, d.ledger AS Ledger, d.counterparty_id AS CounterpartyId, d.created_at AS CreatedAt, " +
        "d.updated_at AS UpdatedAt, d.closed_at AS ClosedAt, d.outcome AS Outcome FROM deals d LEFT JOIN clients c ON c.client_id = d.client_id";

    internal const string ByIdSql = Columns + " WHERE d.deal_id = @id";

    internal const string ByNumberSql = Columns + " WHERE d.number = @number";

    internal const string ByPrefixSql = Columns + " WHERE d.deal_id LIKE @prefix ESCAPE '\\' ORDER BY d.deal_id";

    internal const string HistorySql =
        "SELECT id AS Id, deal_id AS DealId, from_stage AS FromStage, to_stage AS ToStage, moved_at AS MovedAt, moved_by AS MovedBy, " +
        "refused AS Refused, guard AS Guard, reason AS Reason FROM deal_moves WHERE deal_id = @dealId ORDER BY id";

    internal const string OwnersSql = "SELECT DISTINCT owner FROM deals WHERE owner IS NOT NULL ORDER BY owner";

    internal static readonly string OwnersOfSql =
        $"SELECT DISTINCT d.owner FROM deals d WHERE d.owner IS NOT NULL AND {Reporting.ClientMoneySql.ManagedBy("d.client_id")} ORDER BY d.owner";

    internal static string ListSql(bool client, bool stage, bool owner, bool pipeline, bool clientManager) =>
        SqlFilter.Select(Columns, "d.created_at DESC, d.deal_id DESC",
            (client, "d.client_id = @clientId"), (stage, "d.stage = @stage"), (owner, "LOWER(d.owner) LIKE @owner ESCAPE '\\'"),
            (pipeline, "d.plugin_id = @pluginId AND d.pipeline = @pipeline"), (clientManager, Reporting.ClientMoneySql.ManagedBy("d.client_id")));

    /// <summary>Every statement this class sends itself, for a dialect; tests parse the T-SQL ones. Its writes are <see cref="DealWriter"/>'s.</summary>
    internal static IEnumerable<string> Statements(Providers.StoreDialect dialect)
    {
        yield return ByIdSql;
        yield return ByNumberSql;
        yield return dialect.Top(ByPrefixSql, 2);
        yield return HistorySql;
        yield return OwnersSql;
        yield return OwnersOfSql;
        foreach (var v in SqlFilter.Variants(5))
        {
            yield return dialect.Top(ListSql(v[0], v[1], v[2], v[3], v[4]), 100);
        }
    }
}
