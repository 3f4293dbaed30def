using System.Data.Common;
using System.Globalization;
using CrmExtensions.Sdk.Shared;
using CrmExtensions.Store.Activities;
using CrmExtensions.Store.Clients;
using CrmExtensions.Store.Deals;
using CrmExtensions.Store.Mirror;
using CrmExtensions.Store.Outbox;
using CrmExtensions.Store.Providers;
using CrmExtensions.Store.Reminders;
using Dapper;

namespace CrmExtensions.Runtime.Storage;

/// <summary>What one unit of plugin writes added.</summary>
/// <param name="Reminders">Reminders stored now (ones already stored are not counted).</param>
/// <param name="Mails">Mails put in the outbox now.</param>
/// <param name="TagWrites">Client tags set or removed.</param>
internal readonly record struct AppliedWrites(int Reminders, int Mails, int TagWrites);

/// <summary>Applies a unit of plugin writes inside the caller's transaction, through the store's writer of each table.</summary>
/// <remarks>Inserts keyed by a business key are insert-if-absent, so a unit applied by two hosts at once adds each row once.</remarks>
internal static class WriteApplier
{
    internal const string DataDeleteSql = "DELETE FROM plugin_data WHERE plugin_id = @pluginId AND data_key = @key";

    internal static string DataUpsertSql(StoreDialect dialect) =>
        dialect.Upsert("plugin_data", ["plugin_id", "data_key"], ["plugin_id", "data_key", "value", "updated_at"]);

    /// <summary>The statements this class sends itself; the rest are the writers'.</summary>
    internal static IEnumerable<string> Statements(StoreDialect dialect) => [DataDeleteSql, DataUpsertSql(dialect)];

