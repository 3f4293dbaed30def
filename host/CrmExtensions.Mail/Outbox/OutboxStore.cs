using System.Data.Common;
using System.Globalization;
using CrmExtensions.Mail.Consent;
using CrmExtensions.Store;
using CrmExtensions.Store.Internal;
using CrmExtensions.Store.Providers;
using Dapper;

namespace CrmExtensions.Mail.Outbox;

/// <summary>The outbox table: enqueue once per business key, claim under leases, record each outcome.</summary>
/// <remarks>
/// Thread-safe; several host processes may share one store. A claim is a lease taken with the database's own row
/// locking (<c>FOR UPDATE SKIP LOCKED</c> on PostgreSQL, <c>READPAST, UPDLOCK</c> on SQL Server, the single writer
/// on SQLite). Every outcome is written only while the writer still holds the row's lease.
/// </remarks>
public sealed class OutboxStore : IDisposable
{
    internal const string Marketing = "marketing";
    internal const string Transactional = "transactional";

    private const string Due = "status = 'queued' AND (next_attempt_at IS NULL OR next_attempt_at <= @now)";

    internal const string SuppressedSql =
        "SELECT COUNT(*) FROM mail_suppressions WHERE address = @address OR (client_id IS NOT NULL AND client_id = @clientId)";

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

    internal const string PendingSql =
        "SELECT COUNT(*) FROM outbox WHERE status = 'sending' OR (" + Due + ")";

    internal const string CountsSql =
        "SELECT status AS Status, COUNT(*) AS Count FROM outbox WHERE @source IS NULL OR COALESCE(source, plugin_id) = @source GROUP BY status";

    internal const string UnknownSql =
        "SELECT id AS Id, business_key AS BusinessKey, to_address AS ToAddress, subject AS Subject, data_started_at AS DataStartedAt, " +
        "last_error AS LastError FROM outbox WHERE status = 'unknown' AND (@source IS NULL OR COALESCE(source, plugin_id) = @source) ORDER BY id";

    internal const string RetryByPersonSql =
        "UPDATE outbox SET status = 'queued', next_attempt_at = @now, data_started_at = NULL, lease_owner = NULL, lease_until = NULL, " +
        "last_error = NULL, updated_at = @now WHERE id = @id AND status IN ('unknown', 'failed')";

    internal const string StatusOfSql = "SELECT status FROM outbox WHERE id = @id";

    private const int EnqueueBatch = 500;
    private readonly CrmStore _store;
    private readonly bool _pin;
    private DbConnection? _pinned;
    private readonly string _enqueueSql;
    private readonly string _claimSql;

    /// <summary>Creates the outbox of a store; the store must be migrated.</summary>
    public OutboxStore(CrmStore store)
        : this(store, pinned: false)
    {
    }

    /// <summary>Creates the outbox of a store; <paramref name="pinned"/> keeps one connection for every call (one caller at a time) until disposed.</summary>
    internal OutboxStore(CrmStore store, bool pinned)
    {
        _pin = pinned;
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _enqueueSql = EnqueueSql(store.Dialect);
        _claimSql = ClaimSql(store.Dialect);
    }

    /// <summary>Every statement for a dialect, for the T-SQL parse test.</summary>
    internal static IEnumerable<string> Statements(StoreDialect dialect) =>
    [
        EnqueueSql(dialect), ClaimSql(dialect), SuppressedSql, DataStartedSql, SentSql, RetrySql, EndSql, ReleaseSql, RequeueExpiredSql,
        UnknownExpiredSql, PendingSql, CountsSql, UnknownSql, RetryByPersonSql, StatusOfSql,
    ];

    /// <summary>The insert of one message, skipped when its business key is already in the outbox.</summary>
    internal static string EnqueueSql(StoreDialect dialect)
    {
        const string Insert =
            "INSERT INTO outbox (business_key, plugin_id, template, to_address, subject, body, status, created_at, category, source, client_id, " +
            "to_name, html_body, text_body, attempts, next_attempt_at, updated_at) " +
            "SELECT @key, @source, @template, @to, @subject, '', @status, @now, @category, @source, @clientId, @toName, @html, @text, 0, @now, @now";
        return dialect.Provider == DatabaseProvider.SqlServer
            ? Insert + " WHERE NOT EXISTS (SELECT 1 FROM outbox WITH (UPDLOCK, HOLDLOCK) WHERE business_key = @key)"
            : Insert + " WHERE 1 = 1 ON CONFLICT (business_key) DO NOTHING";
    }

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

