using System.Globalization;
using CrmExtensions.Application.Clients;
using CrmExtensions.Application.Configuration;
using CrmExtensions.Store.Clients;
using CrmExtensions.Web.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CrmExtensions.Web.Pages.Clients;

/// <summary>"Why are these together?": every link of a client with its rule, evidence and score, and its pairs in review.</summary>
internal sealed class LinksModel(ClientService clients, CrmConfiguration configuration) : PageModel
{
    public ClientRow? Client { get; private set; }

    public IReadOnlyList<LinkRow> Links { get; private set; } = [];

    public IReadOnlyList<ReviewRow> Review { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(long id)
    {
        var ct = HttpContext.RequestAborted;
        if (configuration.Web.ManagersSeeOnlyOwnClients && !User.IsDirector()
            && !await clients.IsManagedByAsync(id, User.Manager() ?? User.Identity!.Name!, ct))
        {
            return NotFound();
        }

        (Client, Links, Review) = await clients.ExplainAsync(id.ToString(CultureInfo.InvariantCulture), ct);
        return Client.ClientId == id ? Page() : NotFound();
    }
}
