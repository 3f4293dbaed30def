using System.Globalization;
using CrmExtensions.Application.Campaigns;
using CrmExtensions.Application.Clients;
using CrmExtensions.Application.Segments;
using CrmExtensions.Mail.Outbox;
using CrmExtensions.Store;
using CrmExtensions.Store.Clients;
using CrmExtensions.Web.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CrmExtensions.Web.Pages.Campaigns;

/// <summary>One template pack: its problems, a preview on a chosen client, a segment's dry run, and (directors) sending it.</summary>
internal sealed class PackModel(CampaignService campaigns, ClientService clients, SegmentService segments, ClientAccess access) : PageModel
{
    /// <summary>Clients with overdue invoices offered for the preview.</summary>
    public const int Suggested = 8;

    public PackListing? Pack { get; private set; }

    [BindProperty(SupportsGet = true)]
    public string? Client { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Locale { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Region { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Stage { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Tag { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Abc { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Overdue { get; set; }

    /// <summary>A stored behaviour segment (<c>crmx segment add</c>), by name.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Behaviour { get; set; }

    /// <summary>The stored behaviour segments offered.</summary>
    public IReadOnlyList<string> BehaviourSegments { get; private set; } = [];

    /// <summary>The campaign id; empty for the pack's name and today.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Campaign { get; set; }

    [BindProperty(SupportsGet = true)]
    public bool Dry { get; set; }

    /// <summary>The number of recipients the director confirmed.</summary>
    [BindProperty]
    public int Expected { get; set; }

    /// <summary>The client previewed, once found.</summary>
    public long? ClientId { get; private set; }

    public OutboxMessage? Preview { get; private set; }

    /// <summary>Problems of the preview (template errors as <c>file(line,col): message</c>, or why no mail could be made).</summary>
    public IReadOnlyList<string> PreviewProblems { get; private set; } = [];

    public IReadOnlyList<ClientListRow> OverdueClients { get; private set; } = [];

    public CampaignOutcome? Outcome { get; private set; }

    public IReadOnlyList<string> OutcomeProblems { get; private set; } = [];

    public string DefaultCampaign { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(string pack)
    {
        await LoadAsync(pack);
        if (Dry)
        {
            await RehearseAsync();
        }

        return Page();
    }

    /// <summary>Queues the campaign, directors only, once the dry run still finds the number of recipients they confirmed.</summary>
    public async Task<IActionResult> OnPostSendAsync(string pack)
    {
        if (!User.IsDirector())
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }

        await LoadAsync(pack);
        await RehearseAsync();
        if (Outcome is null)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        if (Outcome.Recipients != Expected)
        {
            OutcomeProblems = [string.Create(CultureInfo.InvariantCulture,
                $"Nothing sent: the segment now has {Outcome.Recipients} recipient(s), not the {Expected} you confirmed. Check the numbers below and confirm again.")];
            Response.StatusCode = StatusCodes.Status409Conflict;
            return Page();
        }

        try
        {
            var sent = await campaigns.SendAsync(Pack!.Pack!.Directory, Segments(), Blank(Campaign), Blank(Locale), dryRun: false, HttpContext.RequestAborted);
            TempData["Notice"] = string.Create(CultureInfo.InvariantCulture,
                $"Campaign '{sent.Id}': queued {sent.Queued} new mail(s); {sent.AlreadyQueued} had been queued by an earlier send; " +
                $"{sent.Control} kept back as the control group; held back: unresolved problems: {sent.HeldBack.Count}.");
            return Redirect("/campaigns");
        }
        catch (CrmException ex)
        {
            OutcomeProblems = CampaignService.Problems(ex);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
    }

    /// <summary>The segment as <c>KIND=VALUE</c> conditions, from the fields filled in.</summary>
    public IReadOnlyList<string> Segments() =>
        new[] { ("region", Region), ("stage", Stage), ("tag", Tag), ("abc", Abc), ("overdue", Overdue), ("segment", Behaviour) }
            .Where(s => !string.IsNullOrWhiteSpace(s.Item2)).Select(s => s.Item1 + "=" + s.Item2!.Trim()).ToList();

    /// <summary>The iframe's address: the HTML part of the preview, served under its own strict policy.</summary>
    public string HtmlLink => $"/campaigns/{Uri.EscapeDataString(Pack!.Name)}/html" + QueryString.Create(new Dictionary<string, string?>
    {
        ["client"] = ClientId?.ToString(CultureInfo.InvariantCulture),
        ["locale"] = Blank(Locale),
    }.Where(p => p.Value is not null)).ToUriComponent();

    private async Task LoadAsync(string pack)
    {
        var ct = HttpContext.RequestAborted;
        Pack = campaigns.FindPack(pack);
        if (Pack.Pack is { } loaded)
        {
            DefaultCampaign = campaigns.DefaultId(loaded);
        }

        BehaviourSegments = (await segments.ListAsync(ct)).Select(d => d.Name).ToList();
        var mine = access.OwnClientsOf(User);
        OverdueClients = (await clients.DirectoryAsync(new ClientListFilter(Manager: mine, Overdue: true), null, Suggested, ct)).Rows;
        if (Blank(Client) is not { } term || Pack.Pack is null)
        {
            return;
        }

        try
        {
            var client = await clients.ResolveAsync(term, ct);
            if (!await access.MayOpenAsync(User, client.ClientId, ct))
            {
                throw new CrmException($"No client '{term}'.");
            }

            ClientId = client.ClientId;
            Preview = await campaigns.PreviewAsync(Pack.Pack.Directory, client.ClientId.ToString(CultureInfo.InvariantCulture), Blank(Locale), ct);
        }
        catch (CrmException ex)
        {
            PreviewProblems = CampaignService.Problems(ex);
        }
    }

    private async Task RehearseAsync()
    {
        if (Pack?.Pack is null)
        {
            return;
        }

        try
        {
            Outcome = await campaigns.SendAsync(Pack.Pack.Directory, Segments(), Blank(Campaign), Blank(Locale), dryRun: true, HttpContext.RequestAborted);
        }
        catch (CrmException ex)
        {
            OutcomeProblems = CampaignService.Problems(ex);
        }
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
