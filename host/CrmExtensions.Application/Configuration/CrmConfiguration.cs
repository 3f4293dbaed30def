using System.Collections;
using CrmExtensions.Ledger;
using CrmExtensions.Store;
using Microsoft.Extensions.Configuration;

namespace CrmExtensions.Application.Configuration;

/// <summary>The <c>plugins</c> section of <c>crmx.json</c>.</summary>
internal sealed class PluginsOptions
{
    /// <summary>The folder with one sub-folder per plugin, relative to the configuration file.</summary>
    public string Directory { get; set; } = "plugins";

    /// <summary>Each plugin's settings, by plugin id: <c>"settings": { "CrmExtensions.Lifecycle": { "lapseDays": "120" } }</c>.</summary>
    public Dictionary<string, Dictionary<string, string>> Settings { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The plugins folder, absolute.</summary>
    public string FullDirectory(string baseDirectory) => Path.GetFullPath(Directory, baseDirectory);

    /// <summary>Where plugin code (startup, rules, jobs, event handlers, stage guards) runs: <c>process</c> (a supervised worker per plugin) or <c>inprocess</c>.</summary>
    public string Isolation { get; set; } = "process";

    /// <summary>How long one evaluation of a reminder rule or one job may take, in seconds, before it is abandoned (its worker killed).</summary>
    public int RuleBudgetSeconds { get; set; } = 600;

    /// <summary>How long one call into a plugin (an event handler, a stage guard, a report) may take, in seconds; in a worker, an
    /// overrun kills it.</summary>
    public int CallBudgetSeconds { get; set; } = 10;

    /// <summary>Each worker's managed heap limit in megabytes.</summary>
    public int WorkerMemoryMb { get; set; } = 1024;

    /// <summary>How many plugins' reminder rules are evaluated at once; 0 (the default) for the machine's processor count, 1 for
    /// one plugin after another.</summary>
    public int RuleConcurrency { get; set; }

    /// <summary>How many failed worker calls within <see cref="QuarantineWindowMinutes"/> quarantine a plugin.</summary>
    public int QuarantineAfter { get; set; } = 3;

    /// <summary>How far back failed worker calls count, in minutes.</summary>
    public int QuarantineWindowMinutes { get; set; } = 60;

    /// <summary>The runtime's options with these settings.</summary>
    /// <param name="holdBack">The <c>marketing</c> section: the rule that holds plugins' marketing mail back from clients with unresolved problems.</param>
    /// <exception cref="CrmException">A setting is out of range.</exception>
    public Runtime.PluginRuntimeOptions RuntimeOptions(global::CrmExtensions.Store.Campaigns.HoldBackOptions? holdBack = null)
    {
        var isolation = Isolation.Trim().ToLowerInvariant() switch
        {
            "process" => Runtime.PluginIsolation.Process,
            "inprocess" => Runtime.PluginIsolation.InProcess,
            _ => throw new CrmException($"plugins:isolation is \"process\" or \"inprocess\", not \"{Isolation}\"."),
        };
        if (WorkerMemoryMb < 64 || QuarantineAfter < 1 || QuarantineWindowMinutes < 1 || RuleBudgetSeconds < 1 || CallBudgetSeconds < 1 || RuleConcurrency < 0)
        {
            throw new CrmException("plugins:workerMemoryMb is at least 64; plugins:quarantineAfter, plugins:quarantineWindowMinutes, plugins:ruleBudgetSeconds and plugins:callBudgetSeconds at least 1; plugins:ruleConcurrency at least 0.");
        }

        return new()
        {
            HoldBack = holdBack ?? new(),
            PluginSettings = Settings.ToDictionary(p => p.Key, p => (IReadOnlyDictionary<string, string>)p.Value, StringComparer.OrdinalIgnoreCase),
            Isolation = isolation,
            RuleBudget = TimeSpan.FromSeconds(RuleBudgetSeconds),
            CallBudget = TimeSpan.FromSeconds(CallBudgetSeconds),
            WorkerCommand = isolation == Runtime.PluginIsolation.Process ? WorkerCommand() : null,
            WorkerMemoryMb = WorkerMemoryMb,
            RuleConcurrency = RuleConcurrency == 0 ? Environment.ProcessorCount : RuleConcurrency,
            QuarantineAfter = QuarantineAfter,
            QuarantineWindow = TimeSpan.FromMinutes(QuarantineWindowMinutes),
        };
    }

    /// <summary>crmx itself, as <c>crmx plugin-worker</c>: its apphost when the process is one, else <c>dotnet crmx.dll</c>.</summary>
    private static Runtime.WorkerCommand WorkerCommand()
    {
        var process = Environment.ProcessPath ?? "dotnet";
        var name = Path.GetFileNameWithoutExtension(process);
        if (name.Equals("crmx", StringComparison.OrdinalIgnoreCase))
        {
            return new Runtime.WorkerCommand(process, ["plugin-worker"]);
        }

        var crmx = Path.Combine(AppContext.BaseDirectory, "crmx.dll");
        if (!File.Exists(crmx))
        {
            throw new CrmException($"plugins:isolation \"process\" starts workers with crmx.dll, which is not in {AppContext.BaseDirectory}; set \"inprocess\".");
        }

        var host = name.Equals("dotnet", StringComparison.OrdinalIgnoreCase) ? process : Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        return new Runtime.WorkerCommand(host, [crmx, "plugin-worker"]);
    }
}

/// <summary>The <c>mail</c> section of <c>crmx.json</c>.</summary>
internal sealed class MailOptions
{
    /// <summary>Where mail is written as .eml files when no SMTP server is configured.</summary>
    public string PickupDirectory { get; set; } = "outbox";

