using CrmExtensions.Application.Clients;
using CrmExtensions.Application.Segments;
using CrmExtensions.Store;
using CrmExtensions.Store.Clients;
using CrmExtensions.Store.Segments;
using CrmExtensions.Web.Security;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CrmExtensions.Web.Pages.Clients;

/// <summary>The client list: search by name, INN, phone or e-mail; filters; two orders; keyset pages.</summary>
internal sealed class IndexModel(ClientService clients, SegmentService segments, ClientAccess access) : PageModel
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

    /// <summary>The stored behaviour segments the list can be narrowed to, by name.</summary>
    public IReadOnlyList<SegmentDefinition> Segments { get; private set; } = [];

    /// <summary>The stored segment the list is narrowed to, or null.</summary>
    public string? Segment { get; private set; }

    /// <summary>Why no page was read (the segment is not a stored one), as one line for the page.</summary>
    public string? Problem { get; private set; }

    public async Task OnGetAsync(string? q, string? who, string? manager, string? region, string? stage, string? abc, string? overdue, string? tag, string? segment,
        string? sort, string? after)
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
        Segment = Clean(segment);
        Segments = await segments.ListAsync(HttpContext.RequestAborted);
        try
        {
            // The campaigns' own compilation of the stored segment, embedded in the page's statement.
            Filter = Filter with { Clients = await segments.StoredSetAsync(Segment, HttpContext.RequestAborted) };
        }
        catch (CrmException ex)
        {
            Problem = ex.Message;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            Result = new ClientListPage([], null);
            return;
        }

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
        ["segment"] = Segment,
        ["sort"] = Filter.Order == ClientListOrder.Name ? "name" : null,
        ["after"] = after,
    }.Where(p => p.Value is not null)).ToUriComponent();

    private static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
