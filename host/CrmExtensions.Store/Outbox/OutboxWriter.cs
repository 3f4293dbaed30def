using System.Data.Common;
using CrmExtensions.Store.Providers;
using Dapper;

namespace CrmExtensions.Store.Outbox;

/// <summary>A mail to put into the outbox.</summary>
/// <param name="BusinessKey">The business fact the mail is about; a second mail with the same key is not added.</param>
/// <param name="Source">The plugin id or campaign that queued it (stored as its plugin and its source).</param>
/// <param name="Body">The legacy body column: the text body for plugin mail, empty for campaign mail.</param>
/// <param name="Status"><c>queued</c>, or <c>suppressed</c> for marketing mail to a suppressed address.</param>
/// <param name="Category"><c>marketing</c> or <c>transactional</c>.</param>
/// <param name="Now">The instant, as the store writes instants.</param>
internal sealed record OutboxInsert(
    string BusinessKey, string Source, string Template, string To, string Subject, string Body, string Status, string Category, long? ClientId,
    string? ToName, string? HtmlBody, string? TextBody, string Now);

/// <summary>The one writer of the <c>outbox</c> table: enqueue once per business key, claim under leases, record outcomes.</summary>
/// <remarks>
/// Works on the caller's connection and, when given, its transaction, so a plugin's unit of writes stays atomic.
/// Every outcome is written only while the caller still holds the row's lease (<c>lease_owner</c>, <c>status = 'sending'</c>).
/// Plugins (through the runtime), campaigns, the dispatcher and reminder cancellation all write here.
/// </remarks>
internal sealed class OutboxWriter(DbConnection connection, DbTransaction? transaction, StoreDialect dialect) : IDisposable
{
    private const System.Data.DbType S = System.Data.DbType.String;

    private static readonly (string, System.Data.DbType)[] InsertParameters =
    [
        ("key", S), ("source", S), ("template", S), ("to", S), ("subject", S), ("body", S), ("status", S), ("now", S), ("category", S),
        ("clientId", System.Data.DbType.Int64), ("toName", S), ("html", S), ("text", S),
    ];

    // Mails are added through one prepared command with its parameters reused.
    private Clients.RowWriter? _insert;

    private const string Due = "status = 'queued' AND (next_attempt_at IS NULL OR next_attempt_at <= @now)";

    internal const string DataStartedSql =
        "UPDATE outbox SET data_started_at = @now, updated_at = @now WHERE id = @id AND lease_owner = @owner AND status = 'sending'";

    internal const string SentSql =
        "UPDATE outbox SET status = 'sent', attempts = attempts + 1, sent_at = @now, server_response = @response, message_id = @messageId, " +
        "last_error = NULL, lease_until = NULL, updated_at = @now WHERE id = @id AND lease_owner = @owner AND status = 'sending'";

    internal const string RetrySql =
        "UPDATE outbox SET status = 'queued', attempts = attempts + 1, next_attempt_at = @next, last_error = @error, server_response = @response, " +
        "lease_owner = NULL, lease_until = NULL, data_started_at = NULL, updated_at = @now WHERE id = @id AND lease_owner = @owner AND status = 'sending'";

    internal const string EndSql =
        "UPDATE outbox SET status = @status, attempts = attempts + @counted, last_error = @error, server_response = @response, " +
        "lease_until = NULL, updated_at = @now WHERE id = @id AND lease_owner = @owner AND status = 'sending'";

    internal const string ReleaseSql =
        "UPDATE outbox SET status = 'queued', lease_owner = NULL, lease_until = NULL, updated_at = @now " +
        "WHERE lease_owner = @owner AND status = 'sending' AND data_started_at IS NULL";

    internal const string RequeueExpiredSql =
        "UPDATE outbox SET status = 'queued', lease_owner = NULL, lease_until = NULL, updated_at = @now " +
        "WHERE status = 'sending' AND lease_until < @now AND data_started_at IS NULL";

    internal const string UnknownExpiredSql =
        "UPDATE outbox SET status = 'unknown', attempts = attempts + 1, last_error = @error, lease_until = NULL, updated_at = @now " +
        "WHERE status = 'sending' AND lease_until < @now AND data_started_at IS NOT NULL";

    internal const string RequeueSql =
        "UPDATE outbox SET status = 'queued', next_attempt_at = @now, data_started_at = NULL, lease_owner = NULL, lease_until = NULL, " +
        "last_error = NULL, updated_at = @now WHERE id = @id AND status IN ('unknown', 'failed')";

