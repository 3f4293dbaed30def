using CrmExtensions.Application.Clients;
using CrmExtensions.Store.Clients;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CrmExtensions.Web.Pages.Review;

/// <summary>Duplicate review: the pairs unification left for people, best first, one at a time with both ledger rows side by
/// side; each decision is the one <c>crmx clients merge|never-link</c> records, applied by the next unification.</summary>
/// <remarks>Directors and admins only (the folder's policy in <see cref="WebApp"/>).</remarks>
internal sealed class IndexModel(ClientService clients) : PageModel
{
    /// <summary>Pairs listed at the most.</summary>
    public const int Top = 200;

    /// <summary>The decisions a person can take on a pair.</summary>
    public static readonly IReadOnlyList<(string Value, string Label)> Decisions =
        [("same-client", "Same client"), ("same-entity", "Same legal entity"), ("never-link", "Never link")];

    public IReadOnlyList<ReviewPairRow> Pairs { get; private set; } = [];

    /// <summary>The place in <see cref="Pairs"/> of the pair shown.</summary>
    public int At { get; private set; }

    public ReviewPairRow? Current => At < Pairs.Count ? Pairs[At] : null;

    [TempData]
    public string? Notice { get; set; }

    public async Task OnGetAsync(int at)
    {
        Pairs = await clients.ReviewPairsAsync(Top, HttpContext.RequestAborted);
        At = Math.Clamp(at, 0, Math.Max(0, Pairs.Count - 1));
    }

    public async Task<IActionResult> OnPostDecideAsync(string first, string second, string decision, int at)
    {
        var ct = HttpContext.RequestAborted;
        var note = "web: " + User.Identity!.Name;
        var rows = new[] { first, second };
        var outcome = decision switch
        {
            "same-client" => await clients.MergeAsync(rows, sameLegalEntity: false, note, apply: false, ct),
            "same-entity" => await clients.MergeAsync(rows, sameLegalEntity: true, note, apply: false, ct),
            "never-link" => await clients.NeverLinkAsync(rows, note, apply: false, ct),
            _ => throw new Application.InvalidRequestException($"'{decision}' is not a decision; take one of: {string.Join(", ", Decisions.Select(d => d.Value))}"),
        };
        Notice = $"Decision {outcome.DecisionId} recorded: {first} and {second}, {Decisions.First(d => d.Value == decision).Label.ToLowerInvariant()}. " +
            "The next unification applies it; undo it under Decisions.";
        // The decided pair leaves the list, so the same place shows the next one.
        return Redirect(at > 0 ? $"/review?at={at}" : "/review");
    }
}
