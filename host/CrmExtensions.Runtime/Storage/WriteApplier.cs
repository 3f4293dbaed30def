using System.Data.Common;
using System.Globalization;
using CrmExtensions.Sdk.Shared;
using CrmExtensions.Store.Clients;
using CrmExtensions.Store.Mirror;
using CrmExtensions.Store.Providers;
using Dapper;

namespace CrmExtensions.Runtime.Storage;

/// <summary>Applies a unit of plugin writes inside the caller's transaction.</summary>
/// <remarks>Inserts keyed by a business key are insert-if-absent, so a unit applied by two hosts at once adds each row once.</remarks>
internal static class WriteApplier
{
    // The client is the counterparty's at the time of writing, so the contact log and deals of a client include what plugins wrote.
    internal const string ActivityInsertSql =
        "INSERT INTO activities (activity_id, plugin_id, kind, subject, notes, ledger, counterparty_id, recorded_at, occurred_at, source, client_id) " +
        "SELECT @id, @pluginId, @kind, @subject, @notes, @ledger, @counterpartyId, @recordedAt, @recordedAt, @pluginId, " +
        "(SELECT m.client_id FROM client_members m WHERE m.ledger = @ledger AND m.ledger_id = @counterpartyId)";

    internal const string DealInsertSql =
        "INSERT INTO deals (deal_id, plugin_id, pipeline, stage, title, amount, ledger, counterparty_id, created_at, updated_at, number, client_id) " +
        "SELECT @id, @pluginId, @pipeline, @stage, @title, @amount, @ledger, @counterpartyId, @createdAt, @createdAt, COALESCE(MAX(d.number), 0) + 1, " +
        "(SELECT m.client_id FROM client_members m WHERE m.ledger = @ledger AND m.ledger_id = @counterpartyId) FROM deals d";

    internal const string DealMoveSql =
        "UPDATE deals SET stage = @to, updated_at = @at, outcome = @outcome, closed_at = @closedAt WHERE deal_id = @dealId AND stage = @from";

    internal const string DealMoveLogSql =
        "INSERT INTO deal_moves (deal_id, from_stage, to_stage, moved_at, moved_by, refused) VALUES (@dealId, @from, @to, @at, @pluginId, 0)";

    internal const string ReminderInsertSql =
        "INSERT INTO reminders (plugin_id, reminder_key, title, due_on, ledger, counterparty_id, created_at, status, rule_name, kind, client_id, manager, notes, mail_key, updated_at) " +
        "SELECT @pluginId, @key, @title, @dueOn, @ledger, @counterpartyId, @at, 'open', @rule, @kind, @clientId, @manager, @notes, @mailKey, @at " +
        "WHERE NOT EXISTS (SELECT 1 FROM reminders WHERE plugin_id = @pluginId AND reminder_key = @key)";

    // Plugin mail is plain text; the category decides whether consent applies (marketing) or not (transactional).
    internal const string MailInsertSql =
        "INSERT INTO outbox (business_key, plugin_id, template, to_address, subject, body, status, created_at, category, source, client_id, text_body) " +
        "SELECT @key, @pluginId, @template, @to, @subject, @body, 'queued', @at, @category, @pluginId, @clientId, @body " +
        "WHERE NOT EXISTS (SELECT 1 FROM outbox WHERE business_key = @key)";

    internal const string DataDeleteSql = "DELETE FROM plugin_data WHERE plugin_id = @pluginId AND data_key = @key";

    internal const string TagDeleteSql = "DELETE FROM client_tags WHERE client_id = @client_id AND name = @name";

    internal static string TagUpsertSql(StoreDialect dialect) =>
        dialect.Upsert("client_tags", ["client_id", "name"], ["client_id", "name", "value", "plugin_id", "updated_at"]);

    internal static string DataUpsertSql(StoreDialect dialect) =>
        dialect.Upsert("plugin_data", ["plugin_id", "data_key"], ["plugin_id", "data_key", "value", "updated_at"]);

    internal static IEnumerable<string> Statements(StoreDialect dialect) =>
        [ActivityInsertSql, DealInsertSql, DealMoveSql, DealMoveLogSql, ReminderInsertSql, MailInsertSql, DataDeleteSql, DataUpsertSql(dialect), TagDeleteSql, TagUpsertSql(dialect)];