    /// <summary>Marketing mail held for missing unsubscribe settings goes back to the queue once they are set.</summary>
    internal const string RequeueHeldSql =
        "UPDATE outbox SET status = 'queued', next_attempt_at = @now, lease_owner = NULL, lease_until = NULL, last_error = NULL, updated_at = @now " +
        "WHERE status = 'held'";

    /// <summary>A mail not yet handed to the dispatcher is cancelled; one already sent stays sent.</summary>
    internal const string CancelQueuedSql =
        "UPDATE outbox SET status = 'cancelled', updated_at = @now WHERE business_key = @key AND status = 'queued'";

    /// <summary>Every statement for a dialect, for the T-SQL parse test.</summary>
    internal static IEnumerable<string> Statements(StoreDialect dialect) =>
    [
        InsertSql(dialect), ClaimSql(dialect), DataStartedSql, SentSql, RetrySql, EndSql, ReleaseSql, RequeueExpiredSql, UnknownExpiredSql,
        RequeueSql, RequeueHeldSql, CancelQueuedSql,
    ];

    /// <summary>The insert of one message, skipped when its business key is already in the outbox.</summary>
    internal static string InsertSql(StoreDialect dialect) =>
        dialect.InsertIfAbsent("outbox",
            "business_key, plugin_id, template, to_address, subject, body, status, created_at, category, source, client_id, to_name, html_body, " +
            "text_body, attempts, next_attempt_at, updated_at",
            "@key, @source, @template, @to, @subject, @body, @status, @now, @category, @source, @clientId, @toName, @html, @text, 0, @now, @now",
            ("business_key", "key"));

    /// <summary>Takes up to <c>@count</c> due rows under a lease and returns them.</summary>
    internal static string ClaimSql(StoreDialect dialect)
    {
        const string Set = "status = 'sending', lease_owner = @owner, lease_until = @until, data_started_at = NULL, updated_at = @now";
        return dialect.Provider switch
        {
            DatabaseProvider.SqlServer =>
                "WITH batch AS (SELECT TOP (@count) * FROM outbox WITH (READPAST, UPDLOCK, ROWLOCK) WHERE " + Due + " ORDER BY id) " +
                "UPDATE batch SET " + Set + " OUTPUT " + RowColumns("inserted.") + ";",
            DatabaseProvider.PostgreSql =>
                "UPDATE outbox SET " + Set + " WHERE id IN (SELECT id FROM outbox WHERE " + Due + " ORDER BY id LIMIT @count FOR UPDATE SKIP LOCKED) " +
                "RETURNING " + RowColumns(""),
            // SQLite has one writer: the statement runs alone, so no two dispatchers can take the same row.
            _ => "UPDATE outbox SET " + Set + " WHERE id IN (SELECT id FROM outbox WHERE " + Due + " ORDER BY id LIMIT @count) RETURNING " + RowColumns(""),
        };
    }

    private static string RowColumns(string p) =>
        $"{p}id AS Id, {p}business_key AS BusinessKey, {p}category AS Category, COALESCE({p}source, {p}plugin_id) AS Source, " +
        $"{p}template AS Template, {p}to_address AS ToAddress, {p}to_name AS ToName, {p}subject AS Subject, {p}body AS Body, " +
        $"{p}html_body AS HtmlBody, {p}text_body AS TextBody, {p}client_id AS ClientId, {p}attempts AS Attempts";

    /// <summary>Adds a mail unless its business key is already in the outbox; on PostgreSQL the mail may be held until
    /// <see cref="Flush"/> or the batch is full (<see cref="Clients.RowWriter.Add"/>), so call that before anything reads
    /// the outbox or commits.</summary>
    /// <param name="mail">The mail.</param>
    /// <param name="counted">Whether it counts in what this call or <see cref="Flush"/> returns when added.</param>
    /// <returns>The mails added by the statements sent now, of those counted: where nothing is held, 1 when added, 0 when
    /// the key was there.</returns>
    public int Add(OutboxInsert mail, bool counted = true)
    {
        ArgumentNullException.ThrowIfNull(mail);
        return InsertCommand().AddCounted(counted, Values(mail));
    }

    /// <summary>Sends the mails held.</summary>
    /// <returns>How many of them were added, of those counted.</returns>
    public int Flush() => _insert?.Flush() ?? 0;

    /// <summary>Releases the prepared insert.</summary>
    public void Dispose() => _insert?.Dispose();

