using System.Globalization;
using CrmExtensions.Mail.Consent;
using CrmExtensions.Mail.Outbox;
using CrmExtensions.Store;

namespace CrmExtensions.Mail.Delivery;

/// <summary>How a dispatcher sends: where to, how fast, how many rows per claim and how long a claim holds.</summary>
public sealed class DispatchOptions
{
    /// <summary>Gets the sender address.</summary>
    public required string From { get; init; }

    /// <summary>Gets the SMTP server, or null to write .eml files into <see cref="PickupDirectory"/>.</summary>
    public SmtpSettings? Smtp { get; init; }

    /// <summary>Gets the pickup folder used when <see cref="Smtp"/> is null.</summary>
    public string PickupDirectory { get; init; } = "outbox";

    /// <summary>Gets the links marketing mail carries; marketing mail is not sent without them.</summary>
    public UnsubscribeLinks? Unsubscribe { get; init; }

    /// <summary>Gets how many rows one claim takes.</summary>
    /// <value>50 by default.</value>
    public int BatchSize { get; init; } = 50;

    /// <summary>Gets how long a claim holds before another dispatcher may take its unsent rows back.</summary>
    /// <value>Two minutes by default, plus the throttle's spacing for a whole batch.</value>
    public TimeSpan Lease { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Gets how long to wait before looking again when nothing is due.</summary>
    /// <value>One second by default.</value>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets the first retry delay after a temporary failure; each later one doubles, up to an hour.</summary>
    /// <value>30 seconds by default.</value>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets this dispatcher's name in <c>outbox.lease_owner</c>; unique per process by default.</summary>
    public string Owner { get; init; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}"[..^24];
}

/// <summary>What one dispatcher run did.</summary>
public sealed record DispatchSummary(int Sent, int Retried, int Failed, int Unknown, int Suppressed)
{
    /// <summary>Gets the marketing rows held because the unsubscribe settings are missing.</summary>
    public int Held { get; init; }

    /// <summary>Gets the rows that reached an outcome or were put back for later.</summary>
    public int Total => Sent + Retried + Failed + Unknown + Suppressed + Held;

    internal DispatchSummary Add(DeliveryOutcome outcome, bool retried) => outcome switch
    {
        DeliveryOutcome.Sent => this with { Sent = Sent + 1 },
        DeliveryOutcome.Temporary when retried => this with { Retried = Retried + 1 },
        DeliveryOutcome.Temporary or DeliveryOutcome.Permanent => this with { Failed = Failed + 1 },
        DeliveryOutcome.Unknown => this with { Unknown = Unknown + 1 },
        _ => this,
    };
}

/// <summary>Claims outbox rows under leases and delivers them, one connection reused, throttled, with retries.</summary>
/// <remarks>
/// Several dispatchers (threads or host processes) may run on one store: each row is claimed by one. A row is marked
/// right before SMTP DATA; after that, a crash or a dropped connection leaves it <c>unknown</c>, never re-sent blindly.
/// One instance runs one loop at a time.
/// </remarks>
public sealed class MailDispatcher
{
    /// <summary>The reason stored on marketing mail held for missing unsubscribe settings.</summary>
    public const string HeldReason =
        "Marketing mail must carry an unsubscribe link: set 'mail:unsubscribe:baseUrl' and 'mail:unsubscribe:secret'; held mail is queued again by the next dispatch.";

    private readonly CrmStore _store;
    private readonly DispatchOptions _options;
    private readonly MailComposer _composer;
    private readonly Throttle _throttle;
    private readonly Func<IMailTransport> _transport;

    /// <summary>Creates a dispatcher for a migrated store.</summary>
    /// <exception cref="CrmException">The sender address is not an e-mail address.</exception>
    public MailDispatcher(CrmStore store, DispatchOptions options)
        : this(store, options, null)
    {
    }

    internal MailDispatcher(CrmStore store, DispatchOptions options, Func<IMailTransport>? transport)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        _store = store;
        _options = options;
        _composer = new MailComposer(options.From, options.Unsubscribe);
        _throttle = new Throttle(options.Smtp?.MessagesPerMinute ?? 0, store.Time);
        _transport = transport ?? (options.Smtp is { } smtp ? () => new SmtpTransport(smtp) : () => new PickupTransport(options.PickupDirectory));
    }

    /// <summary>Sends what is due now and returns; what <c>crmx run</c> calls each cycle.</summary>
    /// <remarks>Does not wait for rows other dispatchers hold, nor for retries due later.</remarks>
    public Task<DispatchSummary> DispatchDueAsync(CancellationToken cancellationToken) => RunCoreAsync(DispatchUntil.NothingDue, cancellationToken);

    /// <summary>Sends until the outbox is drained (<paramref name="once"/>), or until cancelled.</summary>
    /// <remarks>
    /// Drained means nothing is due and no dispatcher holds a row. On cancellation the message in flight is finished and
    /// unstarted claims are given back at once.
    /// </remarks>
    public Task<DispatchSummary> RunAsync(bool once, CancellationToken cancellationToken) =>
        RunCoreAsync(once ? DispatchUntil.Drained : DispatchUntil.Cancelled, cancellationToken);

