namespace CrmExtensions.Runtime;

/// <summary>Time budgets and batch sizes of the plugin runtime.</summary>
public sealed class PluginRuntimeOptions
{
    /// <summary>Gets or sets how long a plugin's startup may take before the plugin is disabled.</summary>
    /// <value>10 seconds.</value>
    public TimeSpan StartupBudget { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets how long one call into a plugin (handler, rule, guard, report) may take before it is abandoned.</summary>
    /// <value>10 seconds.</value>
    public TimeSpan CallBudget { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets how long one evaluation of a reminder rule may take before it is abandoned.</summary>
    /// <remarks>Longer than <see cref="CallBudget"/>: a rule reads the whole client base (a million counterparties take a minute or so).</remarks>
    /// <value>10 minutes.</value>
    public TimeSpan RuleBudget { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Gets or sets how many events are read from the store at a time.</summary>
    /// <value>500.</value>
    public int BatchSize { get; set; } = 500;

    /// <summary>Gets or sets after how many timeouts in a row a handler gets no more events in the current run.</summary>
    /// <value>3.</value>
    public int MaxConsecutiveTimeouts { get; set; } = 3;

    /// <summary>Gets or sets each plugin's settings (by plugin id, ignoring case), which the plugin reads through <c>IPluginSettings</c>.</summary>
    /// <value>Empty: every plugin sees no settings and uses its defaults.</value>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> PluginSettings { get; set; } =
        new Dictionary<string, IReadOnlyDictionary<string, string>>();

    /// <summary>Gets or sets the rule that holds marketing mail back from clients with unresolved problems: a plugin's mail marked
    /// marketing (<c>OutgoingMail.Marketing</c>) that names a client with overdue debt over the threshold or an open complaint is
    /// recorded in the outbox as <c>withheld</c> and never sent. Transactional mail is not affected.</summary>
    /// <value>On, any overdue debt (the <c>marketing</c> section of <c>crmx.json</c>).</value>
    public Store.Campaigns.HoldBackOptions HoldBack { get; set; } = new();
}
