using System.Globalization;
using CrmExtensions.Store;
using CrmExtensions.Store.Providers;
using CrmExtensions.Store.Reminders;
using Dapper;

namespace CrmExtensions.Runtime.Reminders;

/// <summary>What becomes of a reminder.</summary>
public enum ReminderStatus
{
    /// <summary>Waiting for someone to act.</summary>
    Open,

    /// <summary>Done by a person.</summary>
    Done,

    /// <summary>Dismissed by a person: nothing to do.</summary>
    Dismissed,

    /// <summary>Cancelled by the host: its rule no longer returns it (the invoice got paid).</summary>
    Cancelled,
}

/// <summary>One stored reminder, as people see it.</summary>
/// <param name="PluginId">The plugin whose rule produced it.</param>
/// <param name="Key">Its business key, unique within the plugin.</param>
/// <param name="Title">What to do.</param>
/// <param name="DueOn">The day its rule gave.</param>
/// <param name="ShownDueOn">The day it is shown as due: <paramref name="DueOn"/>, or the next working day.</param>
/// <param name="Status">Open, done, dismissed or cancelled.</param>
/// <param name="Kind"><c>task</c>, or <c>mail</c> when a mail was queued with it.</param>
/// <param name="Rule">The rule type's name, or null for a reminder a handler added.</param>
/// <param name="Manager">Who should act, or null.</param>
/// <param name="ClientId">The client concerned (given by the rule, else the client of its counterparty), or null.</param>
/// <param name="ClientName">The client's display name, or null.</param>
/// <param name="Counterparty">The ledger counterparty as <c>ledger/id</c>, or null.</param>
/// <param name="Notes">The facts behind it, or null.</param>
/// <param name="ClosedAt">When it was closed (UTC, ISO 8601), or null.</param>
/// <param name="ClosedBy">Who closed it (a person's name, or <c>rule</c>), or null.</param>
/// <param name="Note">What the person wrote when closing it, or null.</param>
public sealed record ReminderEntry(
    string PluginId, string Key, string Title, DateOnly DueOn, DateOnly ShownDueOn, ReminderStatus Status, string Kind, string? Rule,
    string? Manager, string? ClientId, string? ClientName, string? Counterparty, string? Notes, string? ClosedAt, string? ClosedBy, string? Note);

/// <summary>How closing a reminder went.</summary>
public enum CloseOutcome
{
    /// <summary>It was open and is closed now.</summary>
    Closed,

    /// <summary>No reminder has that key.</summary>
    NotFound,

    /// <summary>Several plugins have a reminder with that key: name the plugin.</summary>
    Ambiguous,

    /// <summary>It was closed already; it stays as it was.</summary>
    AlreadyClosed,
}

/// <summary>The store's reminders as people work with them: due lists, listing, done and dismissed.</summary>
/// <remarks>Thread-safe: every call opens its own connection.</remarks>
public sealed class ReminderBook
{
    private const string Columns =
        "SELECT r.plugin_id AS PluginId, r.reminder_key AS ReminderKey, r.title AS Title, r.due_on AS DueOn, r.status AS Status, r.kind AS Kind, " +
        "r.rule_name AS RuleName, r.manager AS Manager, COALESCE(r.client_id, m.client_id) AS ClientId, c.display_name AS ClientName, " +
        "r.ledger AS Ledger, r.counterparty_id AS CounterpartyId, r.notes AS Notes, r.closed_at AS ClosedAt, r.closed_by AS ClosedBy, r.note AS Note " +
        "FROM reminders r LEFT JOIN client_members m ON m.ledger = r.ledger AND m.ledger_id = r.counterparty_id " +
        "LEFT JOIN clients c ON c.client_id = COALESCE(r.client_id, m.client_id) ";

    internal const string DueSql = Columns + "WHERE r.status = 'open' AND r.due_on <= @until ORDER BY r.manager, r.due_on, r.plugin_id, r.reminder_key";

    internal const string DueForManagerSql = Columns + "WHERE r.status = 'open' AND r.due_on <= @until AND r.manager = @manager ORDER BY r.due_on, r.plugin_id, r.reminder_key";

    internal const string ListSql = Columns + "WHERE r.status = @status ORDER BY r.due_on, r.plugin_id, r.reminder_key";

