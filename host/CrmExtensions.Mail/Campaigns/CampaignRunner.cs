using System.Globalization;
using CrmExtensions.Mail.Model;
using CrmExtensions.Mail.Outbox;
using CrmExtensions.Mail.Templates;
using CrmExtensions.Store;

namespace CrmExtensions.Mail.Campaigns;

/// <summary>What to send: a campaign id, a loaded pack, the segments (AND), the locale (null: the pack's default).</summary>
internal sealed record CampaignRequest(string Id, TemplatePack Pack, IReadOnlyList<Segment> Segments, string? Locale = null, bool DryRun = false)
{
    /// <summary>The outbox source of the campaign's mail: <c>campaign:{id}</c>.</summary>
    public string Source => "campaign:" + Id;

    /// <summary>A campaign id from the pack and the day, when none is given: <c>statement-2026-11-24</c>.</summary>
    public static string DefaultId(TemplatePack pack, DateOnly today) =>
        pack.Name + "-" + today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

/// <summary>What a campaign run did: clients selected, rendered, skipped without an address, queued now and before.</summary>
internal sealed record CampaignResult(string Id, int Selected, IReadOnlyList<OutboxMessage> Messages, IReadOnlyList<long> SkippedClients, int Queued)
{
    /// <summary>Messages of this run that an earlier run had already queued.</summary>
    public int AlreadyQueued => Messages.Count - Queued;
}

/// <summary>
/// Runs a campaign: selects the clients of the segments, builds each one's model, renders the pack, and queues one
/// mail per client with the business key <c>campaign:{id}:{client}</c>, so a second run queues nothing new.
/// </summary>
/// <remarks>
/// Every mail is rendered before any is queued: a template that fails for one client stops the run with the
/// client and the template position, and nothing of it is queued.
/// </remarks>
internal sealed class CampaignRunner(CrmStore store, MailModelBuilder models, OutboxCampaignOutbox outbox)
{
    /// <exception cref="CampaignException">A segment needs what the store lacks, or a render failed.</exception>
    public async Task<CampaignResult> RunAsync(CampaignRequest request, DateOnly today, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var messages = new List<OutboxMessage>();
        var skipped = new List<long>();
        IReadOnlyList<long> clients;
        using (var connection = store.Open())
        {
            clients = Segment.SelectClients(connection, request.Segments, today, store);
            foreach (var (clientId, model) in models.BuildMany(connection, clients, today))
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (model?.Recipient is null)
                {
                    skipped.Add(clientId);
                    continue;
                }

                messages.Add(Message(request, model, $"campaign:{request.Id}:{clientId.ToString(CultureInfo.InvariantCulture)}", model.Recipient.Address));
            }
        }

        var queued = request.DryRun || messages.Count == 0 ? 0 : await outbox.EnqueueAsync(messages, cancellationToken);
        return new CampaignResult(request.Id, clients.Count, messages, skipped, queued);
    }

    /// <summary>Renders the pack for one client, to its own recipient (or <paramref name="to"/>), without queuing.</summary>
    /// <exception cref="CampaignException">No such client, no address, or a render failed.</exception>
    public OutboxMessage Preview(CampaignRequest request, long clientId, DateOnly today, string? to = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        var model = models.Build(clientId, today) ?? throw new CampaignException($"No current client {clientId}; see 'crmx clients list'.");
        var address = to ?? model.Recipient?.Address
            ?? throw new CampaignException($"Client {clientId} ({model.Client.Name}) has no e-mail address: neither a contact person nor its head entity has one.");
        return Message(request, model, $"campaign:{request.Id}:{clientId.ToString(CultureInfo.InvariantCulture)}", address);
    }

    /// <summary>Renders for one client and queues it to <paramref name="to"/> under a fresh key (<c>test:{guid}</c>).</summary>
    public async Task<OutboxMessage> TestAsync(CampaignRequest request, long clientId, string to, DateOnly today, CancellationToken cancellationToken)
    {
        var message = Preview(request, clientId, today, to) with { BusinessKey = "test:" + Guid.NewGuid().ToString("N") };
        await outbox.EnqueueAsync([message], cancellationToken);
        return message;
    }

    private static OutboxMessage Message(CampaignRequest request, MailModel model, string key, string address)
    {
        RenderedTemplate rendered;
        try
        {
            rendered = request.Pack.Render(model.ToTemplateModel(), request.Locale);
        }
        catch (TemplateErrorsException ex)
        {
            throw new CampaignException($"Campaign '{request.Id}', client {model.ClientId} ({model.Client.Name}): {ex.Message}", ex);
        }

        return new OutboxMessage(key, request.Pack.Manifest.IsMarketing ? MailCategory.Marketing : MailCategory.Transactional, request.Source,
            request.Pack.Name, address, rendered.Subject, rendered.Html, rendered.Text)
        {
            ClientId = model.ClientId,
            ToName = model.Recipient?.Address == address ? model.Recipient.Name : null,
        };
    }
}

/// <summary>A campaign cannot run: a bad segment, a template that fails for a client, a client without an address.</summary>
internal sealed class CampaignException(string message, Exception? innerException = null) : CrmException(message, innerException);
