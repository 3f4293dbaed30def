using CrmExtensions.Host.Configuration;
using CrmExtensions.Ledger;
using CrmExtensions.Ledger.Connections;
using CrmExtensions.Store;

namespace CrmExtensions.Host.Commands;

/// <summary>The configured ledgers and store, resolved once per command.</summary>
internal sealed class Workspace
{
    private Workspace(CrmConfiguration configuration, IReadOnlyList<LedgerDefinition> ledgers, CrmStore store)
    {
        Configuration = configuration;
        Ledgers = ledgers;
        Store = store;
    }

    public CrmConfiguration Configuration { get; }

    public IReadOnlyList<LedgerDefinition> Ledgers { get; }

    public CrmStore Store { get; }

    /// <summary>Loads the configuration and resolves every ledger.</summary>
    /// <exception cref="LedgerException">Any ledger is misconfigured; all problems are listed.</exception>
    public static Workspace Open(CommandContext context, ParsedArguments arguments, bool requireLedgers = true)
    {
        var configuration = context.LoadConfiguration(arguments);
        var problems = new List<LedgerProblem>();
        var ledgers = LedgerCatalog.Resolve(configuration.Ledgers, configuration.BaseDirectory, problems);
        if (problems.Count > 0)
        {
            throw new LedgerException(problems);
        }

        if (requireLedgers && ledgers.Count == 0)
        {
            throw new CrmException($"No ledgers are configured in {configuration.FilePath ?? "the environment"}: add one to the \"ledgers\" array.");
        }

        return new Workspace(configuration, ledgers, CrmStore.FromOptions(configuration.Store, context.Time));
    }

    /// <summary>The ledgers named by <c>--ledger</c>, or all.</summary>
    public IReadOnlyList<LedgerDefinition> Select(string? names)
    {
        if (names is null)
        {
            return Ledgers;
        }

        var wanted = names.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var name in wanted)
        {
            if (!Ledgers.Any(l => l.Name.Equals(name, StringComparison.OrdinalIgnoreCase)))
            {
                throw new UsageException($"no ledger named '{name}'; configured: {string.Join(", ", Ledgers.Select(l => l.Name))}");
            }
        }

        return Ledgers.Where(l => wanted.Contains(l.Name, StringComparer.OrdinalIgnoreCase)).ToList();
    }
}
