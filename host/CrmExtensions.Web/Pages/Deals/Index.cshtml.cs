using System.Globalization;
using CrmExtensions.Application.Deals;
using CrmExtensions.Runtime.Pipelines;
using CrmExtensions.Store;
using CrmExtensions.Store.Deals;
using CrmExtensions.Web.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CrmExtensions.Web.Pages.Deals;

/// <summary>The pipeline board: a column per stage of each pipeline the plugins define, a card per deal, moves past the same
/// pipeline rules and plugin guards as <c>crmx deals move</c>.</summary>
internal sealed class IndexModel(DealService deals, ClientAccess access, Display display) : PageModel
{
    /// <summary>Deals on one board at the most, newest first.</summary>
    public const int Limit = 500;

    public DealBoard? Board { get; private set; }

    /// <summary>The pipeline shown, as PLUGIN/PIPELINE; null for all.</summary>
    public string? Pipeline { get; private set; }

    /// <summary>Part of the deal owner's name; null for everyone's.</summary>
    public string? Manager { get; private set; }

    /// <summary>Only this client's deals.</summary>
    public long? Client { get; private set; }

    /// <summary>The deal (its id) the last move was about, with what became of it.</summary>
    [TempData]
    public string? MovedDeal { get; set; }

    [TempData]
    public string? MoveText { get; set; }

    /// <summary>"refused" or "moved".</summary>
    [TempData]
    public string? MoveResult { get; set; }

    public async Task<IActionResult> OnGetAsync(string? pipeline, string? manager, long? client)
    {
        var ct = HttpContext.RequestAborted;
        if (client is { } id && !await access.MayOpenAsync(User, id, ct))
        {
            return NotFound();
        }

        (Pipeline, Manager, Client) = (Clean(pipeline), Clean(manager), client);
        Board = await deals.BoardAsync(new DealBoardFilter
        {
            Pipeline = Pipeline, Owner = Manager, ClientId = Client, ClientManager = access.OwnClientsOf(User), Limit = Limit,
        }, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostMoveAsync(string deal, string to, string? pipeline, string? manager, long? client)
    {
        var ct = HttpContext.RequestAborted;
        var row = await deals.FindAsync(deal, ct);
        if (access.LimitedToOwn(User) && (row.ClientId is not { } owner || !await access.MayOpenAsync(User, owner, ct)))
        {
            return NotFound();
        }

        MovedDeal = row.Id;
        try
        {
            var move = await deals.MoveAsync(row.Id, to, User.ActsAs(), ct);
            MoveResult = move.Moved ? "moved" : "refused";
            MoveText = move.Moved
                ? $"Moved from '{move.Move.From}' to '{move.Move.To}'{(move.Outcome is null ? "" : $"; the deal is {move.Outcome}")}."
                : $"Stays in '{move.Move.From}': the move to '{move.Move.To}' was refused." +
                  string.Concat(move.Refusals.Select(r => $"\n{r.Source}: {r.Reason}"));
        }
        catch (CrmException ex)
        {
            // The pipeline forbids the move, or someone moved the deal meanwhile: said on the card, like a guard's refusal.
            MoveResult = "refused";
            MoveText = ex.Message;
        }

        return Redirect(Link(Clean(pipeline), Clean(manager), client) + "#deal-" + row.Id);
    }

    /// <summary>This board with other filters.</summary>
    public static string Link(string? pipeline, string? manager, long? client) => "/deals" + QueryString.Create(new Dictionary<string, string?>
    {
        ["pipeline"] = pipeline,
        ["manager"] = manager,
        ["client"] = client?.ToString(CultureInfo.InvariantCulture),
    }.Where(p => p.Value is not null)).ToUriComponent();

    /// <summary>The deals of one stage of a pipeline.</summary>
    public IEnumerable<DealRow> In(PipelineInfo pipeline, string stage) =>
        Board!.Deals.Where(d => d.PluginId == pipeline.PluginId && d.Pipeline == pipeline.Name && d.Stage == stage);

    /// <summary>How long a deal has been open, in whole days: <c>today</c>, <c>1 day</c>, <c>12 days</c>.</summary>
    public string Age(DealRow deal)
    {
        var opened = DateTimeOffset.Parse(deal.CreatedAt, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        var days = (long)(display.Now - opened).TotalDays;
        return days <= 0 ? "today" : Display.Count(days, "day", "days");
    }

    private static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
