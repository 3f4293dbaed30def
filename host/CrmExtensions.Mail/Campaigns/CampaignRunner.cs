using System.Globalization;
using CrmExtensions.Mail.Model;
using CrmExtensions.Mail.Outbox;
using CrmExtensions.Mail.Templates;
using CrmExtensions.Store;
using CrmExtensions.Store.Campaigns;
using CrmExtensions.Store.Reporting;

namespace CrmExtensions.Mail.Campaigns;

/// <summary>What to send: a campaign id, a loaded pack, the segments (AND), the locale (null: the pack's default).</summary>
internal sealed record CampaignRequest(string Id, TemplatePack Pack, IReadOnlyList<Segment> Segments, string? Locale = null, bool DryRun = false)
{
    /// <summary>The share of the segment kept back as the control group, in percent (0: none).</summary>
    public double HoldoutPercent { get; init; } = Holdout.DefaultPercent;

    /// <summary>The rule that holds marketing mail back from clients with unresolved problems; null: the rule's defaults.</summary>
    public HoldBackOptions HoldBack { get; init; } = new();

    /// <summary>The outbox source of the campaign's mail: <c>campaign:{id}</c>.</summary>
    public string Source => "campaign:" + Id;

    /// <summary>A campaign id from the pack and the day, when none is given: <c>statement-2026-11-24</c>.</summary>
    public static string DefaultId(TemplatePack pack, DateOnly today) =>
        pack.Name + "-" + today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

/// <summary>What a campaign run did: clients selected, rendered, skipped without an address, queued now and before.</summary>
internal sealed record CampaignResult(string Id, int Selected, IReadOnlyList<OutboxMessage> Messages, IReadOnlyList<long> SkippedClients, int Queued)
{
    /// <summary>Clients of the control group: never mailed by this campaign.</summary>
    public IReadOnlyList<long> ControlClients { get; init; } = [];

    /// <summary>Clients held back for unresolved problems (marketing mail only), each with why.</summary>
    public IReadOnlyList<ClientProblem> HeldBack { get; init; } = [];

    /// <summary>Messages of this run that an earlier run had already queued.</summary>
    public int AlreadyQueued => Messages.Count - Queued;
}

/// <summary>
/// Runs a campaign: selects the clients of the segments, builds each one's model, renders the pack, and queues one
/// mail per client with the business key <c>campaign:{id}:{client}</c>, so a second run queues nothing new.
/// </summary>
/// <remarks>
/// Every mail is rendered before any is queued: a template that fails for one client stops the run with the
/// client and the template position, and nothing of it is queued. The models are read in batches on one connection and
/// rendered a batch at a time on every core (the pack's sandbox keeps a context per render) while the next batch is read.
/// </remarks>
internal sealed class CampaignRunner(CrmStore store, MailModelBuilder models, OutboxCampaignOutbox outbox, CampaignGroupWriter groups)
{
    /// <exception cref="CampaignException">A segment needs what the store lacks, or a render failed.</exception>
    /// <remarks>
    /// Clients with unresolved problems are held back first (marketing packs only); of the others, those with an address are
    /// split by <see cref="Holdout"/> into the control group and the mailed clients, so both groups are drawn from the same
    /// clients. The first real send of a campaign records every client's group (<see cref="CampaignGroupWriter"/>); a later
    /// send keeps them: a client once in the control group is never mailed.
    /// </remarks>
    public async Task<CampaignResult> RunAsync(CampaignRequest request, DateOnly today, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var messages = new List<OutboxMessage>();
        var skipped = new List<long>();
        var control = new List<long>();
        var held = new List<ClientProblem>();
        IReadOnlyList<long> clients;
        Dictionary<long, string> classes;
        using (var connection = store.Open())
        {
            clients = Segment.SelectClients(connection, request.Segments, today, store: store);
            var recorded = CampaignGroupReader.OfCampaign(connection, request.Id).ToDictionary(g => g.ClientId, g => g.Group);
            var problems = request.Pack.Manifest.IsMarketing ? UnresolvedProblems.All(connection, request.HoldBack, today) : new Dictionary<long, ClientProblem>();
            var eligible = new List<long>(clients.Count);
            foreach (var clientId in clients)
            {
                if (problems.TryGetValue(clientId, out var problem))
                {
                    held.Add(problem);
                }
                else
                {
                    eligible.Add(clientId);
                }
            }

            // The models are read on this thread, batch by batch; each full batch is rendered on the other cores while the
            // next one is read, and its mails are added in the clients' order.
            var toRender = new List<MailModel>(RenderBatch);
            Task<OutboxMessage[]>? rendering = null;
            foreach (var (clientId, model) in models.BuildMany(connection, eligible, today))
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (model?.Recipient is null)
                {
                    skipped.Add(clientId);
                    continue;
                }

                var inControl = recorded.TryGetValue(clientId, out var group)
                    ? group == CampaignGroups.Control
                    : Holdout.IsControl(request.Id, clientId, request.HoldoutPercent);
                if (inControl)
                {
                    control.Add(clientId);
                    continue;
                }

                toRender.Add(model);
                if (toRender.Count == RenderBatch)
                {
                    await AddRendered().ConfigureAwait(false);
                    var batch = toRender.ToArray();
                    rendering = Task.Run(() => Render(request, batch, cancellationToken), cancellationToken);
                    toRender.Clear();
                }
            }

            await AddRendered().ConfigureAwait(false);
            messages.AddRange(Render(request, [.. toRender], cancellationToken));

            async Task AddRendered()
            {
                if (rendering is not null)
                {
                    messages.AddRange(await rendering.ConfigureAwait(false));
                    rendering = null;
                }
            }

            classes = request.DryRun ? new Dictionary<long, string>() : ClassesOn(connection, today);
        }

