using CrmExtensions.Mail.Consent;
using CrmExtensions.Mail.Outbox;

namespace CrmExtensions.Mail.Campaigns;

/// <summary>Queues campaign mail into the outbox proper, with signed unsubscribe links.</summary>
/// <remarks>
/// Without a configured unsubscribe secret a campaign can still be previewed (its link says what is missing), but
/// marketing mail is refused at queuing: every marketing mail must carry a working, signed link.
/// </remarks>
internal sealed class OutboxCampaignOutbox(OutboxStore outbox, UnsubscribeLinks? links)
{
    private const string MissingLink = "https://unsubscribe.invalid/set-mail-unsubscribe-secret";

    public async Task<int> EnqueueAsync(IReadOnlyList<OutboxMessage> messages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (links is null && messages.Any(m => m.Category == MailCategory.Marketing))
        {
            // The constructor's own message says which settings are missing.
            _ = new UnsubscribeLinks(null, null, TimeProvider.System);
        }

        return await outbox.EnqueueAsync(messages, cancellationToken).ConfigureAwait(false);
    }

    public string UnsubscribeUrl(long clientId, string address) => links?.Link(address, clientId) ?? MissingLink;

    public IReadOnlyList<(string Status, long Count)> Status(string source) =>
        [.. outbox.CountByStatusAsync(source, CancellationToken.None).GetAwaiter().GetResult().OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (p.Key, p.Value))];
}
