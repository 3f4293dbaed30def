using System.Data.Common;
using CrmExtensions.Store.Providers;
using Dapper;

namespace CrmExtensions.Store.Reminders;

/// <summary>A reminder to store once per (plugin, key).</summary>
/// <param name="DueOn"><c>yyyy-MM-dd</c>.</param>
/// <param name="At">The instant, as the store writes instants.</param>
/// <param name="Rule">The reminder rule that produced it, or null for a handler's.</param>
/// <param name="Kind"><c>task</c>, or <c>mail</c> when a mail is queued with it.</param>
/// <param name="MailKey">The business key of that mail, or null.</param>
internal sealed record ReminderInsert(
    string PluginId, string Key, string Title, string DueOn, string? Ledger, string? CounterpartyId, string At, string? Rule, string Kind,
    long? ClientId, string? Manager, string? Notes, string? MailKey);

/// <summary>The one writer of the <c>reminders</c> table: reminders from rules and handlers, closed by people or cancelled by their rule.</summary>
/// <remarks>Works on the caller's connection and, when given, its transaction, so a rule's outcome stays one unit. Reminders
/// are added through one prepared command with its parameters reused, so a rule that stores thousands sends one statement
/// text once, and on PostgreSQL a batch of them per round trip (<see cref="Clients.RowWriter.Add"/>): call <see cref="Flush"/>
/// before anything reads the reminders or commits. Dispose it with the transaction.</remarks>
internal sealed class ReminderWriter(DbConnection connection, DbTransaction? transaction, StoreDialect dialect) : IDisposable
{
    private static readonly (string, System.Data.DbType)[] InsertParameters =
    [
        ("pluginId", S), ("key", S), ("title", S), ("dueOn", S), ("ledger", S), ("counterpartyId", S), ("at", S), ("rule", S), ("kind", S),
        ("clientId", System.Data.DbType.Int64), ("manager", S), ("notes", S), ("mailKey", S),
    ];

    private const System.Data.DbType S = System.Data.DbType.String;

    private Clients.RowWriter? _insert;

    internal const string CloseSql =
        "UPDATE reminders SET status = @status, closed_at = @now, closed_by = @by, note = @note, updated_at = @now, done_at = @doneAt " +
        "WHERE plugin_id = @pluginId AND reminder_key = @key AND status = 'open'";

    internal const string SnoozeSql =
        "UPDATE reminders SET due_on = @dueOn, updated_at = @now WHERE plugin_id = @pluginId AND reminder_key = @key AND status = 'open'";

    /// <summary>The insert of one reminder, skipped when the plugin already has a reminder with its key.</summary>
    internal static string InsertSql(StoreDialect dialect) =>
        dialect.InsertIfAbsent("reminders",
            "plugin_id, reminder_key, title, due_on, ledger, counterparty_id, created_at, status, rule_name, kind, client_id, manager, notes, mail_key, updated_at",
            "@pluginId, @key, @title, @dueOn, @ledger, @counterpartyId, @at, 'open', @rule, @kind, @clientId, @manager, @notes, @mailKey, @at",
            ("plugin_id", "pluginId"), ("reminder_key", "key"));

    /// <summary>Every statement for a dialect, for the T-SQL parse test.</summary>
    internal static IEnumerable<string> Statements(StoreDialect dialect) => [InsertSql(dialect), CloseSql, SnoozeSql];

    /// <summary>Stores a reminder unless its plugin already has one with its key (whatever that one's status); on PostgreSQL
    /// the reminder may be held until <see cref="Flush"/> or the batch is full.</summary>
    /// <returns>The reminders added by the statements sent now: where nothing is held, 1 when added, 0 when the key was there.</returns>
    public int Add(ReminderInsert r)
    {
        ArgumentNullException.ThrowIfNull(r);
        _insert ??= new Clients.RowWriter(connection, transaction, InsertSql(dialect), InsertParameters);
        return _insert.Add(r.PluginId, r.Key, r.Title, r.DueOn, r.Ledger, r.CounterpartyId, r.At, r.Rule, r.Kind, r.ClientId, r.Manager, r.Notes, r.MailKey);
    }

    /// <summary>Sends the reminders held.</summary>
    /// <returns>How many of them were added.</returns>
    public int Flush() => _insert?.Flush() ?? 0;

    /// <summary>Closes an open reminder: <c>done</c> or <c>dismissed</c> by a person, <c>cancelled</c> by its rule.</summary>
    /// <param name="by">A person's name, or <c>rule</c>.</param>
    /// <param name="doneAt">When it was done, for <c>done</c>; else null.</param>
    /// <returns>False when it was not open (closed already, or no such reminder); nothing is written then.</returns>
    public bool Close(string pluginId, string key, string status, string by, string? note, string now, string? doneAt) =>
        connection.Execute(CloseSql, new { pluginId, key, status, by, note, now, doneAt }, transaction) == 1;

    /// <summary>Moves an open reminder to another day; false when it was not open.</summary>
    /// <param name="dueOn"><c>yyyy-MM-dd</c>.</param>
    public bool Snooze(string pluginId, string key, string dueOn, string now) =>
        connection.Execute(SnoozeSql, new { pluginId, key, dueOn, now }, transaction) == 1;

    /// <summary>Releases the prepared command.</summary>
    public void Dispose() => _insert?.Dispose();
}