    /// <summary>The SMTP server, or null to use the pickup folder.</summary>
    public global::CrmExtensions.Mail.Delivery.SmtpSettings? Smtp { get; set; }

    /// <summary>The sender address.</summary>
    public string From { get; set; } = "crm@example.com";

    /// <summary>Where unsubscribe links point and the secret they are signed with; marketing mail needs it.</summary>
    public global::CrmExtensions.Mail.Consent.UnsubscribeOptions? Unsubscribe { get; set; }

    /// <summary>Our company's name, phone and web site as campaign mail signs them (<c>sender.*</c> in templates).</summary>
    public string Company { get; set; } = "";

    /// <inheritdoc cref="Company"/>
    public string? Phone { get; set; }

    /// <inheritdoc cref="Company"/>
    public string? Website { get; set; }
}

/// <summary>The <c>reminders</c> section of <c>crmx.json</c>: the zone and working calendar reminders are reckoned in.</summary>
internal sealed class RemindersOptions
{
    /// <summary>An IANA (or Windows) time zone id such as <c>Europe/Moscow</c>; null for the machine's zone.</summary>
    public string? TimeZone { get; set; }

    /// <summary><c>ru</c> (the Russian production calendar's fixed holidays, the default) or <c>weekends</c> (Saturdays and Sundays only).</summary>
    public string Calendar { get; set; } = "ru";

    /// <summary>Further days off as <c>yyyy-MM-dd</c> (moved days).</summary>
    public List<string> Holidays { get; set; } = [];

    /// <summary>Saturdays or Sundays worked, as <c>yyyy-MM-dd</c>.</summary>
    public List<string> WorkingWeekends { get; set; } = [];
}

/// <summary>The <c>run</c> section of <c>crmx.json</c>: how <c>crmx run</c> shares a store with other hosts.</summary>
internal sealed class RunOptions
{
    /// <summary>Whether each job (sync, unify, events, reminders) is run under a store lease, so two hosts never run it at the same moment.</summary>
    public bool Leases { get; set; } = true;

    /// <summary>How long a lease is held at most when its host dies mid-job, in minutes.</summary>
    public int LeaseMinutes { get; set; } = 15;
}

/// <summary>The <c>web</c> section of <c>crmx.json</c>: the web workspace <c>crmx serve</c> runs.</summary>
internal sealed class WebOptions
{
    /// <summary>Where <c>crmx serve</c> listens when <c>--urls</c> does not say; loopback by default.</summary>
    public string Urls { get; set; } = "http://127.0.0.1:5080";

