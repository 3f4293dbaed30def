using System.Globalization;
using CrmExtensions.Application.Clients;
using CrmExtensions.Store.Clients;
using CrmExtensions.Web.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CrmExtensions.Web.Pages.Clients;

/// <summary>"Why are these together?": every link of a client with its rule, evidence and score, and its pairs in review.</summary>
internal sealed class LinksModel(ClientService clients, ClientAccess access) : PageModel
{
    public ClientRow? Client { get; private set; }

    public IReadOnlyList<LinkRow> Links { get; private set; } = [];

    public IReadOnlyList<ReviewRow> Review { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(long id)
    {
        var ct = HttpContext.RequestAborted;
        if (!await access.MayOpenAsync(User, id, ct))
        {
            return NotFound();
        }

        (Client, Links, Review) = await clients.ExplainAsync(id.ToString(CultureInfo.InvariantCulture), ct);
        return Client.ClientId == id ? Page() : NotFound();
    }
}