    /// <summary>Puts messages into the outbox in batches; a business key already present is skipped.</summary>
    /// <remarks>
    /// A marketing message to a suppressed address or client is recorded as <c>suppressed</c> and never sent.
    /// Safe to call from several processes at once: each business key is inserted once on every provider.
    /// </remarks>
    /// <returns>How many messages were newly queued for sending.</returns>
    public async Task<int> EnqueueAsync(IReadOnlyList<OutboxMessage> messages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var queued = 0;
        using var lease = Connect();
        var connection = lease.Connection;
        for (var start = 0; start < messages.Count; start += EnqueueBatch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var now = StoreTime.Now(_store.Time);
            foreach (var message in messages.Skip(start).Take(EnqueueBatch))
            {
                var marketing = message.Category == MailCategory.Marketing;
                var suppressed = marketing && await IsSuppressedAsync(connection, transaction, message.To, message.ClientId, cancellationToken).ConfigureAwait(false);
                var inserted = await connection.ExecuteAsync(new CommandDefinition(_enqueueSql, new
                {
                    key = message.BusinessKey, source = message.Source, template = message.Template, to = message.To.Trim(), subject = message.Subject,
                    status = suppressed ? OutboxStatus.Suppressed : OutboxStatus.Queued, now, category = marketing ? Marketing : Transactional,
                    clientId = message.ClientId, toName = message.ToName, html = message.HtmlBody, text = message.TextBody,
                }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
                queued += suppressed ? 0 : inserted;
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        return queued;
    }

    /// <summary>Whether an address or client is on the suppression list.</summary>
    public async Task<bool> IsSuppressedAsync(string address, long? clientId, CancellationToken cancellationToken)
    {
        using var lease = Connect();
        var connection = lease.Connection;
        return await IsSuppressedAsync(connection, null, address, clientId, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<bool> IsSuppressedAsync(DbConnection connection, DbTransaction? transaction, string address, long? clientId, CancellationToken cancellationToken) =>
        await connection.ExecuteScalarAsync<long>(new CommandDefinition(SuppressedSql,
            new { address = SuppressionList.Normalize(address), clientId }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false) > 0;

    /// <summary>Claims up to <paramref name="count"/> due rows for <paramref name="owner"/> until <paramref name="leaseUntil"/>.</summary>
    public async Task<IReadOnlyList<OutboxRow>> ClaimAsync(string owner, int count, DateTimeOffset leaseUntil, CancellationToken cancellationToken)
    {
        using var lease = Connect();
        var connection = lease.Connection;
        var rows = await connection.QueryAsync<OutboxRow>(new CommandDefinition(_claimSql, new
        {
            owner, count, until = StoreTime.Format(leaseUntil), now = StoreTime.Now(_store.Time),
        }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.OrderBy(r => r.Id).ToList();
    }

    /// <summary>Records, right before SMTP DATA, that the row's fate will be unknown if the sender dies from now on.</summary>
    /// <returns><see langword="false"/> when the lease was lost: the mail must not be sent.</returns>
    public bool MarkDataStarted(long id, string owner)
    {
        using var lease = Connect();
        var connection = lease.Connection;
        return connection.Execute(DataStartedSql, new { id, owner, now = StoreTime.Now(_store.Time) }) == 1;
    }

    /// <summary>Records a mail the server accepted, with its response.</summary>
    public Task<bool> MarkSentAsync(long id, string owner, string response, string messageId, CancellationToken cancellationToken) =>
        ExecuteOneAsync(SentSql, new { id, owner, response, messageId, now = StoreTime.Now(_store.Time) }, cancellationToken);

    /// <summary>Puts a row back for another attempt at <paramref name="next"/> after a temporary failure.</summary>
    public Task<bool> MarkRetryAsync(long id, string owner, DateTimeOffset next, string error, string? response, CancellationToken cancellationToken) =>
        ExecuteOneAsync(RetrySql, new { id, owner, next = StoreTime.Format(next), error, response, now = StoreTime.Now(_store.Time) }, cancellationToken);

    /// <summary>Ends a row as <c>failed</c>, <c>unknown</c> or <c>suppressed</c>.</summary>
    public Task<bool> MarkEndedAsync(long id, string owner, string status, string? error, string? response, CancellationToken cancellationToken) =>
        ExecuteOneAsync(EndSql, new
        {
            id, owner, status, error, response, counted = status == OutboxStatus.Suppressed ? 0 : 1, now = StoreTime.Now(_store.Time),
        }, cancellationToken);

    /// <summary>Gives back the rows <paramref name="owner"/> claimed but did not start sending.</summary>
    public Task<int> ReleaseAsync(string owner, CancellationToken cancellationToken) =>
        ExecuteAsync(ReleaseSql, new { owner, now = StoreTime.Now(_store.Time) }, cancellationToken);

    /// <summary>Takes back rows whose lease expired: re-queued when DATA had not begun, else marked <c>unknown</c>.</summary>
    /// <returns>How many were re-queued and how many became unknown.</returns>
    public async Task<(int Requeued, int Unknown)> RecoverExpiredAsync(CancellationToken cancellationToken)
    {
        var now = StoreTime.Now(_store.Time);
        var requeued = await ExecuteAsync(RequeueExpiredSql, new { now }, cancellationToken).ConfigureAwait(false);
        var unknown = await ExecuteAsync(UnknownExpiredSql, new
        {
            now,
            error = "The dispatcher sending this mail stopped after SMTP DATA began: whether the server accepted it is unknown. " +
                "Check with the recipient, then 'crmx mail retry ID' to send it again.",
        }, cancellationToken).ConfigureAwait(false);
        return (requeued, unknown);
    }

    /// <summary>How many rows are being sent or due now.</summary>
    public async Task<long> CountPendingAsync(CancellationToken cancellationToken)
    {
        using var lease = Connect();
        var connection = lease.Connection;
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(PendingSql, new { now = StoreTime.Now(_store.Time) },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>Rows per status, optionally of one source.</summary>
    public async Task<IReadOnlyDictionary<string, long>> CountByStatusAsync(string? source, CancellationToken cancellationToken)
    {
        using var lease = Connect();
        var connection = lease.Connection;
        var rows = await connection.QueryAsync<(string Status, long Count)>(new CommandDefinition(CountsSql, new { source },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.ToDictionary(r => r.Status, r => r.Count, StringComparer.Ordinal);
    }

    /// <summary>The mails whose fate is unknown, oldest first.</summary>
    public async Task<IReadOnlyList<UnknownMail>> ListUnknownAsync(string? source, CancellationToken cancellationToken)
    {
        using var lease = Connect();
        var connection = lease.Connection;
        return (await connection.QueryAsync<UnknownMail>(new CommandDefinition(UnknownSql, new { source },
            cancellationToken: cancellationToken)).ConfigureAwait(false)).ToList();
    }

    /// <summary>Queues an <c>unknown</c> or <c>failed</c> mail again because a person said so.</summary>
    /// <exception cref="CrmException">No such row, or its status does not allow it.</exception>
    public async Task RetryAsync(long id, CancellationToken cancellationToken)
    {
        using var lease = Connect();
        var connection = lease.Connection;
        var now = StoreTime.Now(_store.Time);
        if (await connection.ExecuteAsync(new CommandDefinition(RetryByPersonSql, new { id, now }, cancellationToken: cancellationToken)).ConfigureAwait(false) == 1)
        {
            return;
        }

        var status = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(StatusOfSql, new { id }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        throw new CrmException(status is null
            ? $"There is no mail {id.ToString(CultureInfo.InvariantCulture)} in the outbox; 'crmx mail status --unknown' lists the ones to decide on."
            : $"Mail {id.ToString(CultureInfo.InvariantCulture)} is '{status}': only 'unknown' or 'failed' mail can be queued again.");
    }

    private async Task<bool> ExecuteOneAsync(string sql, object parameters, CancellationToken cancellationToken) =>
        await ExecuteAsync(sql, parameters, cancellationToken).ConfigureAwait(false) == 1;

    private async Task<int> ExecuteAsync(string sql, object parameters, CancellationToken cancellationToken)
    {
        using var lease = Connect();
        var connection = lease.Connection;
        return await connection.ExecuteAsync(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>Closes the pinned connection, if any.</summary>
    public void Dispose()
    {
        _pinned?.Dispose();
        _pinned = null;
    }

    // A dispatcher writes two or three small statements per mail: reusing its connection saves opening one each time.
    private ConnectionLease Connect() => _pin ? new ConnectionLease(_pinned ??= _store.Open(), owned: false) : new ConnectionLease(_store.Open(), owned: true);

    private readonly struct ConnectionLease(DbConnection connection, bool owned) : IDisposable
    {
        public DbConnection Connection { get; } = connection;

        public void Dispose()
        {
            if (owned)
            {
                Connection.Dispose();
            }
        }
    }
}