    /// <summary>When true, a manager sees and opens only the clients whose counterparties the ledgers give them.</summary>
    public bool ManagersSeeOnlyOwnClients { get; set; }

    /// <summary>Failed sign-ins in a row that lock a user out.</summary>
    public int LockoutAttempts { get; set; } = 5;

    /// <summary>How long a lockout lasts, in minutes.</summary>
    public int LockoutMinutes { get; set; } = 15;

    /// <summary>How long a sign-in lasts without use, in hours (sliding).</summary>
    public int SessionHours { get; set; } = 12;
}

/// <summary>The <c>unification</c> section (see docs/unification.md, "Incremental runs and the kept model").</summary>
internal sealed class UnificationSettings
{
    /// <summary>The share of the counterparties that may be added, changed or vanished since the kept match model was
    /// learnt before a run learns it again (and re-examines every row).</summary>
    public double RelearnShare { get; set; } = 0.1;

    /// <summary>The share, checked.</summary>
    /// <exception cref="CrmException">It is not between 0 and 1.</exception>
    public double CheckedRelearnShare() => RelearnShare is >= 0 and <= 1
        ? RelearnShare
        : throw new CrmException($"unification: relearnShare must be between 0 and 1 (0.1 learns the model again once a tenth of the counterparties changed); it is {RelearnShare}.");
}

/// <summary>The <c>recommendations</c> section: cross-sell settings (see docs/marketing.md).</summary>
internal sealed class RecommendationsOptions
{
    /// <summary>The fewest clients a pair of products needs to count as evidence; unset derives it from the base.</summary>
    public int? MinSupport { get; set; }

    /// <summary>How many recommendations are kept per client.</summary>
    public int Top { get; set; } = 10;

    /// <summary>Whether products are told apart per ledger (ledgers that number products independently).</summary>
    public bool ProductsPerLedger { get; set; }

    /// <summary>The store's settings.</summary>
    /// <exception cref="CrmException">A value is out of range.</exception>
    public global::CrmExtensions.Store.Recommendations.RecommendationOptions ToOptions() => MinSupport < 1 || Top is < 1 or > 100
        ? throw new CrmException("recommendations: minSupport must be at least 1 and top between 1 and 100.")
        : new(MinSupport, Top, ProductsPerLedger);
}

/// <summary><c>crmx.json</c> with <c>CRMX__Section__Key</c> environment overrides.</summary>
internal sealed class CrmConfiguration
{
    public const string FileName = "crmx.json";

    public const string EnvironmentPrefix = "CRMX__";

    /// <summary>The configuration file, or null when everything came from the environment.</summary>
    public string? FilePath { get; init; }

    /// <summary>The folder relative paths in the configuration are resolved against.</summary>
    public required string BaseDirectory { get; init; }

    public IReadOnlyList<LedgerOptions> Ledgers { get; init; } = [];

    public StoreOptions Store { get; init; } = new();

    public PluginsOptions Plugins { get; init; } = new();

    public MailOptions Mail { get; init; } = new();

    public RemindersOptions Reminders { get; init; } = new();

    public RunOptions Run { get; init; } = new();

    public WebOptions Web { get; init; } = new();

    /// <summary>The <c>marketing</c> section: whether (and from what overdue debt) marketing mail is held back from clients with unresolved problems.</summary>
    public global::CrmExtensions.Store.Campaigns.HoldBackOptions Marketing { get; init; } = new();
    public RecommendationsOptions Recommendations { get; init; } = new();

    /// <summary>The <c>unification</c> section.</summary>
    public UnificationSettings Unification { get; init; } = new();

    /// <summary>The <c>Logging</c> section (<c>LogLevel</c> per category, as Microsoft.Extensions.Logging reads it); empty when absent.</summary>
    public IConfiguration Logging { get; init; } = new ConfigurationBuilder().Build();

