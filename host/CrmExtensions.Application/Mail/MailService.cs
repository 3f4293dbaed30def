using CrmExtensions.Mail.Consent;
using CrmExtensions.Mail.Delivery;
using CrmExtensions.Mail.Outbox;
using CrmExtensions.Store;

namespace CrmExtensions.Application.Mail;

/// <summary>The outbox: sending it (SMTP or the pickup folder), its state, retries, and the suppression list.</summary>
internal sealed class MailService(CrmWorkspace workspace)
{
    /// <summary>A dispatcher configured from the <c>mail</c> section; every sender (CLI, <c>crmx run</c>, the demo) uses this one.</summary>
    public MailDispatcher Dispatcher(int batchSize = 50, TimeSpan? lease = null)
    {
        var mail = workspace.Configuration.Mail;
        return new MailDispatcher(workspace.Store, new DispatchOptions
        {
            From = mail.From,
            Smtp = mail.Smtp is { Host.Length: > 0 } smtp ? smtp : null,
            PickupDirectory = PickupDirectory,
            Unsubscribe = UnsubscribeLinks.FromOptions(mail.Unsubscribe, workspace.Time),
            BatchSize = batchSize,
            Lease = lease ?? TimeSpan.FromMinutes(2),
        });
    }

    /// <summary>Every problem of the <c>mail</c> settings, found before anything is queued (<c>crmx attach --check</c>).</summary>
    public IReadOnlyList<MailSettingProblem> CheckSettings()
    {
        var mail = workspace.Configuration.Mail;
        return MailSettingsCheck.Check(mail.From, mail.Smtp, mail.PickupDirectory, mail.Unsubscribe);
    }

    /// <summary>One line for a dispatch: sent, to retry, failed, unknown, suppressed.</summary>
    public static string Describe(DispatchSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{summary.Sent:N0} sent, {summary.Retried:N0} to retry later, {summary.Failed:N0} failed, {summary.Unknown:N0} unknown, {summary.Suppressed:N0} suppressed") +
            (summary.Held > 0 ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $", {summary.Held:N0} marketing held (no unsubscribe settings)") : "");
    }

    /// <summary>The pickup folder, absolute.</summary>
    public string PickupDirectory => Path.GetFullPath(workspace.Configuration.Mail.PickupDirectory, workspace.BaseDirectory);

    /// <summary>Sends queued mail until the outbox is drained (<paramref name="once"/>) or until cancelled.</summary>
    public Task<DispatchSummary> DispatchAsync(bool once, int batchSize, TimeSpan lease, CancellationToken cancellationToken) =>
        Dispatcher(batchSize, lease).RunAsync(once, cancellationToken);

    /// <summary>Sends what is due now, once.</summary>
    public Task<DispatchSummary> DispatchDueAsync(CancellationToken cancellationToken) => Dispatcher().DispatchDueAsync(cancellationToken);

    /// <summary>Outbox rows per status, optionally of one source (plugin or campaign).</summary>
    public async Task<IReadOnlyDictionary<string, long>> CountByStatusAsync(string? source, CancellationToken cancellationToken)
    {
        using var outbox = new OutboxStore(workspace.Store);
        return await outbox.CountByStatusAsync(source, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Mails whose delivery is unknown (the connection dropped after DATA began).</summary>
    public async Task<IReadOnlyList<UnknownMail>> ListUnknownAsync(string? source, CancellationToken cancellationToken)
    {
        using var outbox = new OutboxStore(workspace.Store);
        return await outbox.ListUnknownAsync(source, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Queues an unknown or failed mail again: a person decided it should be sent.</summary>
    public async Task RetryAsync(long id, CancellationToken cancellationToken)
    {
        using var outbox = new OutboxStore(workspace.Store);
        await outbox.RetryAsync(id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Honours an unsubscribe link: checks its signature and suppresses the address.</summary>
    /// <exception cref="CrmException">No secret is configured, or the link is not genuine.</exception>
    public async Task<UnsubscribeRequest> UnsubscribeAsync(string tokenOrLink, CancellationToken cancellationToken)
    {
        var request = VerifyUnsubscribe(tokenOrLink);
        await new SuppressionList(workspace.Store).AddAsync(request.Address, request.ClientId, "unsubscribe", "link", cancellationToken).ConfigureAwait(false);
        return request;
    }

    /// <summary>Checks an unsubscribe link and says what it asks for, changing nothing.</summary>
    /// <exception cref="CrmException">No secret is configured, or the link is not genuine.</exception>
    public UnsubscribeRequest VerifyUnsubscribe(string tokenOrLink)
    {
        var links = UnsubscribeLinks.FromOptions(workspace.Configuration.Mail.Unsubscribe, workspace.Time)
            ?? throw new CrmException("No unsubscribe secret is configured: set 'mail:unsubscribe:secret' (or CRMX__mail__unsubscribe__secret) to the one the links were signed with.");
        return links.Verify(tokenOrLink);
    }

    /// <summary>Puts an address (and optionally every address of a client) on the suppression list by hand.</summary>
    public Task SuppressAsync(string address, long? clientId, string? note, CancellationToken cancellationToken) =>
        new SuppressionList(workspace.Store).AddAsync(address, clientId, "manual", note, cancellationToken);

    /// <summary>The suppression list, oldest first.</summary>
    public Task<IReadOnlyList<Suppression>> SuppressionsAsync(CancellationToken cancellationToken) =>
        new SuppressionList(workspace.Store).ListAsync(cancellationToken);
}