    private Clients.RowWriter InsertCommand() => _insert ??= new Clients.RowWriter(connection, transaction, InsertSql(dialect), InsertParameters);

    private static object?[] Values(OutboxInsert m) =>
        [m.BusinessKey, m.Source, m.Template, m.To, m.Subject, m.Body, m.Status, m.Now, m.Category, m.ClientId, m.ToName, m.HtmlBody, m.TextBody];

    /// <summary>Claims up to <paramref name="count"/> due rows for <paramref name="owner"/> until <paramref name="until"/>.</summary>
    /// <returns>The claimed rows, in no particular order.</returns>
    public Task<IEnumerable<T>> ClaimAsync<T>(string owner, int count, string until, string now, CancellationToken cancellationToken) =>
        connection.QueryAsync<T>(new CommandDefinition(ClaimSql(dialect), new { owner, count, until, now }, transaction, cancellationToken: cancellationToken));

    /// <summary>Records, right before SMTP DATA, that the row's fate will be unknown if the sender dies from now on.</summary>
    /// <returns><see langword="false"/> when the lease was lost.</returns>
    public bool MarkDataStarted(long id, string owner, string now) =>
        connection.Execute(DataStartedSql, new { id, owner, now }, transaction) == 1;

    /// <summary>Records a mail the server accepted; false when the lease was lost.</summary>
    public Task<bool> MarkSentAsync(long id, string owner, string response, string messageId, string now, CancellationToken cancellationToken) =>
        ExecuteOneAsync(SentSql, new { id, owner, response, messageId, now }, cancellationToken);

    /// <summary>Puts a leased row back for another attempt at <paramref name="next"/>; false when the lease was lost.</summary>
    public Task<bool> MarkRetryAsync(long id, string owner, string next, string error, string? response, string now, CancellationToken cancellationToken) =>
        ExecuteOneAsync(RetrySql, new { id, owner, next, error, response, now }, cancellationToken);

    /// <summary>Ends a leased row with a status; <paramref name="counted"/> says whether it counts as an attempt.</summary>
    public Task<bool> MarkEndedAsync(long id, string owner, string status, string? error, string? response, bool counted, string now, CancellationToken cancellationToken) =>
        ExecuteOneAsync(EndSql, new { id, owner, status, error, response, counted = counted ? 1 : 0, now }, cancellationToken);

    /// <summary>Gives back the rows <paramref name="owner"/> claimed but did not start sending.</summary>
    public Task<int> ReleaseAsync(string owner, string now, CancellationToken cancellationToken) =>
        ExecuteAsync(ReleaseSql, new { owner, now }, cancellationToken);

    /// <summary>Takes back rows whose lease expired: re-queued when DATA had not begun, else marked <c>unknown</c> with <paramref name="error"/>.</summary>
    public async Task<(int Requeued, int Unknown)> RecoverExpiredAsync(string now, string error, CancellationToken cancellationToken)
    {
        var requeued = await ExecuteAsync(RequeueExpiredSql, new { now }, cancellationToken).ConfigureAwait(false);
        var unknown = await ExecuteAsync(UnknownExpiredSql, new { now, error }, cancellationToken).ConfigureAwait(false);
        return (requeued, unknown);
    }

    /// <summary>Queues an <c>unknown</c> or <c>failed</c> mail again; false when there is no such row in such a status.</summary>
    public Task<bool> RequeueAsync(long id, string now, CancellationToken cancellationToken) =>
        ExecuteOneAsync(RequeueSql, new { id, now }, cancellationToken);

    /// <summary>Queues every <c>held</c> mail again.</summary>
    /// <returns>How many.</returns>
    public Task<int> RequeueHeldAsync(string now, CancellationToken cancellationToken) =>
        ExecuteAsync(RequeueHeldSql, new { now }, cancellationToken);

    /// <summary>Cancels the mail with a business key if it is still queued.</summary>
    /// <returns>1 when cancelled, else 0.</returns>
    public int CancelQueued(string businessKey, string now) =>
        connection.Execute(CancelQueuedSql, new { key = businessKey, now }, transaction);

    private async Task<bool> ExecuteOneAsync(string sql, object parameters, CancellationToken cancellationToken) =>
        await ExecuteAsync(sql, parameters, cancellationToken).ConfigureAwait(false) == 1;

    private Task<int> ExecuteAsync(string sql, object parameters, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(sql, parameters, transaction, cancellationToken: cancellationToken));
}
