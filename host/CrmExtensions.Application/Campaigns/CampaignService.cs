using CrmExtensions.Application.Clients;
using CrmExtensions.Application.Internal;
using CrmExtensions.Mail.Campaigns;
using CrmExtensions.Mail.Consent;
using CrmExtensions.Mail.Model;
using CrmExtensions.Mail.Outbox;
using CrmExtensions.Mail.Templates;
using CrmExtensions.Store;
using CrmExtensions.Store.Campaigns;

namespace CrmExtensions.Application.Campaigns;

/// <summary>A campaign to send: the pack as a person names it, the segment, and how.</summary>
internal sealed record CampaignSendRequest(string Template, IReadOnlyList<Segment> Segments, string? Id = null, string? Locale = null, bool DryRun = false)
{
    /// <summary>The share of the segment kept back as the control group, in percent; null: <see cref="Holdout.DefaultPercent"/>.</summary>
    public double? HoldoutPercent { get; init; }
}

/// <summary>A template pack found by name under <c>campaigns/</c> or the plugins folder: the pack when it loads, else every problem.</summary>
/// <param name="Name">The pack's folder name, which finds it.</param>
/// <param name="Pack">The loaded pack; null when it has problems.</param>
/// <param name="Problems">Every problem, each as <c>file(line,col): message</c>; empty when it loads.</param>
internal sealed record PackListing(string Name, TemplatePack? Pack, IReadOnlyList<string> Problems);

/// <summary>What sending (or rehearsing) a campaign came to.</summary>
/// <param name="Id">The campaign id.</param>
/// <param name="Segments">The segment as <c>KIND=VALUE</c> conditions, ANDed; none is every client.</param>
/// <param name="Selected">Clients the segment selects.</param>
/// <param name="Recipients">Of them, those with an address: one mail each.</param>
/// <param name="Skipped">Clients without an address.</param>
/// <param name="Queued">Mails queued by this send (0 for a dry run).</param>
/// <param name="AlreadyQueued">Mails an earlier send of the same campaign had queued.</param>
/// <param name="First">The first mail rendered, if any.</param>
/// <param name="Control">Clients kept back as the control group.</param>
/// <param name="HeldBack">Clients held back for unresolved problems, each with why.</param>
internal sealed record CampaignOutcome(string Id, IReadOnlyList<string> Segments, int Selected, int Recipients, IReadOnlyList<long> Skipped, int Queued,
    int AlreadyQueued, OutboxMessage? First, int Control, IReadOnlyList<ClientProblem> HeldBack);

/// <summary>A campaign's mail in the outbox by status.</summary>
internal sealed record CampaignStatus(string Id, IReadOnlyDictionary<string, long> Counts)
{
    /// <summary>Clients per recorded group (<c>mailed</c>, <c>control</c>, <c>held</c>); empty for a campaign sent before groups were kept.</summary>
    public IReadOnlyDictionary<string, long> Groups { get; init; } = new Dictionary<string, long>();

    /// <summary>Clients kept back as the control group.</summary>
    public long Control => Groups.GetValueOrDefault(CampaignGroups.Control);

    /// <summary>Clients held back for unresolved problems.</summary>
    public long HeldBack => Groups.GetValueOrDefault(CampaignGroups.HeldBack);

    /// <summary>Every mail of the campaign.</summary>
    public long Total => Counts.Values.Sum();
}

/// <summary>How a campaign stands: its mail per outbox status and every client's recorded group.</summary>
/// <param name="Id">The campaign id.</param>
/// <param name="Statuses">Mails per outbox status.</param>
/// <param name="Groups">Each client's group (mailed, control, held back with the reason), from the first send.</param>
internal sealed record CampaignStanding(string Id, IReadOnlyList<(string Status, long Count)> Statuses, IReadOnlyList<CampaignGroupRow> Groups)
{
    /// <summary>The clients held back for unresolved problems, with why.</summary>
    public IReadOnlyList<CampaignGroupRow> HeldBack => [.. Groups.Where(g => g.Group == CampaignGroups.HeldBack)];

    /// <summary>Clients in a group.</summary>
    public int Count(string group) => Groups.Count(g => g.Group == group);
}

/// <summary>Template packs rendered for real clients: preview, test mail, sending to a segment through the outbox, status.</summary>
internal sealed class CampaignService(CrmWorkspace workspace, ClientService clients)
{
    /// <summary>The folder of the configuration where packs are found by name.</summary>
    public const string PacksDirectory = "campaigns";

