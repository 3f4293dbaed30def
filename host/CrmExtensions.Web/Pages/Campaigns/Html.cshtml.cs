using System.Globalization;
using CrmExtensions.Application.Campaigns;
using CrmExtensions.Application.Clients;
using CrmExtensions.Web.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CrmExtensions.Web.Pages.Campaigns;

/// <summary>The HTML part of a preview, for the pack page's sandboxed iframe.</summary>
/// <remarks>
/// The mail's HTML is the template author's and the ledger's text: it is served as a document of its own under a policy
/// that runs no script, loads nothing, posts nowhere and puts it in a unique origin (<c>sandbox</c>), and only this site
/// may frame it. The iframe carries <c>sandbox</c> as well.
/// </remarks>
internal sealed class HtmlModel(CampaignService campaigns, ClientService clients, ClientAccess access) : PageModel
{
    /// <summary>The policy of the mail's HTML: its own inline styles and data: images, nothing else.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'; sandbox";

    public async Task<IActionResult> OnGetAsync(string pack, string? client, string? locale)
    {
        var ct = HttpContext.RequestAborted;
        var found = campaigns.FindPack(pack);
        if (found.Pack is null || string.IsNullOrWhiteSpace(client))
        {
            return NotFound();
        }

        var row = await clients.ResolveAsync(client, ct);
        if (!await access.MayOpenAsync(User, row.ClientId, ct))
        {
            return NotFound();
        }

        var message = await campaigns.PreviewAsync(found.Pack.Directory, row.ClientId.ToString(CultureInfo.InvariantCulture), string.IsNullOrWhiteSpace(locale) ? null : locale, ct);
        Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        Response.Headers.XFrameOptions = "SAMEORIGIN";
        return Content(message.HtmlBody ?? "<!DOCTYPE html><p>This pack has no HTML part.</p>", "text/html; charset=utf-8");
    }
}
