using CrmExtensions.Application.Internal;
using CrmExtensions.Reports.Workday;
using CrmExtensions.Runtime.Reminders;

namespace CrmExtensions.Application.Workday;

/// <summary>A manager's day: reminders due today and overdue (overdue first), birthdays today, clients starting to lapse.</summary>
internal sealed record MyDay(DateOnly Today, IReadOnlyList<ReminderEntry> Overdue, IReadOnlyList<ReminderEntry> DueToday,
    IReadOnlyList<BirthdayEntry> Birthdays, IReadOnlyList<LapsingClient> Lapsing);

/// <summary>What a manager sees first: the day's work gathered from reminders, contacts and the lifecycle plugin's marks.</summary>
internal sealed class WorkdayService(CrmWorkspace workspace)
{
    /// <summary>How many lapsing clients "my day" lists at most.</summary>
    public const int LapsingLimit = 20;

    /// <summary>The day of <paramref name="manager"/> (everyone's when null), today in the reminders' time zone.</summary>
    public Task<MyDay> MyDayAsync(string? manager, CancellationToken cancellationToken) => Sync.Run(() =>
    {
        var today = workspace.ReminderSettings.Today(workspace.Time.GetUtcNow());
        var book = new ReminderBook(workspace.Store, workspace.ReminderSettings);
        var due = book.Due(today, manager);
        var reader = new MyDayReader(workspace.Store);
        return new MyDay(today,
            due.Where(r => r.ShownDueOn < today).OrderBy(r => r.ShownDueOn).ToList(),
            due.Where(r => r.ShownDueOn >= today).ToList(),
            reader.Birthdays(today, manager),
            reader.Lapsing(manager, LapsingLimit));
    }, cancellationToken);
}