    internal const string ListAllSql = Columns + "ORDER BY r.due_on, r.plugin_id, r.reminder_key";

    internal const string FindSql = "SELECT plugin_id AS PluginId, status AS Status FROM reminders WHERE reminder_key = @key";

    private readonly CrmStore _store;
    private readonly ReminderSettings _settings;

    /// <summary>Creates the book over a store.</summary>
    /// <param name="store">The migrated store.</param>
    /// <param name="settings">The calendar tasks are shown by; <see cref="ReminderSettings.Default"/> when null.</param>
    public ReminderBook(CrmStore store, ReminderSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _settings = settings ?? ReminderSettings.Default;
    }

    internal static IEnumerable<string> Statements(StoreDialect dialect) => [DueSql, DueForManagerSql, ListSql, ListAllSql, FindSql];

    /// <summary>Returns the open reminders shown as due on or before a day, by manager, then day.</summary>
    /// <param name="day">The day; with <paramref name="all"/>, ignored.</param>
    /// <param name="manager">Only this manager's, or everyone's when null.</param>
    /// <param name="all">Every open reminder, due or not.</param>
    /// <returns>The reminders.</returns>
    public IReadOnlyList<ReminderEntry> Due(DateOnly day, string? manager = null, bool all = false)
    {
        var until = all ? "9999-12-31" : Day(_settings.DueBound(day));
        using var connection = _store.Open();
        var rows = manager is null
            ? connection.Query<Row>(DueSql, new { until })
            : connection.Query<Row>(DueForManagerSql, new { until, manager });
        return rows.Select(ToEntry).ToList();
    }

    /// <summary>Returns the reminders with a status, or all of them.</summary>
    /// <param name="status">The status, or null for every reminder.</param>
    /// <returns>The reminders, by due day.</returns>
    public IReadOnlyList<ReminderEntry> List(ReminderStatus? status = null)
    {
        using var connection = _store.Open();
        var rows = status is { } s ? connection.Query<Row>(ListSql, new { status = Name(s) }) : connection.Query<Row>(ListAllSql);
        return rows.Select(ToEntry).ToList();
    }

    /// <summary>Closes an open reminder as done or dismissed; a closed one stays as it is.</summary>
    /// <param name="key">The reminder's key.</param>
    /// <param name="pluginId">The plugin, needed only when several plugins have a reminder with the key.</param>
    /// <param name="status"><see cref="ReminderStatus.Done"/> or <see cref="ReminderStatus.Dismissed"/>.</param>
    /// <param name="by">Who closes it.</param>
    /// <param name="note">Why, or null.</param>
    /// <returns>What happened, and the reminder's status now (null when not found or ambiguous).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="status"/> is not done or dismissed.</exception>
    public (CloseOutcome Outcome, ReminderStatus? Status, IReadOnlyList<string> Plugins) Close(string key, string? pluginId, ReminderStatus status, string by, string? note)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentException.ThrowIfNullOrEmpty(by);
        if (status is not (ReminderStatus.Done or ReminderStatus.Dismissed))
        {
            throw new ArgumentOutOfRangeException(nameof(status), status, "People close reminders as done or dismissed.");
        }

        using var connection = _store.Open();
        var found = Find(connection, key, pluginId);
        if (found.Count != 1)
        {
            return (found.Count == 0 ? CloseOutcome.NotFound : CloseOutcome.Ambiguous, null, Plugins(found));
        }

