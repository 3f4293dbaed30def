using CrmExtensions.Reports.Builtin;
using CrmExtensions.Reports.Catalog;
using CrmExtensions.Reports.Rendering;
using CrmExtensions.Runtime;
using CrmExtensions.Sdk.Reports;
using CrmExtensions.Store;
using CrmExtensions.Store.Clients;
using CrmExtensions.Store.Reporting;

namespace CrmExtensions.Application.Reports;

/// <summary>The built-in reports and the ones loaded plugins add, over one definition of a reporting window.</summary>
internal sealed class ReportService(CrmWorkspace workspace)
{
    /// <summary>The sign of the store's base currency, which every built-in report's money is in (<c>₽</c>, <c>$</c>).</summary>
    public string CurrencySign => Store.Mirror.Currency.Symbol(workspace.Store.BaseCurrency);

    /// <summary>The reporting window: <paramref name="from"/>..<paramref name="to"/>, by default the twelve months up to today; debts aged on <paramref name="asOf"/> (default: the last day).</summary>
    /// <exception cref="InvalidRequestException">The range is reversed.</exception>
    public ReportRequest Window(DateOnly? from, DateOnly? to, DateOnly? asOf, int? top)
    {
        var last = to ?? workspace.Today;
        var first = from ?? ReportingWindow.TwelveMonthsTo(last).From;
        if (first > last)
        {
            throw new InvalidRequestException($"--from {first:yyyy-MM-dd} is after --to {last:yyyy-MM-dd}");
        }

        return new ReportRequest { From = first, To = last, AsOf = asOf ?? last, Top = top };
    }

    /// <summary>Every report; with <paramref name="withPlugins"/>, the loaded plugins' reports too (they run guarded). The
    /// built-in ones cover only <paramref name="clients"/> when given; plugins' reports are not narrowed (the SDK's request
    /// carries no segment), which <see cref="Describe(ReportRequest, ReportEntry, ClientSet?)"/> says.</summary>
    public async Task<ReportCatalog> CatalogAsync(bool withPlugins, CancellationToken cancellationToken, ClientSet? clients = null)
    {
        var catalog = new ReportCatalog(workspace.Store, clients);
        if (withPlugins)
        {
            var runtime = await workspace.PluginsAsync(cancellationToken).ConfigureAwait(false);
            foreach (var info in await runtime.ListReportsAsync(cancellationToken).ConfigureAwait(false))
            {
                catalog.Add(info.PluginId, new PluginReport(runtime, info));
            }
        }

        return catalog;
    }

    /// <summary>Runs one report by name (NAME or SOURCE/NAME): its tables, one for most reports, each under its caption, and
    /// the line that describes them (range, and the segment when <paramref name="segments"/> narrow it).</summary>
    /// <param name="segments">Segment conditions (<c>KIND=VALUE</c>, <c>segment=NAME</c>) the built-in reports' clients must meet; empty for all.</param>
    /// <exception cref="CrmException">No such report, a plugin's report failed, or a segment condition does not read.</exception>
    public async Task<(ReportEntry Entry, IReadOnlyList<ReportSection> Sections, string Description)> RunAsync(string name, ReportRequest request, bool withPlugins,
        IReadOnlyList<string>? segments, CancellationToken cancellationToken)
    {
        var clients = await Internal.Sync.Run(() => Segments.ClientSets.Of(workspace, segments), cancellationToken).ConfigureAwait(false);
        var (entry, sections) = await RunAsync(await CatalogAsync(withPlugins, cancellationToken, clients).ConfigureAwait(false), name, request, cancellationToken)
            .ConfigureAwait(false);
        return (entry, sections, Describe(request, entry, clients));
    }

    /// <summary>Runs a report of a catalog already listed (a page that showed the catalog does not list the plugins' reports again).</summary>
    /// <exception cref="CrmException">No report by that name.</exception>
    public static async Task<(ReportEntry Entry, IReadOnlyList<ReportSection> Sections)> RunAsync(ReportCatalog catalog, string name, ReportRequest request,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var entry = catalog.Find(name);
        IReadOnlyList<ReportSection> sections = entry.Report is StoreReport builtIn
            ? builtIn.Sections(request)
            : [new ReportSection(null, await entry.Report.RunAsync(request, cancellationToken).ConfigureAwait(false))];
        return (entry, sections);
    }

    /// <summary>One campaign's effectiveness (<c>crmx report campaign NAME</c>) as of today, broken down also by each segment
    /// condition given (<c>KIND=VALUE</c>, evaluated on the send day).</summary>
    /// <exception cref="CrmException">No recorded campaign of that name, or a segment condition is not valid.</exception>
    public Task<(CampaignEffect Effect, IReadOnlyList<ReportSection> Sections)> CampaignAsync(string campaign, IReadOnlyList<int>? days, decimal? cost,
        IReadOnlyList<string> segments, CancellationToken cancellationToken) => Internal.Sync.Run(() =>
    {
        ArgumentException.ThrowIfNullOrEmpty(campaign);
        ArgumentNullException.ThrowIfNull(segments);
        var parsed = segments.Select(global::CrmExtensions.Mail.Campaigns.Segment.Parse).ToList();
        // Each condition on the send day, which the report reads with the campaign's groups.
        var effect = new CampaignReport(workspace.Store).Compute(new CampaignEffectRequest(campaign, days is { Count: > 0 } ? days : CampaignEffectRequest.DefaultDays, cost,
            (connection, sentOn) => parsed.Select(s => (s.ToString(), (IReadOnlySet<long>)global::CrmExtensions.Mail.Campaigns.Segment.SelectClients(connection, [s], sentOn).ToHashSet()))),
            workspace.Today);
        return (effect, CampaignReport.SectionsOf(effect));
    }, cancellationToken);

    /// <summary>How a report's range is named for people: <c>2025-12-04 — 2026-12-03, as of 2026-12-03</c>.</summary>
    public static string Describe(ReportRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{request.From:yyyy-MM-dd} — {request.To:yyyy-MM-dd}, as of {request.AsOf:yyyy-MM-dd}");
    }

    /// <summary>How a report's range and clients are named: <see cref="Describe(ReportRequest)"/>, then the segment the
    /// report covers (<c>; clients in segment=vip</c>), or that a plugin's report is not narrowed to it.</summary>
    public static string Describe(ReportRequest request, ReportEntry entry, ClientSet? clients)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return Describe(request) + (clients is null ? ""
            : entry.Report is StoreReport { FiltersBySegment: true } ? "; clients in " + clients.Description
            : "; not filtered by segment (" + clients.Description + "): this report reads every client");
    }

    /// <summary>A plugin's report seen through the same interface as the built-in ones; runs guarded by the runtime.</summary>
    private sealed class PluginReport(PluginRuntime runtime, PluginReportInfo info) : IRangeReport
    {
        public string Name => info.Name;

        public string Title => info.Title;

        public async Task<ReportTable> RunAsync(ReportRequest request, CancellationToken cancellationToken)
        {
            var result = await runtime.RunReportAsync(info.PluginId, info.Name, request, cancellationToken).ConfigureAwait(false);
            return result.Table ?? throw new CrmException(result.Problem ?? $"Plugin '{info.PluginId}' report '{info.Name}' gave no table.");
        }
    }
}
