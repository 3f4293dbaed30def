using CrmExtensions.Ledger.Mapping;
using CrmExtensions.Store.Providers;

namespace CrmExtensions.Ledger.Connections;

/// <summary>A ledger from configuration, checked and with its mapping loaded.</summary>
/// <param name="Name">The ledger's name (the first half of every mirrored row's key).</param>
/// <param name="Provider">Its database engine.</param>
/// <param name="ConnectionString">The connection string as configured (read-only is added when opening).</param>
/// <param name="Mapping">Its parsed mapping file.</param>
/// <param name="CommandTimeoutSeconds">The query time limit, 0 for none.</param>
/// <param name="BusyTimeoutSeconds">How long to wait for a ledger another program has locked.</param>
public sealed record LedgerDefinition(string Name, DatabaseProvider Provider, string ConnectionString, LedgerMapping Mapping, int CommandTimeoutSeconds = 0,
    int BusyTimeoutSeconds = LedgerOptions.DefaultBusyTimeoutSeconds)
{
    /// <summary>Where the ledger is, without secrets, for messages.</summary>
    public string Describe() => $"{Provider.Name()} {DatabaseProviders.Describe(Provider, ConnectionString)}";
}

/// <summary>Turns the <c>ledgers</c> section of the configuration into definitions, listing every problem at once.</summary>
public static class LedgerCatalog
{
    /// <summary>Resolves the configured ledgers.</summary>
    /// <param name="ledgers">The configured ledgers.</param>
    /// <param name="baseDirectory">The folder relative mapping paths (and relative SQLite paths) are resolved against.</param>
    /// <param name="problems">Receives every problem; a ledger with problems is left out of the result.</param>
    public static IReadOnlyList<LedgerDefinition> Resolve(IReadOnlyList<LedgerOptions> ledgers, string baseDirectory, ICollection<LedgerProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(ledgers);
        ArgumentNullException.ThrowIfNull(problems);
        baseDirectory = Path.GetFullPath(baseDirectory);
        var result = new List<LedgerDefinition>();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < ledgers.Count; i++)
        {
            var options = ledgers[i];
            var name = string.IsNullOrWhiteSpace(options.Name) ? $"#{i + 1}" : options.Name.Trim();
            var before = problems.Count;
            if (string.IsNullOrWhiteSpace(options.Name))
            {
                problems.Add(new LedgerProblem(name, $"'ledgers:{i}:name' is missing; give every ledger a short, stable name"));
            }
            else if (!names.Add(name))
            {
                problems.Add(new LedgerProblem(name, "two ledgers have this name; names must be unique"));
            }
            else if (name.Contains(':', StringComparison.Ordinal) || name.Any(char.IsWhiteSpace))
            {
                problems.Add(new LedgerProblem(name, "a ledger name may not contain ':' or spaces (it is written LEDGER:ID in commands)"));
            }

            if (!DatabaseProviders.TryParse(options.Provider, out var provider))
            {
                problems.Add(new LedgerProblem(name,
                    options.Provider is null
                        ? $"'ledgers:{i}:provider' is missing; use one of: {DatabaseProviders.ValidNames}"
                        : $"unknown provider '{options.Provider}'; use one of: {DatabaseProviders.ValidNames}"));
            }

            if (string.IsNullOrWhiteSpace(options.ConnectionString))
            {
                problems.Add(new LedgerProblem(name, $"'ledgers:{i}:connectionString' is missing"));
            }

            LedgerMapping? mapping = null;
            if (string.IsNullOrWhiteSpace(options.Mapping))
            {
                problems.Add(new LedgerProblem(name, $"'ledgers:{i}:mapping' is missing; name the ledger's mapping file"));
            }
            else
            {
                mapping = MappingLoader.Load(name, Path.GetFullPath(options.Mapping, baseDirectory), problems);
            }

            if (problems.Count == before && mapping is not null)
            {
                var connectionString = provider == DatabaseProvider.Sqlite
                    ? LedgerConnections.ResolveSqlitePath(options.ConnectionString!, baseDirectory)
                    : options.ConnectionString!;
                result.Add(new LedgerDefinition(name, provider, connectionString, mapping, Math.Max(0, options.CommandTimeoutSeconds), Math.Max(0, options.BusyTimeoutSeconds)));
            }
        }

        return result;
    }
}
