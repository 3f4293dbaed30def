using CrmExtensions.Application.Clients;
using CrmExtensions.Store.Clients;
using CrmExtensions.Web.Security;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CrmExtensions.Web.Pages.Clients;

/// <summary>The client list: search by name, INN, phone or e-mail; filters; two orders; keyset pages.</summary>
internal sealed class IndexModel(ClientService clients, ClientAccess access) : PageModel
{
    /// <summary>Clients per page.</summary>
    public const int PageSize = 50;

    public ClientListPage? Result { get; private set; }

    public ClientListFilter Filter { get; private set; } = new();

    /// <summary>Whether "my clients" is on (a manager's default).</summary>
    public bool Mine { get; private set; }

    /// <summary>Managers restricted to their own clients cannot turn "mine" off.</summary>
    public bool MineForced => access.LimitedToOwn(User);

    public string? After { get; private set; }

    public async Task OnGetAsync(string? q, string? who, string? manager, string? region, string? stage, string? abc, string? overdue, string? tag, string? sort, string? after)
    {
        // A manager's list starts with their own clients; "who=all" shows everyone's (or one manager's) unless the configuration forbids it.
        Mine = MineForced || who switch { "mine" => true, "all" => false, _ => !User.IsDirector() };
        Filter = new ClientListFilter(
            Search: Clean(q),
            Manager: Mine ? User.ActsAs() : Clean(manager),
            Region: Clean(region),
            Stage: Clean(stage),
            AbcClass: Clean(abc)?.ToUpperInvariant(),
            Overdue: overdue switch { "yes" => true, "no" => false, _ => null },
            Tag: Clean(tag),
            Order: sort == "name" ? ClientListOrder.Name : ClientListOrder.Revenue);
        After = Clean(after);
        Result = await clients.DirectoryAsync(Filter, After, PageSize, HttpContext.RequestAborted);
    }

    /// <summary>The query string of this list with one parameter changed.</summary>
    public string Link(string? after) => "/clients" + QueryString.Create(new Dictionary<string, string?>
    {
        ["q"] = Filter.Search,
        ["who"] = Mine ? "mine" : "all",
        ["manager"] = Mine ? null : Filter.Manager,
        ["region"] = Filter.Region,
        ["stage"] = Filter.Stage,
        ["abc"] = Filter.AbcClass,
        ["overdue"] = Filter.Overdue switch { true => "yes", false => "no", _ => null },
        ["tag"] = Filter.Tag,
        ["sort"] = Filter.Order == ClientListOrder.Name ? "name" : null,
        ["after"] = after,
    }.Where(p => p.Value is not null)).ToUriComponent();

    private static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
