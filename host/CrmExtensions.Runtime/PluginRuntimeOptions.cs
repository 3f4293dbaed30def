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

    /// <summary>Gets or sets how many reminder rules of different plugins are evaluated at once.</summary>
    /// <remarks>Rules of one plugin are evaluated in turn, each seeing what the one before it stored; what the plugins return
    /// is written in the plugins' order whichever evaluation ends first. 1 evaluates one plugin after another.</remarks>
    /// <value>The machine's processor count.</value>
    public int RuleConcurrency { get; set; } = Environment.ProcessorCount;

    /// <summary>Gets or sets how many events are read from the store at a time.</summary>
    /// <value>500.</value>
    public int BatchSize { get; set; } = 500;

    /// <summary>Gets or sets after how many timeouts in a row a handler gets no more events in the current run.</summary>
    /// <value>3.</value>
    public int MaxConsecutiveTimeouts { get; set; } = 3;

    /// <summary>Gets or sets where plugin code (startup, reminder rules, jobs, event handlers, stage guards) runs: in worker processes the host supervises, or in the host's own process.</summary>
    /// <value><see cref="PluginIsolation.InProcess"/> for a runtime made in code (tests, the test kit); <c>crmx</c> defaults to
    /// <see cref="PluginIsolation.Process"/> (<c>plugins:isolation</c>).</value>
    public PluginIsolation Isolation { get; set; } = PluginIsolation.InProcess;

    /// <summary>Gets or sets how a worker process is started: the program and the arguments before the worker's own
    /// (<c>crmx plugin-worker</c>). Required in <see cref="PluginIsolation.Process"/> mode.</summary>
    public WorkerCommand? WorkerCommand { get; set; }

    /// <summary>Gets or sets each worker's managed heap limit in megabytes (the runtime's <c>GCHeapHardLimit</c>): an allocation
    /// beyond it fails in the worker, not on the host's machine.</summary>
    /// <value>1024.</value>
    public int WorkerMemoryMb { get; set; } = 1024;

    /// <summary>Gets or sets how many failed worker calls within <see cref="QuarantineWindow"/> quarantine a plugin.</summary>
    /// <value>3.</value>
    public int QuarantineAfter { get; set; } = 3;

    /// <summary>Gets or sets how far back failed worker calls count towards <see cref="QuarantineAfter"/>.</summary>
    /// <value>1 hour.</value>
    public TimeSpan QuarantineWindow { get; set; } = TimeSpan.FromHours(1);

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

/// <summary>Where plugin code runs.</summary>
public enum PluginIsolation
{
    /// <summary>In the host's process: for plugin development and the test kit; a plugin that exits or aborts takes the host with it.</summary>
    InProcess,

    /// <summary>Startup, reminder rules, jobs, event handlers and stage guards in one supervised worker process per plugin; the
    /// host applies what they return.</summary>
    Process,
}

/// <summary>How to start a worker process.</summary>
/// <param name="FileName">The program.</param>
/// <param name="Arguments">The arguments that make it a worker (such as <c>crmx.dll plugin-worker</c>).</param>
public sealed record WorkerCommand(string FileName, IReadOnlyList<string> Arguments);
