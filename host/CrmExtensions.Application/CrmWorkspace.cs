using CrmExtensions.Application.Configuration;
using CrmExtensions.Ledger;
using CrmExtensions.Ledger.Connections;
using CrmExtensions.Runtime;
using CrmExtensions.Runtime.Reminders;
using CrmExtensions.Store;
using Microsoft.Extensions.Logging;

namespace CrmExtensions.Application;

/// <summary>One company's CRM as configured: its ledgers, its store, its plugins, its clock and where it logs.</summary>
/// <remarks>
/// Composed once per process (or per request scope of a test) and shared by every use case: the store is migrated once,
/// the plugins are loaded once with their settings and the logger factory, so no caller can forget either. Parts are
/// made when first asked for, so a command that needs no store (attach) or no plugins (sync) never opens them.
/// Thread-safe.
/// </remarks>
internal sealed class CrmWorkspace : IDisposable
{
    private readonly Lazy<IReadOnlyList<LedgerDefinition>> _ledgers;
    private readonly Lazy<CrmStore> _store;
    private readonly Lazy<ReminderSettings> _reminderSettings;
    private readonly SemaphoreSlim _pluginsGate = new(1, 1);
    private PluginRuntime? _plugins;
    private bool _disposed;

    public CrmWorkspace(WorkspaceOptions options, CrmConfiguration configuration, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(loggers);
        Options = options;
        Configuration = configuration;
        Loggers = loggers;
        _ledgers = new(ResolveLedgers);
        _store = new(OpenStore);
        _reminderSettings = new(() => ReminderConfiguration.Settings(Configuration.Reminders, Time));
    }

    public WorkspaceOptions Options { get; }

    public CrmConfiguration Configuration { get; }

    public ILoggerFactory Loggers { get; }

    public TimeProvider Time => Options.Time;

    /// <summary>The folder relative paths of the configuration are resolved against.</summary>
    public string BaseDirectory => Configuration.BaseDirectory;

    /// <summary>The plugins folder, absolute.</summary>
    public string PluginsDirectory => Configuration.Plugins.FullDirectory(BaseDirectory);

    /// <summary>Today in the machine's zone, as the CLI's commands count days.</summary>
    public DateOnly Today => DateOnly.FromDateTime(Time.GetLocalNow().DateTime);

    /// <summary>Every configured ledger, resolved.</summary>
    /// <exception cref="LedgerException">Any ledger is misconfigured; all problems are listed.</exception>
    public IReadOnlyList<LedgerDefinition> Ledgers => _ledgers.Value;

    /// <summary>The store, migrated to the current schema on first use.</summary>
    /// <exception cref="StoreException">The store cannot be opened or migrated.</exception>
    public CrmStore Store => _store.Value;

    /// <summary>The time zone and working calendar reminders are reckoned in.</summary>
    /// <exception cref="CrmException">The <c>reminders</c> section is not understood.</exception>
    public ReminderSettings ReminderSettings => _reminderSettings.Value;

    /// <summary>The ledgers named (comma-separated, any case), or all when <paramref name="names"/> is null.</summary>
    /// <exception cref="CrmException">No ledger is configured.</exception>
    /// <exception cref="InvalidRequestException">A name is not a configured ledger.</exception>
    public IReadOnlyList<LedgerDefinition> SelectLedgers(string? names)
    {
        var ledgers = Ledgers;
        if (ledgers.Count == 0)
        {
            throw new CrmException($"No ledgers are configured in {Configuration.FilePath ?? "the environment"}: add one to the \"ledgers\" array.");
        }

        if (names is null)
        {
            return ledgers;
        }

        var wanted = names.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var name in wanted)
        {
            if (!ledgers.Any(l => l.Name.Equals(name, StringComparison.OrdinalIgnoreCase)))
            {
                throw new InvalidRequestException($"no ledger named '{name}'; configured: {string.Join(", ", ledgers.Select(l => l.Name))}");
            }
        }

        return ledgers.Where(l => wanted.Contains(l.Name, StringComparer.OrdinalIgnoreCase)).ToList();
    }

    /// <summary>The plugins of the plugins folder, loaded once with their settings from <c>plugins:settings</c> and this workspace's logging.</summary>
    /// <remarks>A bad plugin never throws here: it is refused or disabled, and listed with its reason.</remarks>
    public async Task<PluginRuntime> PluginsAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_plugins is { } loaded)
        {
            return loaded;
        }

        await _pluginsGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return _plugins ??= await PluginRuntime.LoadAsync(PluginsDirectory, Store, Configuration.Plugins.RuntimeOptions(Configuration.Marketing), Loggers, cancellationToken)
                .ConfigureAwait(false);
        }
        finally
        {
            _pluginsGate.Release();
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _plugins?.Dispose();
        _pluginsGate.Dispose();
    }

    private IReadOnlyList<LedgerDefinition> ResolveLedgers()
    {
        var problems = new List<LedgerProblem>();
        var ledgers = LedgerCatalog.Resolve(Configuration.Ledgers, BaseDirectory, problems);
        return problems.Count > 0 ? throw new LedgerException(problems) : ledgers;
    }

    private CrmStore OpenStore()
    {
        var store = CrmStore.FromOptions(Configuration.Store, Time);
        // The one place the store is opened: a store that is one of the ledgers would get the CRM's tables.
        DatabaseIdentity.RefuseLedgerAsStore(store.Provider, store.ConnectionString, Configuration.Ledgers, BaseDirectory);
        // An upgrade's migrations may take minutes at a million clients: the log says which runs, and how long it took.
        store.Migrate(Options.LogWriter is { } log ? line => log.WriteLine("store: " + line) : null);
        return store;
    }
}
