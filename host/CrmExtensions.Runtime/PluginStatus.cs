namespace CrmExtensions.Runtime;

/// <summary>Whether a plugin runs.</summary>
public enum PluginState
{
    /// <summary>Loaded and started; its contributions are active.</summary>
    Loaded,

    /// <summary>Refused before loading: no manifest, a newer SDK, a duplicate id, a missing dependency.</summary>
    Refused,

    /// <summary>Loaded but its startup failed or timed out, or a template is broken.</summary>
    Disabled,

    /// <summary>Failed too often in its worker; skipped until <c>crmx plugins enable</c>.</summary>
    Quarantined,
}

/// <summary>One plugin folder as the runtime found it, for <c>crmx plugins list</c>.</summary>
/// <param name="Directory">The plugin's folder.</param>
/// <param name="Id">The id from its manifest, or null when there is none.</param>
/// <param name="Version">The plugin's version, or null.</param>
/// <param name="SdkVersion">The SDK version it was built against, or null.</param>
/// <param name="State">Whether it runs.</param>
/// <param name="Reason">Why it was refused or disabled, and what to do; null when loaded.</param>
/// <param name="Contributes">What it contributes, in one line; empty unless loaded.</param>
public sealed record PluginStatus(string Directory, string? Id, string? Version, string? SdkVersion, PluginState State, string? Reason, string Contributes);

/// <summary>What one dispatch run did.</summary>
/// <param name="Events">Events delivered to at least one handler.</param>
/// <param name="Deliveries">Successful (event, handler) deliveries.</param>
/// <param name="Failures">Deliveries that threw or timed out.</param>
/// <param name="Problems">One line per failure, naming the plugin.</param>
public sealed record DispatchSummary(int Events, int Deliveries, int Failures, IReadOnlyList<string> Problems)
{
    /// <summary>Gets how many client tags each plugin's handlers set or removed in committed deliveries, by plugin id;
    /// plugins that wrote none are absent.</summary>
    public IReadOnlyDictionary<string, int> TagWrites { get; init; } = new Dictionary<string, int>();
}

/// <summary>What one evaluation of the reminder rules did.</summary>
/// <param name="Rules">Rules evaluated.</param>
/// <param name="NewReminders">Reminders stored now (ones already stored are not counted).</param>
/// <param name="MailsQueued">Mails put in the outbox now.</param>
/// <param name="Problems">One line per failure, naming the plugin.</param>
public sealed record ReminderSummary(int Rules, int NewReminders, int MailsQueued, IReadOnlyList<string> Problems)
{
    /// <summary>Gets the day the rules were evaluated for.</summary>
    public DateOnly Today { get; init; }

    /// <summary>Gets how many open reminders were cancelled because their rule no longer returns them.</summary>
    public int Cancelled { get; init; }

    /// <summary>Gets how many still-queued mails of cancelled reminders were cancelled with them.</summary>
    public int MailsCancelled { get; init; }

    /// <summary>Gets the figures of each plugin with reminder rules, in load order.</summary>
    public IReadOnlyList<PluginReminderSummary> Plugins { get; init; } = [];

    /// <summary>Gets how many client tags each plugin's rules set or removed, by plugin id; plugins that wrote none are absent.</summary>
    public IReadOnlyDictionary<string, int> TagWrites =>
        Plugins.Where(p => p.TagWrites > 0).GroupBy(p => p.PluginId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(p => p.TagWrites), StringComparer.Ordinal);
}

/// <summary>What one evaluation did for one plugin.</summary>
/// <param name="PluginId">The plugin.</param>
/// <param name="Rules">Its rules evaluated (failed ones included).</param>
/// <param name="NewReminders">Reminders stored now.</param>
/// <param name="Cancelled">Open reminders cancelled because their rule no longer returns them.</param>
/// <param name="MailsQueued">Mails put in the outbox now.</param>
/// <param name="MailsCancelled">Queued mails cancelled with their reminders.</param>
/// <param name="Titles">The titles of the first few new reminders.</param>
public sealed record PluginReminderSummary(string PluginId, int Rules, int NewReminders, int Cancelled, int MailsQueued, int MailsCancelled, IReadOnlyList<string> Titles)
{
    /// <summary>Gets how long its rules took, reading, deciding and storing: a slow rule shows here by its plugin.</summary>
    public TimeSpan Elapsed { get; init; }

    /// <summary>Gets how many client tags its rules set or removed.</summary>
    public int TagWrites { get; init; }
}

/// <summary>How tag writes per plugin read in a summary line.</summary>
public static class TagWriteCounts
{
    /// <summary>"; tag writes: A 3, B 1" for the plugins that wrote tags, by plugin id; empty when none did.</summary>
    /// <param name="counts">Tag writes by plugin id, as <see cref="DispatchSummary.TagWrites"/> and <see cref="ReminderSummary.TagWrites"/> give them.</param>
    /// <exception cref="ArgumentNullException"><paramref name="counts"/> is null.</exception>
    public static string Describe(IReadOnlyDictionary<string, int> counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        var written = counts.Where(c => c.Value > 0).OrderBy(c => c.Key, StringComparer.Ordinal).ToList();
        return written.Count == 0
            ? ""
            : "; tag writes: " + string.Join(", ", written.Select(c => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{c.Key} {c.Value:N0}")));
    }
}

/// <summary>One job slot run in a <see cref="JobSummary"/>.</summary>
/// <param name="PluginId">The plugin.</param>
/// <param name="Job">The job's name.</param>
/// <param name="Slot">The slot's start.</param>
/// <param name="Succeeded">False when the job threw or overran its budget (its writes dropped; the slot is tried again).</param>
public sealed record JobOutcome(string PluginId, string Job, DateTimeOffset Slot, bool Succeeded);

/// <summary>What one run of the due jobs did (SDK 1.2 jobs).</summary>
/// <param name="Ran">The slots this host ran, in order; slots already done or running elsewhere are not listed.</param>
/// <param name="Problems">One line per failure, naming the plugin and job.</param>
public sealed record JobSummary(IReadOnlyList<JobOutcome> Ran, IReadOnlyList<string> Problems)
{
    /// <summary>Gets how many client tags each plugin's jobs set or removed, by plugin id; plugins that wrote none are absent.</summary>
    public IReadOnlyDictionary<string, int> TagWrites { get; init; } = new Dictionary<string, int>();
}