    /// <summary>Applies the writes in order; returns how many reminders and mails were new.</summary>
    /// <param name="reminderRule">The reminder rule whose evaluation made the writes, recorded with its reminders; null for handlers.</param>
    public static (int Reminders, int Mails) Apply(DbConnection connection, DbTransaction transaction, StoreDialect dialect, string pluginId, IReadOnlyList<WriteOp> ops, string now,
        string? reminderRule = null)
    {
        var reminders = 0;
        var mails = 0;
        using var tags = new TagWriter(connection, transaction, dialect, pluginId);
        foreach (var op in ops)
        {
            switch (op)
            {
                case AddActivityOp a:
                    connection.Execute(ActivityInsertSql, new
                    {
                        id = a.Activity.Id, pluginId, kind = a.Activity.Kind, subject = a.Activity.Subject, notes = a.Activity.Notes,
                        ledger = a.Activity.Counterparty.Ledger, counterpartyId = a.Activity.Counterparty.Id, recordedAt = Format(a.Activity.RecordedAt),
                    }, transaction);
                    break;
                case OpenDealOp d:
                    connection.Execute(DealInsertSql, new
                    {
                        id = d.Deal.Id, pluginId, pipeline = d.Deal.Pipeline, stage = d.Deal.Stage, title = d.Deal.Title,
                        amount = d.Deal.Amount is { } amount ? Money.ToStored(amount) : (long?)null,
                        ledger = d.Deal.Counterparty.Ledger, counterpartyId = d.Deal.Counterparty.Id, createdAt = Format(d.Deal.CreatedAt),
                    }, transaction);
                    break;
                case MoveDealOp m:
                    var moved = connection.Execute(DealMoveSql, new
                    {
                        dealId = m.DealId, from = m.From, to = m.To, at = Format(m.At), outcome = m.Outcome, closedAt = m.Outcome is null ? null : Format(m.At),
                    }, transaction);
                    if (moved == 0)
                    {
                        // Someone else moved the deal since the plugin read it: the whole unit is void.
                        throw new InvalidOperationException($"Deal '{m.DealId}' is no longer in stage '{m.From}'; the move to '{m.To}' was not made.");
                    }

                    connection.Execute(DealMoveLogSql, new { dealId = m.DealId, from = m.From, to = m.To, at = Format(m.At), pluginId }, transaction);
                    break;
                case AddReminderOp r:
                    reminders += connection.Execute(ReminderInsertSql, new
                    {
                        pluginId, key = r.Reminder.Key, title = r.Reminder.Title,
                        dueOn = r.Reminder.DueOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                        ledger = r.Reminder.Counterparty?.Ledger, counterpartyId = r.Reminder.Counterparty?.Id, at = Format(r.At),
                        rule = reminderRule, kind = r.Reminder.Mail is null ? "task" : "mail", clientId = ClientId(r.Reminder.ClientId),
                        manager = r.Reminder.Manager, notes = r.Reminder.Notes, mailKey = r.Reminder.Mail?.Key,
                    }, transaction);
                    break;
                case QueueMailOp q:
                    mails += connection.Execute(MailInsertSql, new
                    {
                        key = q.Mail.Key, pluginId, template = q.Template, to = q.Mail.To, subject = q.Mail.Subject, body = q.Mail.Body, at = Format(q.At),
                        category = q.Marketing ? "marketing" : "transactional", clientId = ClientId(q.ClientId),
                    }, transaction);
                    break;
                case SetDataOp { Value: null } s:
                    connection.Execute(DataDeleteSql, new { pluginId, key = s.Key }, transaction);
                    break;
                case SetDataOp s:
                    connection.Execute(DataUpsertSql(dialect), new { plugin_id = pluginId, data_key = s.Key, value = s.Value, updated_at = now }, transaction);
                    break;
                case SetClientTagOp t:
                    tags.Write(t);
                    break;
                default:
                    throw new InvalidOperationException($"Unknown write {op.GetType().Name}.");
            }
        }

        return (reminders, mails);
    }

    /// <summary>Client ids are numbers in the store and strings in the SDK; one that is not a number is not a client of ours.</summary>
    private static long? ClientId(string? id) =>
        long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;

    internal static string Format(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Client tags through two commands reused for the whole unit: a rule may tag every one of a million clients.</summary>
    private sealed class TagWriter(DbConnection connection, DbTransaction transaction, StoreDialect dialect, string pluginId) : IDisposable
    {
        private RowWriter? _upsert;
        private RowWriter? _delete;

        public void Write(SetClientTagOp op)
        {
            if (op.Value is null)
            {
                _delete ??= new RowWriter(connection, transaction, TagDeleteSql, "client_id", "name");
                _delete.Execute(op.ClientId, op.Name);
                return;
            }

            _upsert ??= new RowWriter(connection, transaction, TagUpsertSql(dialect), "client_id", "name", "value", "plugin_id", "updated_at");
            _upsert.Execute(op.ClientId, op.Name, op.Value, pluginId, Format(op.At));
        }

        public void Dispose()
        {
            _upsert?.Dispose();
            _delete?.Dispose();
        }
    }
}
