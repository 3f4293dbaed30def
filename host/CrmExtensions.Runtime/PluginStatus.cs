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
public sealed record DispatchSummary(int Events, int Deliveries, int Failures, IReadOnlyList<string> Problems);

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
}
