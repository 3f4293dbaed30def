using CrmExtensions.Application.Clients;
using CrmExtensions.Application.Internal;
using CrmExtensions.Mail.Campaigns;
using CrmExtensions.Mail.Consent;
using CrmExtensions.Mail.Model;
using CrmExtensions.Mail.Outbox;
using CrmExtensions.Mail.Templates;
using CrmExtensions.Store;

namespace CrmExtensions.Application.Campaigns;

/// <summary>A campaign to send: the pack as a person names it, the segment, and how.</summary>
internal sealed record CampaignSendRequest(string Template, IReadOnlyList<Segment> Segments, string? Id = null, string? Locale = null, bool DryRun = false);

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
        var request = new CampaignRequest(send.Id ?? CampaignRequest.DefaultId(pack, today), pack, send.Segments, send.Locale, send.DryRun);
        using var session = Open();
        return (request, await session.Runner.RunAsync(request, today, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>How many mails of a campaign are in each outbox status.</summary>
    /// <exception cref="CrmException">The campaign has no mail in the outbox.</exception>
    public Task<IReadOnlyList<(string Status, long Count)>> StatusAsync(string id, CancellationToken cancellationToken) => Sync.Run(() => Status(id), cancellationToken);

    private IReadOnlyList<(string Status, long Count)> Status(string id)
    {
        using var outbox = new OutboxStore(workspace.Store);
        var rows = new OutboxCampaignOutbox(outbox, null).Status("campaign:" + id);
        return rows.Count > 0 ? rows : throw new CrmException($"No mail of campaign '{id}' in the outbox; 'crmx campaign send TEMPLATE --id {id}' queues it.");
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
        return new Session(store, new CampaignRunner(workspace.Store, models, outbox));
    }

    private sealed record Session(OutboxStore Outbox, CampaignRunner Runner) : IDisposable
    {
        public void Dispose() => Outbox.Dispose();
    }
}