        var now = Instant(_store.Time.GetUtcNow());
        using var writer = new ReminderWriter(connection, null, _store.Dialect);
        var closed = writer
            .Close(found[0].PluginId, key, Name(status), by, note, now, doneAt: status == ReminderStatus.Done ? now : null);
        return closed
            ? (CloseOutcome.Closed, status, [found[0].PluginId])
            : (CloseOutcome.AlreadyClosed, Parse(found[0].Status), [found[0].PluginId]);
    }

    /// <summary>Moves an open reminder to a later (or earlier) day; the rule that made it does not move it back.</summary>
    /// <returns>What happened: <see cref="CloseOutcome.Closed"/> means it was moved.</returns>
    public (CloseOutcome Outcome, IReadOnlyList<string> Plugins) Snooze(string key, string? pluginId, DateOnly dueOn)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        using var connection = _store.Open();
        var found = Find(connection, key, pluginId);
        if (found.Count != 1)
        {
            return (found.Count == 0 ? CloseOutcome.NotFound : CloseOutcome.Ambiguous, Plugins(found));
        }

        using var writer = new ReminderWriter(connection, null, _store.Dialect);
        var moved = writer.Snooze(found[0].PluginId, key, Day(dueOn), Instant(_store.Time.GetUtcNow()));
        return (moved ? CloseOutcome.Closed : CloseOutcome.AlreadyClosed, [found[0].PluginId]);
    }

    /// <summary>The reminders with a key, of one plugin when named: what a person's done, dismiss or snooze refers to.</summary>
    private static List<(string PluginId, string Status)> Find(System.Data.Common.DbConnection connection, string key, string? pluginId) =>
        connection.Query<(string PluginId, string Status)>(FindSql, new { key }).Where(f => pluginId is null || f.PluginId == pluginId).ToList();

    private static List<string> Plugins(List<(string PluginId, string Status)> found) =>
        found.Count > 1 ? found.Select(f => f.PluginId).Order(StringComparer.Ordinal).ToList() : [];

    /// <summary>Stores a reminder a person set (a follow-up from the contact log), as source <paramref name="source"/>.</summary>
    /// <returns>The reminder's key.</returns>
    public string AddPersonal(string source, string title, DateOnly dueOn, long clientId, string? ledger, string? counterpartyId, string? manager, string? notes)
    {
        ArgumentException.ThrowIfNullOrEmpty(source);
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        var key = "follow-up:" + Guid.NewGuid().ToString("N")[..12];
        using var connection = _store.Open();
        using var writer = new ReminderWriter(connection, null, _store.Dialect);
        writer.Add(new ReminderInsert(source, key, title.Trim(),
            Day(dueOn), ledger, counterpartyId, Instant(_store.Time.GetUtcNow()),
            Rule: null, Kind: "task", clientId, manager, notes, MailKey: null));
        writer.Flush();
        return key;
    }

    /// <summary>The stored name of a status.</summary>
    public static string Name(ReminderStatus status) => status switch
    {
        ReminderStatus.Open => "open",
        ReminderStatus.Done => "done",
        ReminderStatus.Dismissed => "dismissed",
        ReminderStatus.Cancelled => "cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    /// <summary>Parses a stored (or typed) status name.</summary>
    /// <exception cref="ArgumentException">The name is not a status.</exception>
    public static ReminderStatus Parse(string name) => name?.Trim().ToLowerInvariant() switch
    {
        "open" => ReminderStatus.Open,
        "done" => ReminderStatus.Done,
        "dismissed" => ReminderStatus.Dismissed,
        "cancelled" or "canceled" => ReminderStatus.Cancelled,
        _ => throw new ArgumentException($"Unknown reminder status '{name}'; use open, done, dismissed or cancelled.", nameof(name)),
    };

    internal static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    internal static string Instant(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private ReminderEntry ToEntry(Row r)
    {
        var due = DateOnly.ParseExact(r.DueOn, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        return new ReminderEntry(r.PluginId, r.ReminderKey, r.Title, due, _settings.ShownDueOn(due), Parse(r.Status), r.Kind, r.RuleName, r.Manager,
            r.ClientId?.ToString(CultureInfo.InvariantCulture), r.ClientName, r.Ledger is null ? null : r.Ledger + "/" + r.CounterpartyId,
            r.Notes, r.ClosedAt, r.ClosedBy, r.Note);
    }

    private sealed class Row
    {
        public string PluginId { get; set; } = "";
        public string ReminderKey { get; set; } = "";
        public string Title { get; set; } = "";
        public string DueOn { get; set; } = "";
        public string Status { get; set; } = "";
        public string Kind { get; set; } = "";
        public string? RuleName { get; set; }
        public string? Manager { get; set; }
        public long? ClientId { get; set; }
        public string? ClientName { get; set; }
        public string? Ledger { get; set; }
        public string? CounterpartyId { get; set; }
        public string? Notes { get; set; }
        public string? ClosedAt { get; set; }
        public string? ClosedBy { get; set; }
        public string? Note { get; set; }
    }
}