    /// <summary>Finds and loads a pack, checked in full: a folder path, else a name under <c>campaigns/</c> or the plugins folder.</summary>
    /// <exception cref="CrmException">No such pack, or it has errors (all listed, as <c>file(line,col): message</c>).</exception>
    public TemplatePack LoadPack(string template)
    {
        var baseDirectory = workspace.BaseDirectory;
        string[] candidates =
        [
            Path.GetFullPath(template, baseDirectory),
            Path.Combine(baseDirectory, PacksDirectory, template),
            Path.Combine(workspace.PluginsDirectory, template),
        ];
        var directory = candidates.FirstOrDefault(TemplatePack.IsPack)
            ?? throw new CrmException($"No template pack '{template}': looked for pack.json in {string.Join(", ", candidates.Distinct())}.");
        try
        {
            return TemplatePack.Load(directory, MailModel.Variables);
        }
        catch (TemplateErrorsException ex)
        {
            throw new CrmException($"Template pack '{template}' has {ex.Errors.Count} problem(s):{Environment.NewLine}  " +
                string.Join(Environment.NewLine + "  ", ex.Errors), ex);
        }
    }

    /// <summary>Every pack found by name: the folders with a <c>pack.json</c> under <c>campaigns/</c>, then the plugins folder's
    /// (a name under <c>campaigns/</c> wins), each loaded and checked in full.</summary>
    public IReadOnlyList<PackListing> Packs()
    {
        var found = new List<PackListing>();
        foreach (var root in new[] { Path.Combine(workspace.BaseDirectory, PacksDirectory), workspace.PluginsDirectory })
        {
            if (!Directory.Exists(root))
            {
                continue;
            }

            foreach (var directory in Directory.EnumerateDirectories(root).Where(TemplatePack.IsPack).Order(StringComparer.Ordinal))
            {
                var name = Path.GetFileName(directory);
                if (found.Exists(p => p.Name == name))
                {
                    continue;
                }

                try
                {
                    found.Add(new PackListing(name, TemplatePack.Load(directory, MailModel.Variables), []));
                }
                catch (TemplateErrorsException ex)
                {
                    found.Add(new PackListing(name, null, ex.Errors));
                }
            }
        }

        return found;
    }

    /// <summary>One of <see cref="Packs"/> by its name; a name that is not listed (a path, say) finds nothing.</summary>
    /// <exception cref="CrmException">No pack of that name.</exception>
    public PackListing FindPack(string name) =>
        Packs().FirstOrDefault(p => p.Name == name) ?? throw new CrmException($"No template pack '{name}' under '{PacksDirectory}/' or the plugins folder.");

    /// <summary>The template problems behind a failure to load or render a pack, each as <c>file(line,col): message</c>; else its message.</summary>
    public static IReadOnlyList<string> Problems(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var errors = exception as TemplateErrorsException ?? exception.InnerException as TemplateErrorsException;
        return errors is null ? [exception.Message] : errors.Errors;
    }

    /// <summary>Sends a pack to a segment given as <c>KIND=VALUE</c> texts, or with <paramref name="dryRun"/> only counts and renders.</summary>
    /// <exception cref="CrmException">A segment is not valid, the pack has problems, or a render failed (nothing is queued then).</exception>
    public async Task<CampaignOutcome> SendAsync(string template, IReadOnlyList<string> segments, string? id, string? locale, bool dryRun, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(segments);
        var (request, result) = await SendAsync(new CampaignSendRequest(template, segments.Select(Segment.Parse).ToList(), id, locale, dryRun), cancellationToken)
            .ConfigureAwait(false);
        return new CampaignOutcome(result.Id, request.Segments.Select(s => s.ToString()).ToList(), result.Selected, result.Messages.Count, result.SkippedClients,
            result.Queued, dryRun ? 0 : result.AlreadyQueued, result.Messages.Count > 0 ? result.Messages[0] : null, result.ControlClients.Count, result.HeldBack);
    }

    /// <summary>The id a campaign of <paramref name="pack"/> gets today when none is given: <c>statement-2026-12-03</c>.</summary>
    public string DefaultId(TemplatePack pack) => CampaignRequest.DefaultId(pack, workspace.Today);

