using System.Globalization;
using CrmExtensions.Application.Activities;
using CrmExtensions.Application.Clients;
using CrmExtensions.Application.Deals;
using CrmExtensions.Store.Mirror;
using CrmExtensions.Ledger.Reading;
using CrmExtensions.Application.Reminders;
using CrmExtensions.Reports.Dossier;
using CrmExtensions.Runtime.Pipelines;
using CrmExtensions.Store;
using CrmExtensions.Store.Activities;
using CrmExtensions.Web.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CrmExtensions.Web.Pages.Clients;

/// <summary>What the "log a contact" form sends.</summary>
internal sealed class ContactForm
{
    public string Kind { get; set; } = ActivityKinds.Call;

    public string? Direction { get; set; }

    /// <summary>Local time in the company's zone, as a <c>datetime-local</c> input sends it.</summary>
    public string? OccurredAt { get; set; }

    public string? Subject { get; set; }

    public string? Outcome { get; set; }

    public string? Contact { get; set; }

    public string? Deal { get; set; }

    public string? Notes { get; set; }

    public string? FollowUp { get; set; }

    public string? FollowUpOn { get; set; }
}

/// <summary>What the "open a deal" form sends.</summary>
internal sealed class DealForm
{
    public string? Title { get; set; }

    /// <summary>PLUGIN/PIPELINE.</summary>
    public string? Pipeline { get; set; }

    /// <summary>Russian or English writing: 1 234,56 or 1,234.56.</summary>
    public string? Amount { get; set; }

    public string? ExpectedClose { get; set; }
}

/// <summary>The client card: the dossier over every legal entity and branch, the timeline, and the contact log form.</summary>
internal sealed class CardModel(
    ClientService clients, ActivityService activities, ReminderService reminders, DealService deals, ClientAccess access, Display display) : PageModel
{
    /// <summary>Timeline entries per page.</summary>
    public const int PageSize = 25;

    public ClientCard? Card { get; private set; }

    public TimelinePage? Timeline { get; private set; }

    public IReadOnlyList<CrmExtensions.Store.Clients.ClientTagRow> Tags { get; private set; } = [];

    public string? After { get; private set; }

    [TempData]
    public string? Notice { get; set; }

    public string? Error { get; private set; }

    /// <summary>Why the "open a deal" form was refused.</summary>
    public string? DealError { get; private set; }

    /// <summary>The pipelines a deal may be opened in.</summary>
    public IReadOnlyList<PipelineInfo> Pipelines { get; private set; } = [];

    [BindProperty]
    public ContactForm Form { get; set; } = new();

    [BindProperty]
    public DealForm NewDeal { get; set; } = new();

    public async Task<IActionResult> OnGetAsync(long id, string? after)
    {
        if (!await LoadAsync(id, after))
        {
            return NotFound();
        }

        Form.OccurredAt = display.Now.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);
        return Page();
    }

    public async Task<IActionResult> OnPostLogAsync(long id)
    {
        if (!await MayOpenAsync(id))
        {
            return NotFound();
        }

        var ct = HttpContext.RequestAborted;
        try
        {
            var request = new ActivityRequest
            {
                Client = id.ToString(CultureInfo.InvariantCulture),
                Kind = Form.Kind,
                OccurredAt = OccurredAt(Form.OccurredAt),
                Subject = Form.Subject?.Trim() ?? "",
                Source = "web",
                Manager = User.ActsAs(),
                Outcome = Blank(Form.Outcome),
                Direction = Blank(Form.Direction),
                Contact = Blank(Form.Contact),
                Deal = Blank(Form.Deal),
                Notes = Blank(Form.Notes),
            };
            var (activityId, client, kind) = await activities.AddAsync(request, ct);
            var notice = $"Logged: {kind} ({activityId}).";
            if (Blank(Form.FollowUpOn) is { } due)
            {
                if (!DateOnly.TryParseExact(due, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var dueOn))
                {
                    throw new Application.InvalidRequestException($"the follow-up date '{due}' is not a date");
                }

                var title = Blank(Form.FollowUp) ?? $"Follow up: {Blank(Form.Subject) ?? kind} — {client.DisplayName}";
                await reminders.AddFollowUpAsync(client.ClientId, title, dueOn, User.ActsAs(), Blank(Form.Notes), ct);
                notice += $" Follow-up on {Display.Day(dueOn)}.";
            }

            Notice = notice;
            return RedirectToPage(new { id });
        }
        catch (CrmException ex)
        {
            // Shown beside the form, which keeps what was typed.
            Error = ex.Message;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            await LoadAsync(id, null);
            return Page();
        }
    }

    public async Task<IActionResult> OnPostDealAsync(long id)
    {
        if (!await MayOpenAsync(id))
        {
            return NotFound();
        }

        var ct = HttpContext.RequestAborted;
        try
        {
            var (deal, _, pipeline) = await deals.OpenAsync(new DealRequest
            {
                Client = id.ToString(CultureInfo.InvariantCulture),
                Title = Blank(NewDeal.Title) ?? throw new Application.InvalidRequestException("a deal needs a title"),
                Pipeline = Blank(NewDeal.Pipeline) ?? throw new Application.InvalidRequestException("choose the deal's pipeline"),
                Amount = Amount(NewDeal.Amount),
                Owner = User.ActsAs(),
                ExpectedClose = Blank(NewDeal.ExpectedClose) is { } close
                    ? DateOnly.TryParseExact(close, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
                        ? day
                        : throw new Application.InvalidRequestException($"the expected close '{close}' is not a date")
                    : null,
            }, ct);
            Notice = $"Opened deal {deal.Display} '{deal.Title}' in {pipeline.Name}, stage {deal.Stage}.";
            return Redirect($"/clients/{id}#deals");
        }
        catch (CrmException ex)
        {
            DealError = ex.Message;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            await LoadAsync(id, null);
            return Page();
        }
    }

    private static decimal? Amount(string? text)
    {
        if (Blank(text) is not { } amount)
        {
            return null;
        }

        // The same reading as 'crmx deals add --amount' and the ledgers' money columns.
        return ValueConverter.TryConvert(ColumnType.Money, amount, out var converted, out _) && converted is long stored
            ? Money.FromStored(stored)
            : throw new Application.InvalidRequestException($"'{amount}' is not an amount such as 1 234,56");
    }

    private async Task<bool> LoadAsync(long id, string? after)
    {
        if (!await MayOpenAsync(id))
        {
            return false;
        }

        var ct = HttpContext.RequestAborted;
        Card = await clients.DossierAsync(id.ToString(CultureInfo.InvariantCulture), display.Today, ct);
        if (Card.Client.ClientId != id)
        {
            return false;
        }

        After = after;
        Timeline = await clients.TimelineAsync(id, after, PageSize, display.Today, ct);
        Tags = Card.Tags;
        Pipelines = await deals.PipelinesAsync(ct);
        return true;
    }

    private Task<bool> MayOpenAsync(long id) => access.MayOpenAsync(User, id, HttpContext.RequestAborted);

    private DateTimeOffset OccurredAt(string? local)
    {
        if (Blank(local) is not { } text)
        {
            return display.Now;
        }

        if (!DateTime.TryParseExact(text, ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var value))
        {
            throw new Application.InvalidRequestException($"'{text}' is not a date and time");
        }

        return display.FromLocal(value);
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