    /// <summary>Applies the writes in order; returns how many reminders and mails were new and how many tag writes were made.</summary>
    /// <param name="reminderRule">The reminder rule whose evaluation made the writes, recorded with its reminders; null for handlers.</param>
    /// <param name="holdBack">The rule that holds marketing mail back from clients with unresolved problems; null: its defaults (on).</param>
    public static AppliedWrites Apply(DbConnection connection, DbTransaction transaction, StoreDialect dialect, string pluginId, IReadOnlyList<WriteOp> ops, string now,
        string? reminderRule = null, Store.Campaigns.HoldBackOptions? holdBack = null)
    {
        var reminders = 0;
        var mails = 0;
        var tagWrites = 0;
        using var activities = new ActivityWriter(connection, transaction);
        using var tags = new ClientTagWriter(connection, transaction, dialect);
        var deals = new DealWriter(connection, transaction, dialect);
        using var reminderWriter = new ReminderWriter(connection, transaction, dialect);
        using var outbox = new OutboxWriter(connection, transaction, dialect);
        // Marketing mail to a client with unresolved problems (overdue debt, an open complaint) is recorded, never sent. A rule
        // queues a mail per client, so the problems are read once per day of the unit's mails, not once per mail; an activity
        // the unit adds may be a complaint, so they are read again after one.
        var problems = new Dictionary<DateOnly, IReadOnlySet<long>>();
        IReadOnlySet<long> ProblemClients(DateOnly day, int from)
        {
            if (!problems.TryGetValue(day, out var clients))
            {
                var mailed = ops.Skip(from).OfType<QueueMailOp>().Where(m => m.Marketing && MailDay(m) == day).Select(m => ClientId(m.ClientId)).OfType<long>().ToHashSet();
                problems[day] = clients = Store.Campaigns.UnresolvedProblems.Among(connection, holdBack ?? new(), mailed, day, transaction);
            }

            return clients;
        }

        // The writes of a unit are stamped many to a millisecond, which is all the store keeps of an instant: each
        // millisecond's text is made once.
        var millisecond = long.MinValue;
        var instant = "";
        string At(DateTimeOffset at)
        {
            if (at.UtcTicks / TimeSpan.TicksPerMillisecond != millisecond)
            {
                millisecond = at.UtcTicks / TimeSpan.TicksPerMillisecond;
                instant = Format(at);
            }

            return instant;
        }

        for (var index = 0; index < ops.Count; index++)
        {
            switch (ops[index])
            {
                case AddActivityOp { Activity: var a }:
                    problems.Clear();
                    var recordedAt = At(a.RecordedAt);
                    activities.Add(new ActivityInsert(a.Id, pluginId, ClientId: null, a.Counterparty.Ledger, a.Counterparty.Id, a.Kind, a.Subject, a.Notes,
                        recordedAt, OccurredAt: recordedAt, Source: pluginId));
                    break;
                case OpenDealOp { Deal: var d }:
                    deals.Open(new DealInsert(d.Id, pluginId, d.Pipeline, d.Stage, d.Title, d.Amount is { } amount ? Money.ToStored(amount) : null,
                        Currency: null, ClientId: null, Owner: null, ExpectedClose: null, d.Counterparty.Ledger, d.Counterparty.Id, At(d.CreatedAt)));
                    break;
                case MoveDealOp m:
                    if (!deals.Move(m.DealId, m.From, m.To, At(m.At), m.Outcome, movedBy: pluginId))
                    {
                        // Someone else moved the deal since the plugin read it: the whole unit is void.
                        throw new InvalidOperationException($"Deal '{m.DealId}' is no longer in stage '{m.From}'; the move to '{m.To}' was not made.");
                    }

                    break;
                case AddReminderOp { Reminder: var r } add:
                    reminders += reminderWriter.Add(new ReminderInsert(
                        pluginId, r.Key, r.Title, r.DueOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), r.Counterparty?.Ledger, r.Counterparty?.Id,
                        At(add.At), reminderRule, r.Mail is null ? "task" : "mail", ClientId(r.ClientId), r.Manager, r.Notes, r.Mail?.Key));
                    break;
                case QueueMailOp q:
                    // Plugin mail is plain text; the category decides whether consent applies (marketing) or not (transactional).
                    // Its text is kept once, in body (migration 3's column), which the dispatcher sends when text_body is empty: a
                    // first evaluation queues a mail for every new dunning level, and the text twice was a fifth of what it wrote.
                    var mailClient = ClientId(q.ClientId);
                    var withheld = q.Marketing && mailClient is { } problemClient && ProblemClients(MailDay(q), index).Contains(problemClient);
                    mails += outbox.Add(new OutboxInsert(q.Mail.Key, pluginId, q.Template, q.Mail.To, q.Mail.Subject, q.Mail.Body, withheld ? "withheld" : "queued",
                        q.Marketing ? "marketing" : "transactional", mailClient, ToName: null, HtmlBody: null, TextBody: null, At(q.At)));
                    break;
                case SetDataOp { Value: null } s:
                    connection.Execute(DataDeleteSql, new { pluginId, key = s.Key }, transaction);
                    break;
                case SetDataOp s:
                    connection.Execute(DataUpsertSql(dialect), new { plugin_id = pluginId, data_key = s.Key, value = s.Value, updated_at = now }, transaction);
                    break;
                case SetClientTagOp { Value: null } t:
                    tags.Remove(StoreClientIds.Parse(t.ClientId), t.Name);
                    tagWrites++;
                    break;
                case SetClientTagOp t:
                    tags.Set(StoreClientIds.Parse(t.ClientId), t.Name, t.Value, pluginId, At(t.At));
                    tagWrites++;
                    break;
                default:
                    throw new InvalidOperationException($"Unknown write {ops[index].GetType().Name}.");
            }
        }

        // On PostgreSQL the reminders, mails and tags are sent a batch at a time; the rest are sent before the caller reads
        // or commits. Nothing in the unit reads them back: the problems that hold mail back are debts and activities.
        reminders += reminderWriter.Flush();
        mails += outbox.Flush();
        tags.Flush();
        return new AppliedWrites(reminders, mails, tagWrites);
    }

    /// <summary>The day a mail's holding back is judged on: the UTC day it was queued.</summary>
    private static DateOnly MailDay(QueueMailOp mail) => DateOnly.FromDateTime(mail.At.UtcDateTime);

    /// <summary>The store's number of a client id a reminder or mail names; null for text the store never handed out.</summary>
    private static long? ClientId(string? id) => StoreClientIds.TryParse(id, out var value) ? value : null;

    internal static string Format(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
