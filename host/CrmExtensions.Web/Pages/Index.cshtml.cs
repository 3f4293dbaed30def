using CrmExtensions.Application.Reminders;
using CrmExtensions.Application.Workday;
using CrmExtensions.Runtime.Reminders;
using CrmExtensions.Web.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CrmExtensions.Web.Pages;

/// <summary>"My day": the signed-in manager's reminders due today and overdue, birthdays, lapsing clients; done, dismiss, snooze in place.</summary>
internal sealed class MyDayModel(WorkdayService workday, ReminderService reminders, ClientAccess access) : PageModel
{
    /// <summary>How many reminders the page lists at most.</summary>
    public const int Shown = 50;

    public MyDay? Day { get; private set; }

    /// <summary>Whose day is shown, or null for everyone's.</summary>
    public string? Manager { get; private set; }

    public bool Everyone => Manager is null;

    /// <summary>Directors may look at everyone's day; managers too unless they see only their own clients.</summary>
    public bool CanChooseWho => !access.LimitedToOwn(User);

    [TempData]
    public string? Notice { get; set; }

    public async Task OnGetAsync(string? who)
    {
        Manager = who == "all" && CanChooseWho ? null : User.ActsAs();
        Day = await workday.MyDayAsync(Manager, HttpContext.RequestAborted);
    }

    public async Task<IActionResult> OnPostCloseAsync(string key, string? plugin, string status)
    {
        var to = status == "dismissed" ? ReminderStatus.Dismissed : ReminderStatus.Done;
        var (outcome, _, _) = await reminders.CloseAsync(key, plugin, to, User.Identity!.Name!, null, HttpContext.RequestAborted);
        return Answer(outcome == CloseOutcome.Closed ? (to == ReminderStatus.Done ? "Marked done." : "Dismissed.") : Explain(outcome));
    }

    public async Task<IActionResult> OnPostSnoozeAsync(string key, string? plugin, int days)
    {
        days = Math.Clamp(days, 1, 90);
        var (outcome, _) = await reminders.SnoozeAsync(key, plugin, reminders.Today.AddDays(days), HttpContext.RequestAborted);
        return Answer(outcome == CloseOutcome.Closed ? $"Snoozed until {Display.Day(reminders.Today.AddDays(days))}." : Explain(outcome));
    }

    private static string Explain(CloseOutcome outcome) => outcome switch
    {
        CloseOutcome.NotFound => "That reminder no longer exists.",
        CloseOutcome.Ambiguous => "Several plugins have a reminder with that key.",
        _ => "That reminder was closed already.",
    };

    // A script posting in place gets the line to show; a plain form gets the page again.
    private IActionResult Answer(string notice)
    {
        if (Request.Headers["X-Requested-With"] == "fetch")
        {
            return Content(notice, "text/plain; charset=utf-8");
        }

        Notice = notice;
        return RedirectToPage();
    }
}
