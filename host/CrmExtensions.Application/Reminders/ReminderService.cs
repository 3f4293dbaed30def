using CrmExtensions.Application.Internal;
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
    public Task<IReadOnlyList<ReminderEntry>> DueAsync(DateOnly? day, string? manager, bool all, CancellationToken cancellationToken) =>
        Sync.Run(() => Book.Due(day ?? Today, manager, all), cancellationToken);

    /// <summary>Reminders with a status (every status when null), optionally one manager's.</summary>
    public Task<IReadOnlyList<ReminderEntry>> ListAsync(ReminderStatus? status, string? manager, CancellationToken cancellationToken) =>
        Sync.Run<IReadOnlyList<ReminderEntry>>(() => Book.List(status).Where(r => manager is null || r.Manager == manager).ToList(), cancellationToken);

    /// <summary>Marks a reminder done or dismissed; it is never re-created.</summary>
    public Task<(CloseOutcome Outcome, ReminderStatus? Status, IReadOnlyList<string> Plugins)> CloseAsync(
        string key, string? pluginId, ReminderStatus status, string by, string? note, CancellationToken cancellationToken) =>
        Sync.Run(() => Book.Close(key, pluginId, status, by, note), cancellationToken);

    /// <summary>Moves an open reminder to another day.</summary>
    public Task<(CloseOutcome Outcome, IReadOnlyList<string> Plugins)> SnoozeAsync(string key, string? pluginId, DateOnly dueOn, CancellationToken cancellationToken) =>
        Sync.Run(() => Book.Snooze(key, pluginId, dueOn), cancellationToken);

    /// <summary>The source of reminders people set themselves (follow-ups from the contact log).</summary>
    public const string PersonalSource = "crm";

    /// <summary>Stores a follow-up a person set on a client, on the client's head counterparty so that the dossier lists it.</summary>
    /// <returns>The reminder's key.</returns>
    public Task<string> AddFollowUpAsync(long clientId, string title, DateOnly dueOn, string? manager, string? notes, CancellationToken cancellationToken) =>
        Sync.Run(() =>
        {
            var head = new global::CrmExtensions.Store.Clients.ClientStore(workspace.Store).Members(clientId)
                .OrderByDescending(m => m.Member.Role == "head").Select(m => m.Member).FirstOrDefault();
            return Book.AddPersonal(PersonalSource, title, dueOn, clientId, head?.Ledger, head?.LedgerId, manager, notes);
        }, cancellationToken);

    /// <summary>Evaluates every loaded plugin's reminder rules for a day (today when null).</summary>
    /// <param name="progress">Told <c>plugin: Rule (n of N rules)</c> as each rule starts.</param>
    public async Task<ReminderSummary> EvaluateAsync(DateOnly? day, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var runtime = await workspace.PluginsAsync(cancellationToken).ConfigureAwait(false);
        return await runtime.RunRemindersAsync(workspace.ReminderSettings, day, progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// What a <c>crmx run</c> cycle evaluates: every rule when something a rule reads changed since <paramref name="since"/>
    /// (a <see cref="Store.ChangeFingerprint"/> with the day), else only the rules marked to run every cycle.
    /// </summary>
    /// <returns>The summary (null when nothing was evaluated) and the fingerprint to pass next time.</returns>
    public async Task<(ReminderSummary? Summary, string Fingerprint, bool All)> EvaluateIfChangedAsync(string? since, CancellationToken cancellationToken)
    {
        var runtime = await workspace.PluginsAsync(cancellationToken).ConfigureAwait(false);
        var settings = workspace.ReminderSettings;
        var now = Fingerprint(settings);
        if (now != since)
        {
            var all = await runtime.RunRemindersAsync(settings, null, null, cancellationToken).ConfigureAwait(false);
            // Taken after: what the rules wrote themselves (tags, data) is not a change to evaluate again for.
            return (all, Fingerprint(settings), true);
        }

        return runtime.HasEveryCycleRules
            ? (await runtime.RunEveryCycleRemindersAsync(settings, cancellationToken).ConfigureAwait(false), Fingerprint(settings), false)
            : (null, now, false);
    }

    private string Fingerprint(Runtime.Reminders.ReminderSettings settings) =>
        settings.Today(workspace.Time.GetUtcNow()).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) + "|" +
        Store.ChangeFingerprint.Read(workspace.Store);
}
