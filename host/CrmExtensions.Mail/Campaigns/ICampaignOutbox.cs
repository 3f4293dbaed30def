using CrmExtensions.Mail.Outbox;

namespace CrmExtensions.Mail.Campaigns;

/// <summary>Where a campaign queues its mail, and how it links to unsubscribing.</summary>
/// <remarks>A seam for tests and previews; <see cref="OutboxCampaignOutbox"/> queues into the outbox proper with signed links.</remarks>
internal interface ICampaignOutbox
{
    /// <summary>Queues the messages, each once per business key.</summary>
    /// <returns>How many were newly queued (the rest were queued before).</returns>
    Task<int> EnqueueAsync(IReadOnlyList<OutboxMessage> messages, CancellationToken cancellationToken);

    /// <summary>The link a marketing mail carries to unsubscribe an address of a client.</summary>
    string UnsubscribeUrl(long clientId, string address);

    /// <summary>How many mails of a source (<c>campaign:{id}</c>) are in each status.</summary>
    IReadOnlyList<(string Status, long Count)> Status(string source);
}