    /// <summary>Every campaign with mail in the outbox, by id, with its mail per status.</summary>
    public async Task<IReadOnlyList<CampaignStatus>> CampaignsAsync(CancellationToken cancellationToken)
    {
        using var outbox = new OutboxStore(workspace.Store);
        var rows = await outbox.CountByCampaignAsync(cancellationToken).ConfigureAwait(false);
        var groups = await Sync.Run(() => GroupCounts(), cancellationToken).ConfigureAwait(false);
        var mail = rows.ToLookup(r => r.Source["campaign:".Length..], StringComparer.Ordinal);
        return mail.Select(m => m.Key).Concat(groups.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select(id => new CampaignStatus(id, mail[id].ToDictionary(r => r.Status, r => r.Count, StringComparer.Ordinal))
            {
                Groups = groups.TryGetValue(id, out var g) ? g : new Dictionary<string, long>(),
            }).ToList();
    }

    /// <summary>Renders a pack for one client; nothing is queued.</summary>
    public async Task<OutboxMessage> PreviewAsync(string template, string client, string? locale, CancellationToken cancellationToken)
    {
        var pack = LoadPack(template);
        var clientId = (await clients.ResolveAsync(client, cancellationToken).ConfigureAwait(false)).ClientId;
        using var session = Open();
        var today = workspace.Today;
        return session.Runner.Preview(new CampaignRequest(CampaignRequest.DefaultId(pack, today), pack, [], locale), clientId, today, to: null);
    }

    /// <summary>Renders a pack for one client and queues it to a test address under a key of its own.</summary>
    public async Task<OutboxMessage> TestAsync(string template, string client, string to, string? locale, CancellationToken cancellationToken)
    {
        var pack = LoadPack(template);
        var clientId = (await clients.ResolveAsync(client, cancellationToken).ConfigureAwait(false)).ClientId;
        using var session = Open();
        var today = workspace.Today;
        return await session.Runner.TestAsync(new CampaignRequest(CampaignRequest.DefaultId(pack, today), pack, [], locale), clientId, to, today, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>Renders a pack for every client of a segment and queues one mail each (once per client and campaign).</summary>
    public async Task<(CampaignRequest Request, CampaignResult Result)> SendAsync(CampaignSendRequest send, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(send);
        var pack = LoadPack(send.Template);
        var today = workspace.Today;
        var request = new CampaignRequest(send.Id ?? CampaignRequest.DefaultId(pack, today), pack, send.Segments, send.Locale, send.DryRun)
        {
            HoldoutPercent = send.HoldoutPercent ?? Holdout.DefaultPercent,
            HoldBack = workspace.Configuration.Marketing,
        };
        using var session = Open();
        return (request, await session.Runner.RunAsync(request, today, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>How many mails of a campaign are in each outbox status, and the clients of its recorded groups, the held back ones listed.</summary>
    /// <exception cref="CrmException">The campaign has neither mail in the outbox nor recorded groups.</exception>
    public Task<CampaignStanding> StatusAsync(string id, CancellationToken cancellationToken) => Sync.Run(() => Status(id), cancellationToken);

    private CampaignStanding Status(string id)
    {
        using var outbox = new OutboxStore(workspace.Store);
        var rows = new OutboxCampaignOutbox(outbox, null).Status("campaign:" + id);
        IReadOnlyList<CampaignGroupRow> groups;
        using (var connection = workspace.Store.Open())
        {
            groups = CampaignGroupReader.OfCampaign(connection, id);
        }

        return rows.Count > 0 || groups.Count > 0
            ? new CampaignStanding(id, rows, groups)
            : throw new CrmException($"No mail of campaign '{id}' in the outbox; 'crmx campaign send TEMPLATE --id {id}' queues it.");
    }

    private Dictionary<string, Dictionary<string, long>> GroupCounts()
    {
        using var connection = workspace.Store.Open();
        return CampaignGroupReader.Counts(connection).GroupBy(c => c.Campaign, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToDictionary(c => c.Group, c => c.Clients, StringComparer.Ordinal), StringComparer.Ordinal);
    }

    /// <summary>Copies a pack folder into <c>campaigns/</c> of the configuration unless one of that name is there.</summary>
    /// <returns>The pack's folder under <c>campaigns/</c>.</returns>
    public string Install(string source)
    {
        var target = Path.Combine(workspace.BaseDirectory, PacksDirectory, Path.GetFileName(source.TrimEnd(Path.DirectorySeparatorChar)));
        if (!TemplatePack.IsPack(target) && TemplatePack.IsPack(source))
        {
            foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
            {
                var copy = Path.Combine(target, Path.GetRelativePath(source, file));
                Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
                File.Copy(file, copy);
            }
        }

        return target;
    }

    private Session Open()
    {
        var mail = workspace.Configuration.Mail;
        var store = new OutboxStore(workspace.Store);
        var outbox = new OutboxCampaignOutbox(store, UnsubscribeLinks.FromOptions(mail.Unsubscribe, workspace.Time));
        var models = new MailModelBuilder(workspace.Store, new MailSender(mail.Company, mail.From, mail.Phone, mail.Website), outbox.UnsubscribeUrl);
        return new Session(store, new CampaignRunner(workspace.Store, models, outbox, new CampaignGroupWriter(workspace.Store)));
    }

    private sealed record Session(OutboxStore Outbox, CampaignRunner Runner) : IDisposable
    {
        public void Dispose() => Outbox.Dispose();
    }
}
