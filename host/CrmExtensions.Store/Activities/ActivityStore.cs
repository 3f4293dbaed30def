using System.Data.Common;
using System.Globalization;
using CrmExtensions.Store.Internal;
using Dapper;

namespace CrmExtensions.Store.Activities;

/// <summary>An activity to record on a client: a call, a meeting, a letter, an e-mail, a web form or a note.</summary>
/// <remarks>The client is the subject; <see cref="Ledger"/> and <see cref="CounterpartyId"/> anchor it to one of the
/// client's ledger rows (the contact's counterparty, else the client's head), so plugins reading by counterparty see it.</remarks>
public sealed record ActivityEntry
{
    public required long ClientId { get; init; }

    public required string Ledger { get; init; }

    public required string CounterpartyId { get; init; }

    /// <summary>One of <see cref="ActivityKinds.All"/> (plugins may use others).</summary>
    public required string Kind { get; init; }

    public required string Subject { get; init; }

    /// <summary>When it happened (not when it was recorded).</summary>
    public required DateTimeOffset OccurredAt { get; init; }

    /// <summary><c>cli</c>, <c>import</c> or a plugin id.</summary>
    public required string Source { get; init; }

    public string? Manager { get; init; }

    public string? Outcome { get; init; }

    public string? Channel { get; init; }

    /// <summary><c>in</c> or <c>out</c>, or null.</summary>
    public string? Direction { get; init; }

    /// <summary>The contact person as <c>ledger:id</c>, or null.</summary>
    public string? Contact { get; init; }

    public string? DealId { get; init; }

    public string? Notes { get; init; }

    /// <summary>For imports: a hash of the normalised row; a second row with the same key is not added.</summary>
    public string? ImportKey { get; init; }

    /// <summary>For imports: the row's line in its file.</summary>
    public long? ImportLine { get; init; }
}

