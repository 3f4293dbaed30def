using System.Globalization;
using System.Text;
using CrmExtensions.Application.Reports;
using CrmExtensions.Application.Segments;
using CrmExtensions.Reports.Catalog;
using CrmExtensions.Reports.Rendering;
using CrmExtensions.Sdk.Reports;
using CrmExtensions.Store;
using CrmExtensions.Store.Clients;
using CrmExtensions.Store.Segments;
using CrmExtensions.Web.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CrmExtensions.Web.Pages.Reports;

/// <summary>Every report <c>crmx report list</c> lists, the plugins' included, over a chosen range: the chart, the table, CSV.</summary>
/// <remarks>The range is <see cref="ReportService.Window"/>'s, the one definition <c>crmx report</c> uses; tables and charts
/// come from the report renderers of the HTML reports, so the web shows what the CLI writes.</remarks>
internal sealed class IndexModel(ReportService reports, SegmentService segments, ClientAccess access) : PageModel
{
    /// <summary>The stored behaviour segments a report can be narrowed to, by name.</summary>
    public IReadOnlyList<SegmentDefinition> Segments { get; private set; } = [];

    /// <summary>The stored segment the report covers, or null for every client.</summary>
    public string? Segment { get; private set; }

    /// <summary>Why the report was not run (the segment is not a stored one), as one line for the page.</summary>
    public string? Problem { get; private set; }

    public IReadOnlyList<ReportEntry> Entries { get; private set; } = [];

    public ReportEntry? Entry { get; private set; }

    public IReadOnlyList<ReportSection> Sections { get; private set; } = [];

    public ReportRequest? Window { get; private set; }

    public RenderOptions? Options { get; private set; }

    /// <summary>The top asked for; null for the report's own default.</summary>
    public int? Top { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? name, DateOnly? from, DateOnly? to, DateOnly? asOf, int? top, string? segment, string? format)
    {
        // A manager kept to their own clients would read everyone's revenue here.
        if (access.LimitedToOwn(User))
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }

        var ct = HttpContext.RequestAborted;
        Segments = await segments.ListAsync(ct);
        Segment = string.IsNullOrWhiteSpace(segment) ? null : segment.Trim();
        ClientSet? clients = null;
        try
        {
            clients = await segments.StoredSetAsync(Segment, ct);
        }
        catch (CrmException ex)
        {
            Problem = ex.Message;
        }

        var catalog = await reports.CatalogAsync(withPlugins: true, ct, clients);
        Entries = catalog.Entries;
        if (string.IsNullOrEmpty(name))
        {
            return Page();
        }

        Entry = catalog.Find(name);
        Top = top is > 0 and <= 100_000 ? top : null;
        Window = reports.Window(from, to, asOf, Top);
        if (Problem is not null)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        try
        {
            (Entry, Sections) = await ReportService.RunAsync(catalog, name, Window, ct);
        }
        catch (CrmException ex)
        {
            // A plugin's report that failed (threw, overran, ended its worker): the page shows why, naming the plugin, in
            // place of the tables; the report exists, so this is not the error page's "not found".
            Problem = ex.Message;
            Response.StatusCode = StatusCodes.Status502BadGateway;
            return Page();
        }

        Options = RenderOptions.Russian(Entry.Report.Title, ReportService.Describe(Window, Entry, clients)) with { Currency = reports.CurrencySign };
        if (format == "csv")
        {
            var csv = ReportRenderer.Render(Sections, ReportFormat.Csv, Options);
            return File(new UTF8Encoding(false).GetBytes(csv), "text/csv; charset=utf-8",
                string.Create(CultureInfo.InvariantCulture, $"{Entry.Report.Name}-{Window.From:yyyy-MM-dd}-{Window.To:yyyy-MM-dd}.csv"));
        }

        return Page();
    }

    /// <summary>Where a report is opened: <c>/reports/pareto</c>, or <c>/reports/PLUGIN/NAME</c> for a plugin's.</summary>
    public static string PathOf(ReportEntry entry) =>
        "/reports/" + (entry.Source == ReportCatalog.BuiltIn ? entry.Report.Name : entry.Source + "/" + entry.Report.Name);

    /// <summary>This report over this range, as a page or (<paramref name="format"/> csv) as CSV.</summary>
    public string Link(string? format) => PathOf(Entry!) + QueryString.Create(new Dictionary<string, string?>
    {
        ["from"] = Day(Window!.From),
        ["to"] = Day(Window.To),
        ["asOf"] = Day(Window.AsOf),
        ["top"] = Top?.ToString(CultureInfo.InvariantCulture),
        ["segment"] = Segment,
        ["format"] = format,
    }.Where(p => p.Value is not null)).ToUriComponent();

    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The client card a row links to: a built-in report's <c>client</c> column holds the client id.</summary>
    public string? CardOf(ReportTable table, IReadOnlyList<string> row)
    {
        var column = Entry!.Source == ReportCatalog.BuiltIn ? IndexOf(table, "client") : -1;
        return column >= 0 && column < row.Count && long.TryParse(row[column], NumberStyles.None, CultureInfo.InvariantCulture, out _) ? "/clients/" + row[column] : null;
    }

    public static int IndexOf(ReportTable table, string column) => table.Columns.ToList().IndexOf(column);

    public string Cell(ReportTable table, IReadOnlyList<string> row, int i) =>
        i < row.Count ? ReportRenderer.Display(row[i], ReportRenderer.KindOf(table, i), Options!) : "";

    public static bool Numeric(ReportTable table, int i) => ReportRenderer.KindOf(table, i) != ReportColumnKind.Text;
}
