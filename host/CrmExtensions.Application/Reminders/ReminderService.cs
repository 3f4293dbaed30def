using CrmExtensions.Runtime;
using CrmExtensions.Runtime.Reminders;

namespace CrmExtensions.Application.Reminders;

/// <summary>Reminders from the plugins' rules: what is due, evaluating the rules, closing reminders.</summary>
internal sealed class ReminderService(CrmWorkspace workspace)
{
    private ReminderBook Book => new(workspace.Store, workspace.ReminderSettings);

    /// <summary>Today in the reminders' time zone.</summary>
    public DateOnly Today => workspace.ReminderSettings.Today(workspace.Time.GetUtcNow());

    /// <summary>The reminders' time zone and working calendar.</summary>
    public ReminderSettings Settings => workspace.ReminderSettings;

    /// <summary>Open reminders due by <paramref name="day"/> (today when null), or every open one when <paramref name="all"/>.</summary>
    public IReadOnlyList<ReminderEntry> Due(DateOnly? day, string? manager, bool all) => Book.Due(day ?? Today, manager, all);

    /// <summary>Reminders with a status (every status when null), optionally one manager's.</summary>
    public IReadOnlyList<ReminderEntry> List(ReminderStatus? status, string? manager) =>
        Book.List(status).Where(r => manager is null || r.Manager == manager).ToList();

    /// <summary>Marks a reminder done or dismissed; it is never re-created.</summary>
    public (CloseOutcome Outcome, ReminderStatus? Status, IReadOnlyList<string> Plugins) Close(string key, string? pluginId, ReminderStatus status, string by, string? note) =>
        Book.Close(key, pluginId, status, by, note);

    /// <summary>Evaluates every loaded plugin's reminder rules for a day (today when null).</summary>
    /// <param name="progress">Told <c>plugin: Rule (n of N rules)</c> as each rule starts.</param>
    public async Task<ReminderSummary> EvaluateAsync(DateOnly? day, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var runtime = await workspace.PluginsAsync(cancellationToken).ConfigureAwait(false);
        return await runtime.RunRemindersAsync(workspace.ReminderSettings, day, progress, cancellationToken).ConfigureAwait(false);
    }
}