/// <summary>One activity as the log shows it.</summary>
public sealed record ActivityRow(
    string Id, long? ClientId, string? ClientName, string Kind, string Subject, string? Notes, string? Outcome, string? Manager, string? Channel,
    string? Direction, string? Contact, string? DealId, string OccurredAt, string RecordedAt, string Source, string Ledger, string CounterpartyId)
{
    /// <summary>When it happened.</summary>
    public DateTimeOffset When => DateTimeOffset.Parse(OccurredAt, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}

/// <summary>What <see cref="ActivityStore.List"/> returns: newest first, at most <see cref="Limit"/>.</summary>
public sealed record ActivityFilter
{
    public long? ClientId { get; init; }

    /// <summary>Part of the manager's name, any case.</summary>
    public string? Manager { get; init; }

    /// <summary>Only activities that happened at or after this instant.</summary>
    public DateTimeOffset? Since { get; init; }

    public int Limit { get; init; } = 50;
}

/// <summary>The contact log: calls, meetings, letters, e-mails, web forms and notes on clients.</summary>
/// <remarks>Thread-safe: each call opens its own connection. <c>crmx clients show</c> calls <see cref="ListForClient"/>
/// for its "Last contact" section.</remarks>
public sealed class ActivityStore
{
    private readonly CrmStore _store;

    public ActivityStore(CrmStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
    }

    /// <summary>The plugin id under which the host itself records activities.</summary>
    public const string HostPluginId = "crmx";

    /// <summary>Records one activity.</summary>
    /// <returns>The new activity's id.</returns>
    public string Add(ActivityEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        using var connection = _store.Open();
        using var tx = connection.BeginTransaction();
        using var writer = new ActivityWriter(connection, tx);
        var id = NewId();
        writer.Add(Row(id, entry, StoreTime.Now(_store.Time)));
        tx.Commit();
        return id;
    }

    /// <summary>Records many activities in one transaction; rows whose import key is already in the store are skipped.</summary>
    /// <returns>How many were added and how many were already there.</returns>
    public (int Added, int AlreadyPresent) Import(IReadOnlyList<ActivityEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var now = StoreTime.Now(_store.Time);
        using var connection = _store.Open();
        using var tx = connection.BeginTransaction();
        var added = 0;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        using (var writer = new ActivityWriter(connection, tx))
        {
            foreach (var e in entries)
            {
                // The same row twice in one file: the second is a repeat, as it would be in a second import.
                if (e.ImportKey is { } key && !seen.Add(key))
                {
                    continue;
                }

                added += writer.Add(Row(NewId(), e, now));
            }
        }

        tx.Commit();
        return (added, entries.Count - added);
    }

    /// <summary>The last activities of a client, newest first.</summary>
    public List<ActivityRow> ListForClient(long clientId, int limit)
    {
        using var connection = _store.Open();
        return connection.Query<ActivityRow>(_store.Dialect.Top(ListSql(client: true, manager: false, since: false), limit), new { clientId }).AsList();
    }

    /// <summary>Activities matching a filter, newest first.</summary>
    public List<ActivityRow> List(ActivityFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        using var connection = _store.Open();
        var sql = _store.Dialect.Top(ListSql(filter.ClientId is not null, filter.Manager is not null, filter.Since is not null), filter.Limit);
        return connection.Query<ActivityRow>(sql, new
        {
            clientId = filter.ClientId,
            manager = filter.Manager is null ? null : Clients.SearchText.ContainsPattern(filter.Manager),
            since = filter.Since is { } s ? StoreTime.Format(s) : null,
        }).AsList();
    }

    /// <summary>The ledger row an activity on a client is anchored to when no contact is named: the client's first head row.</summary>
    /// <returns>Null when the client has no members.</returns>
    public (string Ledger, string CounterpartyId)? Anchor(long clientId)
    {
        using var connection = _store.Open();
        return Anchor(connection, clientId);
    }

    internal (string Ledger, string CounterpartyId)? Anchor(DbConnection connection, long clientId)
    {
        var rows = connection.Query<(string, string)>(_store.Dialect.Top(AnchorSql, 1), new { clientId }).AsList();
        return rows.Count == 0 ? null : rows[0];
    }

    /// <summary>Finds a contact person of a client by <c>ledger:id</c> or by the ledger's id alone.</summary>
    /// <returns>The contact's key and its counterparty, or null when the client has no such contact.</returns>
    public (string Contact, string Ledger, string CounterpartyId)? FindContact(long clientId, string term)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(term);
        var at = term.IndexOf(':', StringComparison.Ordinal);
        using var connection = _store.Open();
        var rows = connection.Query<(string Ledger, string Id, string Counterparty)>(ContactSql, new
        {
            clientId,
            ledger = at < 0 ? null : term[..at].Trim(),
            id = (at < 0 ? term : term[(at + 1)..]).Trim(),
        }).AsList();
        var found = rows.Where(r => at < 0 || r.Ledger == term[..at].Trim()).ToList();
        return found.Count == 1 ? (found[0].Ledger + ":" + found[0].Id, found[0].Ledger, found[0].Counterparty) : null;
    }

    private static ActivityInsert Row(string id, ActivityEntry e, string now) => new(
        id, HostPluginId, e.ClientId, e.Ledger, e.CounterpartyId, e.Kind, e.Subject, e.Notes, now, StoreTime.Format(e.OccurredAt), e.Source,
        e.Contact, e.DealId, e.Manager, e.Channel, e.Direction, e.Outcome, e.ImportLine, e.ImportKey);

    private string NewId() => Guid.CreateVersion7(_store.Time.GetUtcNow()).ToString("N");

    internal const string AnchorSql =
        "SELECT ledger, ledger_id FROM client_members WHERE client_id = @clientId ORDER BY CASE WHEN role = 'head' THEN 0 ELSE 1 END, ledger, ledger_id";

    internal const string ContactSql =
        "SELECT c.ledger, c.ledger_id, c.counterparty_id FROM mirror_contacts c " +
        "JOIN client_members m ON m.ledger = c.ledger AND m.ledger_id = c.counterparty_id WHERE m.client_id = @clientId AND c.ledger_id = @id";

    internal const string Columns =
        "SELECT a.activity_id AS Id, a.client_id AS ClientId, c.display_name AS ClientName, a.kind AS Kind, a.subject AS Subject, a.notes AS Notes, " +
        "a.outcome AS Outcome, a.manager AS Manager, a.channel AS Channel, a.direction AS Direction, a.contact AS Contact, a.deal_id AS DealId, " +
        "a.occurred_at AS OccurredAt, a.recorded_at AS RecordedAt, a.source AS Source, " +
        "a.ledger AS Ledger, a.counterparty_id AS CounterpartyId FROM activities a LEFT JOIN clients c ON c.client_id = a.client_id";

    // Migration 4 filled occurred_at and source for older rows, and every writer sets them since. A client's log includes
    // what was recorded on clients later merged into it.
    internal static string ListSql(bool client, bool manager, bool since) => SqlFilter.Select(Columns, "a.occurred_at DESC, a.activity_id DESC",
        (client, "(a.client_id = @clientId OR a.client_id IN (SELECT r.client_id FROM clients r WHERE r.merged_into = @clientId))"), (manager, "LOWER(a.manager) LIKE @manager ESCAPE '\\'"), (since, "a.occurred_at >= @since"));

    /// <summary>Every statement this class sends itself, for a dialect; tests parse the T-SQL ones. Its writes are <see cref="ActivityWriter"/>'s.</summary>
    internal static IEnumerable<string> Statements(Providers.StoreDialect dialect)
    {
        yield return dialect.Top(AnchorSql, 1);
        yield return ContactSql;
        foreach (var v in SqlFilter.Variants(3))
        {
            yield return dialect.Top(ListSql(v[0], v[1], v[2]), 50);
        }
    }
}
