using CrmExtensions.Reports.Builtin;
using CrmExtensions.Sdk.Reports;
using CrmExtensions.Store;
using CrmExtensions.Store.Clients;

namespace CrmExtensions.Reports.Catalog;

/// <summary>A report the host can run: built in (source <see cref="ReportCatalog.BuiltIn"/>) or a plugin's.</summary>
/// <param name="Source">Where it comes from: <c>crmx</c>, or the plugin's id.</param>
/// <param name="Report">The report, through the same SDK interface whatever its source.</param>
public sealed record ReportEntry(string Source, IRangeReport Report)
{
    /// <summary>The name to run it by: its own name when that is unique, else <c>source/name</c>.</summary>
    public string QualifiedName => Source + "/" + Report.Name;
}

/// <summary>Every report: the built-in ones, registered here the way a plugin registers its own, and the plugins'.</summary>
public sealed class ReportCatalog
{
    /// <summary>The source name of the built-in reports.</summary>
    public const string BuiltIn = "crmx";

    private readonly List<ReportEntry> _entries = [];

    /// <summary>Creates a catalog holding the built-in reports over <paramref name="store"/>, covering only
    /// <paramref name="clients"/> when given (see <see cref="StoreReport.Segment"/>).</summary>
    public ReportCatalog(CrmStore store, ClientSet? clients = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        foreach (var report in BuiltIns(store, clients))
        {
            Add(BuiltIn, report);
        }
    }

    /// <summary>The built-in reports, in the order they are listed; covering only <paramref name="clients"/> when given.</summary>
    public static IReadOnlyList<StoreReport> BuiltIns(CrmStore store, ClientSet? clients = null) =>
    [
        new ParetoReport(store) { Segment = clients }, new AgingReport(store) { Segment = clients }, new ManagersReport(store) { Segment = clients },
        new DynamicsReport(store) { Segment = clients }, new CampaignReport(store) { Segment = clients },
    ];

    /// <summary>Every report, built-in first, then by plugin in load order.</summary>
    public IReadOnlyList<ReportEntry> Entries => _entries;

    /// <summary>Adds a report; a plugin's report whose name a built-in one has is reachable as <c>plugin/name</c>.</summary>
    public void Add(string source, IRangeReport report)
    {
        ArgumentException.ThrowIfNullOrEmpty(source);
        ArgumentNullException.ThrowIfNull(report);
        _entries.Add(new ReportEntry(source, report));
    }

    /// <summary>Finds a report by its name or <c>source/name</c>; the built-in one wins a bare name.</summary>
    /// <exception cref="CrmException">No report, or several plugins', have that name.</exception>
    public ReportEntry Find(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var exact = _entries.FirstOrDefault(e => string.Equals(e.QualifiedName, name, StringComparison.OrdinalIgnoreCase));
        if (exact is not null)
        {
            return exact;
        }

        var named = _entries.Where(e => string.Equals(e.Report.Name, name, StringComparison.OrdinalIgnoreCase)).ToList();
        return named.FirstOrDefault(e => e.Source == BuiltIn) ?? named.Count switch
        {
            1 => named[0],
            0 => throw new CrmException($"No report '{name}'; 'crmx report list' shows them: {string.Join(", ", _entries.Select(e => e.QualifiedName))}."),
            _ => throw new CrmException($"Several plugins have a report '{name}': name one as {string.Join(" or ", named.Select(e => e.QualifiedName))}."),
        };
    }
}