    /// <summary>Loads the configuration.</summary>
    /// <param name="path">An explicit file (<c>--config</c>), or null for <c>crmx.json</c> in <paramref name="workingDirectory"/>.</param>
    /// <param name="workingDirectory">The folder relative paths are resolved against.</param>
    /// <param name="environment">Environment variables; null for the process's.</param>
    /// <exception cref="CrmException">The file is missing or is not valid JSON.</exception>
    public static CrmConfiguration Load(string? path, string workingDirectory, IReadOnlyDictionary<string, string>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(workingDirectory);
        var file = Path.GetFullPath(path ?? FileName, workingDirectory);
        var overrides = Overrides(environment);
        var builder = new ConfigurationBuilder();
        if (File.Exists(file))
        {
            builder.AddJsonFile(file, optional: false, reloadOnChange: false);
        }
        else if (path is not null || overrides.Count == 0)
        {
            throw new CrmException(path is null
                ? $"No {FileName} in {workingDirectory}. Run 'crmx demo' to see a working one, or pass --config FILE."
                : $"The configuration file {file} does not exist.");
        }

        builder.AddInMemoryCollection(overrides);
        IConfigurationRoot root;
        try
        {
            root = builder.Build();
        }
        catch (InvalidDataException ex)
        {
            throw new CrmException($"{Path.GetFileName(file)}: not valid JSON: {ex.InnerException?.Message ?? ex.Message}", ex);
        }

        var baseDirectory = File.Exists(file) ? Path.GetDirectoryName(file)! : workingDirectory;
        try
        {
            var store = root.GetSection("store").Get<StoreOptions>() ?? new StoreOptions();
            if (store.Provider.Equals("sqlite", StringComparison.OrdinalIgnoreCase))
            {
                store.ConnectionString = Ledger.Connections.LedgerConnections.ResolveSqlitePath(store.ConnectionString, baseDirectory);
            }

            return new CrmConfiguration
            {
                FilePath = File.Exists(file) ? file : null,
                BaseDirectory = baseDirectory,
                Ledgers = root.GetSection("ledgers").Get<List<LedgerOptions>>() ?? [],
                Store = store,
                Plugins = root.GetSection("plugins").Get<PluginsOptions>() ?? new PluginsOptions(),
                Mail = root.GetSection("mail").Get<MailOptions>() ?? new MailOptions(),
                Reminders = root.GetSection("reminders").Get<RemindersOptions>() ?? new RemindersOptions(),
                Run = root.GetSection("run").Get<RunOptions>() ?? new RunOptions(),
                Web = root.GetSection("web").Get<WebOptions>() ?? new WebOptions(),
                Marketing = root.GetSection("marketing").Get<global::CrmExtensions.Store.Campaigns.HoldBackOptions>() ?? new global::CrmExtensions.Store.Campaigns.HoldBackOptions(),
                Recommendations = root.GetSection("recommendations").Get<RecommendationsOptions>() ?? new RecommendationsOptions(),
                Unification = root.GetSection("unification").Get<UnificationSettings>() ?? new UnificationSettings(),
                Logging = root.GetSection("Logging"),
            };
        }
        catch (InvalidOperationException ex)
        {
            throw new CrmException($"{Path.GetFileName(file)}: {ex.Message}", ex);
        }
    }

    private static Dictionary<string, string?> Overrides(IReadOnlyDictionary<string, string>? environment)
    {
        var result = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        IEnumerable<KeyValuePair<string, string>> variables = environment ??
            System.Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
                .Select(e => new KeyValuePair<string, string>((string)e.Key, (string?)e.Value ?? ""));
        foreach (var (key, value) in variables)
        {
            if (key.StartsWith(EnvironmentPrefix, StringComparison.OrdinalIgnoreCase))
            {
                result[key[EnvironmentPrefix.Length..].Replace("__", ":", StringComparison.Ordinal)] = value;
            }
        }

        return result;
    }
}