        var queued = request.DryRun || messages.Count == 0 ? 0 : await outbox.EnqueueAsync(messages, cancellationToken);
        if (!request.DryRun)
        {
            var segment = request.Segments.Count == 0 ? null : string.Join(" AND ", request.Segments);
            CampaignGroupRow Row(long client, string group, string? reason) =>
                new(request.Id, client, group, today, classes.TryGetValue(client, out var c) ? c : "C", reason, segment);
            await groups.RecordAsync(
            [
                .. messages.Select(m => Row(m.ClientId!.Value, CampaignGroups.Mailed, null)),
                .. control.Select(c => Row(c, CampaignGroups.Control, null)),
                .. held.Select(p => Row(p.ClientId, CampaignGroups.HeldBack, p.Reason)),
            ], cancellationToken).ConfigureAwait(false);
        }

        return new CampaignResult(request.Id, clients.Count, messages, skipped, queued) { ControlClients = control, HeldBack = held };
    }

    /// <summary>Each client's ABC class over the reporting window to <paramref name="today"/> (the Pareto report's); absent: C.</summary>
    private static Dictionary<long, string> ClassesOn(System.Data.Common.DbConnection connection, DateOnly today)
    {
        var window = ReportingWindow.TwelveMonthsTo(today);
        return Dapper.SqlMapper.Query<(long? Id, string Class)>(connection, ClassesSql, new { from = window.FromText, to = window.ToText })
            .Where(r => r.Id is not null).ToDictionary(r => r.Id!.Value, r => r.Class);
    }

    internal static readonly string ClassesSql = "SELECT k.id AS Id, k.class AS Class FROM " + ClientMoneySql.Classes + " k";

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

    /// <summary>Mails rendered at once on every core, in order.</summary>
    private const int RenderBatch = 500;

    /// <summary>Renders each model's mail to its recipient, on every core; the mails come back in the models' order.</summary>
    /// <exception cref="CampaignException">A render failed: the first client in order whose render failed is named (any other
    /// failure is thrown as itself, the first in order).</exception>
    private static OutboxMessage[] Render(CampaignRequest request, MailModel[] batch, CancellationToken cancellationToken)
    {
        var rendered = new OutboxMessage[batch.Length];
        var failures = new Exception?[batch.Length];
        Parallel.For(0, batch.Length, new ParallelOptions { CancellationToken = cancellationToken }, i =>
        {
            var model = batch[i];
            try
            {
                rendered[i] = Message(request, model, $"campaign:{request.Id}:{model.ClientId.ToString(CultureInfo.InvariantCulture)}", model.Recipient!.Address);
            }
            catch (Exception ex)
            {
                failures[i] = ex;
            }
        });
        if (failures.FirstOrDefault(f => f is not null) is { } failure)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }

        return rendered;
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