    private async Task<DispatchSummary> RunCoreAsync(DispatchUntil until, CancellationToken cancellationToken)
    {
        var summary = new DispatchSummary(0, 0, 0, 0, 0);
        var owner = _options.Owner;
        var batch = Math.Max(1, _throttle.Enabled ? Math.Min(_options.BatchSize, (int)Math.Max(1, TimeSpan.FromSeconds(10) / _throttle.Interval)) : _options.BatchSize);
        var transport = _transport();
        using var outbox = new OutboxStore(_store, pinned: true);
        if (_options.Unsubscribe is not null)
        {
            await outbox.RequeueHeldAsync(CancellationToken.None).ConfigureAwait(false);
        }

        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await outbox.RecoverExpiredAsync(CancellationToken.None).ConfigureAwait(false);
                var lease = _options.Lease + (_throttle.Interval * batch);
                var rows = await outbox.ClaimAsync(owner, batch, _store.Time.GetUtcNow() + lease, CancellationToken.None).ConfigureAwait(false);
                if (rows.Count == 0)
                {
                    if (until == DispatchUntil.NothingDue
                        || (until == DispatchUntil.Drained && await outbox.CountPendingAsync(CancellationToken.None).ConfigureAwait(false) == 0))
                    {
                        break;
                    }

                    await Task.Delay(_options.PollInterval, _store.Time, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                foreach (var row in rows)
                {
                    if (cancellationToken.IsCancellationRequested)
                    {
                        break;
                    }

                    await _throttle.WaitAsync(cancellationToken).ConfigureAwait(false);
                    summary = await DeliverAsync(outbox, transport, row, owner, summary).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Asked to stop while waiting: what is claimed and unstarted goes back below.
        }
        finally
        {
            await outbox.ReleaseAsync(owner, CancellationToken.None).ConfigureAwait(false);
            await transport.DisposeAsync().ConfigureAwait(false);
        }

        return summary;
    }

    private async Task<DispatchSummary> DeliverAsync(OutboxStore outbox, IMailTransport transport, OutboxRow row, string owner, DispatchSummary summary)
    {
        // The message in flight is finished even when a stop is asked: its outcome must be recorded.
        var none = CancellationToken.None;
        if (row.IsMarketing && await outbox.IsSuppressedAsync(row.ToAddress, row.ClientId, none).ConfigureAwait(false))
        {
            await outbox.MarkEndedAsync(row.Id, owner, OutboxStatus.Suppressed, "The address or client is on the suppression list.", null, none).ConfigureAwait(false);
            return summary with { Suppressed = summary.Suppressed + 1 };
        }

        if (row.IsMarketing && _options.Unsubscribe is null)
        {
            // Marketing without its unsubscribe link may not go; transactional mail behind it must.
            await outbox.MarkEndedAsync(row.Id, owner, OutboxStatus.Held, HeldReason, null, none).ConfigureAwait(false);
            return summary with { Held = summary.Held + 1 };
        }

        MimeKit.MimeMessage message;
        try
        {
            message = _composer.Compose(row);
        }
        catch (MailRowException ex)
        {
            await outbox.MarkEndedAsync(row.Id, owner, OutboxStatus.Failed, ex.Message, null, none).ConfigureAwait(false);
            return summary with { Failed = summary.Failed + 1 };
        }

        var result = await transport.SendAsync(row, message, () => outbox.MarkDataStarted(row.Id, owner), none).ConfigureAwait(false);
        var retried = false;
        switch (result.Outcome)
        {
            case DeliveryOutcome.Sent:
                await outbox.MarkSentAsync(row.Id, owner, result.Response ?? "", message.MessageId ?? "", none).ConfigureAwait(false);
                break;
            case DeliveryOutcome.Temporary when row.Attempts + 1 < (_options.Smtp?.MaxAttempts ?? 5):
                var delay = TimeSpan.FromTicks(Math.Min(TimeSpan.FromHours(1).Ticks, _options.RetryDelay.Ticks << (int)Math.Min(row.Attempts, 20)));
                await outbox.MarkRetryAsync(row.Id, owner, _store.Time.GetUtcNow() + delay, result.Error ?? "temporary failure", result.Response, none).ConfigureAwait(false);
                retried = true;
                break;
            case DeliveryOutcome.Temporary:
                var attempts = (row.Attempts + 1).ToString(CultureInfo.InvariantCulture);
                await outbox.MarkEndedAsync(row.Id, owner, OutboxStatus.Failed, $"Gave up after {attempts} attempts: {result.Error}", result.Response, none).ConfigureAwait(false);
                break;
            case DeliveryOutcome.Permanent:
                await outbox.MarkEndedAsync(row.Id, owner, OutboxStatus.Failed, result.Error, result.Response, none).ConfigureAwait(false);
                break;
            case DeliveryOutcome.Unknown:
                await outbox.MarkEndedAsync(row.Id, owner, OutboxStatus.Unknown, result.Error, result.Response, none).ConfigureAwait(false);
                break;
            case DeliveryOutcome.LeaseLost:
                break;
        }

        return summary.Add(result.Outcome, retried);
    }

    private enum DispatchUntil
    {
        NothingDue,
        Drained,
        Cancelled,
    }
}
