using CrmExtensions.Application.Clients;
using CrmExtensions.Store.Clients;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CrmExtensions.Web.Pages.Review;

/// <summary>People's decisions about clients, newest first, as <c>crmx clients decisions --all</c> lists them; a live one can be
/// undone (it stays on record), which the next unification applies.</summary>
internal sealed class DecisionsModel(ClientService clients) : PageModel
{
    public IReadOnlyList<DecisionRow> Decisions { get; private set; } = [];

    [TempData]
    public string? Notice { get; set; }

    public async Task OnGetAsync() =>
        Decisions = [.. (await clients.DecisionsAsync(includeUndone: true, HttpContext.RequestAborted)).OrderByDescending(d => d.Id)];

    public async Task<IActionResult> OnPostUndoAsync(long id)
    {
        var outcome = await clients.UndoAsync(id, apply: false, HttpContext.RequestAborted);
        Notice = $"Decision {outcome.DecisionId} undone. The next unification applies it.";
        return Redirect("/review/decisions");
    }
}
