using CrmExtensions.Application.Campaigns;
using CrmExtensions.Mail.Outbox;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CrmExtensions.Web.Pages.Campaigns;

/// <summary>The template packs (each checked in full) and every campaign's mail by outbox status.</summary>
internal sealed class IndexModel(CampaignService campaigns) : PageModel
{
    /// <summary>The statuses shown per campaign, in the order <c>crmx mail status</c> lists them.</summary>
    public static IReadOnlyList<string> Statuses { get; } = [OutboxStatus.Queued, OutboxStatus.Sent, OutboxStatus.Failed, OutboxStatus.Unknown, OutboxStatus.Suppressed];

    public IReadOnlyList<PackListing> Packs { get; private set; } = [];

    public IReadOnlyList<CampaignStatus> Campaigns { get; private set; } = [];

    [TempData]
    public string? Notice { get; set; }

    public async Task OnGetAsync()
    {
        Packs = campaigns.Packs();
        Campaigns = await campaigns.CampaignsAsync(HttpContext.RequestAborted);
    }

    /// <summary>Mail in a status the table has no column for (sending, held, cancelled).</summary>
    public static long Other(CampaignStatus campaign) => campaign.Counts.Where(c => !Statuses.Contains(c.Key)).Sum(c => c.Value);
}
