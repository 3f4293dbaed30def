using System.Data.Common;
using System.Globalization;
using CrmExtensions.Mail.Consent;
using CrmExtensions.Store;
using CrmExtensions.Store.Internal;
using CrmExtensions.Store.Outbox;
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

    internal const string PendingSql =
        "SELECT COUNT(*) FROM outbox WHERE status = 'sending' OR (" + Due + ")";

    internal const string CountsSql =
        "SELECT status AS Status, COUNT(*) AS Count FROM outbox WHERE @source IS NULL OR COALESCE(source, plugin_id) = @source GROUP BY status";

    internal const string CampaignCountsSql =
        "SELECT source AS Source, status AS Status, COUNT(*) AS Count FROM outbox WHERE source LIKE 'campaign:%' GROUP BY source, status";

    internal const string UnknownSql =
        "SELECT id AS Id, business_key AS BusinessKey, to_address AS ToAddress, subject AS Subject, data_started_at AS DataStartedAt, " +
        "last_error AS LastError FROM outbox WHERE status = 'unknown' AND (@source IS NULL OR COALESCE(source, plugin_id) = @source) ORDER BY id";

    internal const string StatusOfSql = "SELECT status FROM outbox WHERE id = @id";

    private const int EnqueueBatch = 500;
    private readonly CrmStore _store;
    private readonly bool _pin;
    private DbConnection? _pinned;

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
    }

    /// <summary>Every statement this class sends itself, for the T-SQL parse test; its writes are <see cref="OutboxWriter"/>'s.</summary>
    internal static IEnumerable<string> Statements() => [SuppressedSql, Store.Providers.StoreDialect.ExpandedLists(SuppressedAmongSql), PendingSql, CountsSql, CampaignCountsSql, UnknownSql, StatusOfSql];

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
            using var writer = new OutboxWriter(connection, transaction, _store.Dialect);
            var now = StoreTime.Now(_store.Time);
            var batch = messages.Skip(start).Take(EnqueueBatch).ToList();
            var (addresses, clients) = await SuppressedAmongAsync(connection, transaction, batch, cancellationToken).ConfigureAwait(false);
            foreach (var message in batch)
            {
                var marketing = message.Category == MailCategory.Marketing;
                var suppressed = marketing && (addresses.Contains(SuppressionList.Normalize(message.To)) || (message.ClientId is { } id && clients.Contains(id)));
                // A suppressed mail is recorded, not queued: it does not count.
                queued += writer.Add(new OutboxInsert(
                    message.BusinessKey, message.Source, message.Template, message.To.Trim(), message.Subject, "",
                    suppressed ? OutboxStatus.Suppressed : OutboxStatus.Queued, marketing ? Marketing : Transactional, message.ClientId,
                    message.ToName, message.HtmlBody, message.TextBody, now), counted: !suppressed);
            }

            // On PostgreSQL the batch's mails go in one round trip here (the writer holds them); elsewhere each went as added.
            queued += writer.Flush();
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        return queued;
    }

    /// <summary>Of the marketing messages' addresses (normalised) and clients, those on the suppression list: one statement
    /// per batch, as <see cref="SuppressedSql"/> asks of one message.</summary>
    private async Task<(HashSet<string> Addresses, HashSet<long> Clients)> SuppressedAmongAsync(DbConnection connection, DbTransaction transaction,
        List<OutboxMessage> batch, CancellationToken cancellationToken)
    {
        var marketing = batch.Where(m => m.Category == MailCategory.Marketing).ToList();
        var addresses = new HashSet<string>(StringComparer.Ordinal);
        var clients = new HashSet<long>();
        if (marketing.Count == 0)
        {
            return (addresses, clients);
        }

        var asked = marketing.Select(m => SuppressionList.Normalize(m.To)).Distinct(StringComparer.Ordinal).ToArray();
        var askedClients = marketing.Where(m => m.ClientId is not null).Select(m => m.ClientId!.Value).Distinct().ToArray();
        var rows = await connection.QueryAsync<(string Address, long? ClientId)>(new CommandDefinition(_store.Dialect.InLists(SuppressedAmongSql),
            new { addresses = _store.Dialect.List(asked), clients = _store.Dialect.List(askedClients) }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        foreach (var (address, clientId) in rows)
        {
            addresses.Add(address);
            if (clientId is { } id)
            {
                clients.Add(id);
            }
        }

        return (addresses, clients);
    }

    /// <summary>The suppressions of any of a batch's addresses or clients, for <see cref="SuppressedAmongAsync"/>.</summary>
    internal const string SuppressedAmongSql = "SELECT address, client_id FROM mail_suppressions WHERE address IN @addresses OR client_id IN @clients";

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
        var rows = await Writer(lease).ClaimAsync<OutboxRow>(owner, count, StoreTime.Format(leaseUntil), StoreTime.Now(_store.Time), cancellationToken)
            .ConfigureAwait(false);
        return rows.OrderBy(r => r.Id).ToList();
    }

    /// <summary>Records, right before SMTP DATA, that the row's fate will be unknown if the sender dies from now on.</summary>
    /// <returns><see langword="false"/> when the lease was lost: the mail must not be sent.</returns>
    public bool MarkDataStarted(long id, string owner)
    {
        using var lease = Connect();
        return Writer(lease).MarkDataStarted(id, owner, StoreTime.Now(_store.Time));
    }

    /// <summary>Records a mail the server accepted, with its response.</summary>
    public Task<bool> MarkSentAsync(long id, string owner, string response, string messageId, CancellationToken cancellationToken) =>
        WriteAsync((w, now) => w.MarkSentAsync(id, owner, response, messageId, now, cancellationToken));

    /// <summary>Puts a row back for another attempt at <paramref name="next"/> after a temporary failure.</summary>
    public Task<bool> MarkRetryAsync(long id, string owner, DateTimeOffset next, string error, string? response, CancellationToken cancellationToken) =>
        WriteAsync((w, now) => w.MarkRetryAsync(id, owner, StoreTime.Format(next), error, response, now, cancellationToken));

    /// <summary>Ends a row as <c>failed</c>, <c>unknown</c>, <c>suppressed</c> or <c>held</c> (the last two not counted as attempts).</summary>
    public Task<bool> MarkEndedAsync(long id, string owner, string status, string? error, string? response, CancellationToken cancellationToken) =>
        WriteAsync((w, now) => w.MarkEndedAsync(id, owner, status, error, response, counted: status is not (OutboxStatus.Suppressed or OutboxStatus.Held), now, cancellationToken));

    /// <summary>Queues every <c>held</c> marketing mail again (the unsubscribe settings are now there).</summary>
    public Task<int> RequeueHeldAsync(CancellationToken cancellationToken) =>
        WriteAsync((w, now) => w.RequeueHeldAsync(now, cancellationToken));

    /// <summary>Gives back the rows <paramref name="owner"/> claimed but did not start sending.</summary>
    public Task<int> ReleaseAsync(string owner, CancellationToken cancellationToken) =>
        WriteAsync((w, now) => w.ReleaseAsync(owner, now, cancellationToken));

    /// <summary>Takes back rows whose lease expired: re-queued when DATA had not begun, else marked <c>unknown</c>.</summary>
    /// <returns>How many were re-queued and how many became unknown.</returns>
    public Task<(int Requeued, int Unknown)> RecoverExpiredAsync(CancellationToken cancellationToken) =>
        WriteAsync((w, now) => w.RecoverExpiredAsync(now,
            "The dispatcher sending this mail stopped after SMTP DATA began: whether the server accepted it is unknown. " +
            "Check with the recipient, then 'crmx mail retry ID' to send it again.", cancellationToken));

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

    /// <summary>Rows per campaign (the source <c>campaign:ID</c>) and status.</summary>
    public async Task<IReadOnlyList<(string Source, string Status, long Count)>> CountByCampaignAsync(CancellationToken cancellationToken)
    {
        using var lease = Connect();
        var rows = await lease.Connection.QueryAsync<(string Source, string Status, long Count)>(new CommandDefinition(CampaignCountsSql,
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.ToList();
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
        if (await Writer(lease).RequeueAsync(id, StoreTime.Now(_store.Time), cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        var status = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(StatusOfSql, new { id }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        throw new CrmException(status is null
            ? $"There is no mail {id.ToString(CultureInfo.InvariantCulture)} in the outbox; 'crmx mail status --unknown' lists the ones to decide on."
            : $"Mail {id.ToString(CultureInfo.InvariantCulture)} is '{status}': only 'unknown' or 'failed' mail can be queued again.");
    }

    private async Task<T> WriteAsync<T>(Func<OutboxWriter, string, Task<T>> write)
    {
        using var lease = Connect();
        return await write(Writer(lease), StoreTime.Now(_store.Time)).ConfigureAwait(false);
    }

    private OutboxWriter Writer(ConnectionLease lease) => new(lease.Connection, null, _store.Dialect);

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
