using System.Globalization;
using System.Text;
using CrmExtensions.Reports.Catalog;
using CrmExtensions.Reports.Rendering;
using CrmExtensions.Runtime;
using CrmExtensions.Sdk.Reports;
using CrmExtensions.Store;

namespace CrmExtensions.Host.Commands;

/// <summary><c>crmx report …</c>: the built-in reports, and any report a plugin adds, as a table, CSV or HTML.</summary>
internal sealed class ReportCommand : CommandSpec
{
    public override string Name => "report";

    public override string Summary => "Reports over the clients: pareto, aging, managers, dynamics, and the plugins' own.";

    public override IReadOnlyList<CommandSpec> Subcommands { get; } =
    [
        new ListCommand(),
        new BuiltInCommand("pareto", "ABC classes of clients by revenue, beside the same ranking of the ledgers' own counterparties."),
        new BuiltInCommand("aging", "Receivables by days past due (current, 1–30, 31–60, 61–90, 90+) per client and in total."),
        new BuiltInCommand("managers", "Per manager: contacts, deals opened and won, revenue, overdue debt of their clients."),
        new BuiltInCommand("dynamics", "Revenue, new and lost clients by month."),
        new RunCommand(),
    ];

    private static readonly OptionSpec[] RunOptions =
    [
        new("from", "yyyy-MM-dd", "first day of the range (default: a year before --to)"),
        new("to", "yyyy-MM-dd", "last day of the range (default: today)"),
        new("as-of", "yyyy-MM-dd", "the day debts are aged on (default: --to)"),
        new("top", "N", "how many rows to list (totals cover all)"),
        new("format", "table|csv|html", "how to write it (default: table)"),
        new("out", "FILE", "write to FILE instead of standard output"),
        new("culture", "NAME", "how numbers and money are written in tables and HTML (default: ru-RU; 'invariant' for none)"),
        new("currency", "SYMBOL", "written after money in tables and HTML (default: ₽; '' for none)"),
    ];

    /// <summary>The request the options describe: by default the twelve months up to today.</summary>
    internal static ReportRequest Request(CommandContext context, ParsedArguments arguments)
    {
        var to = arguments.GetDate("to") ?? DateOnly.FromDateTime(context.Time.GetLocalNow().DateTime);
        var from = arguments.GetDate("from") ?? to.AddYears(-1).AddDays(1);
        if (from > to)
        {
            throw new UsageException($"--from {from:yyyy-MM-dd} is after --to {to:yyyy-MM-dd}");
        }

        return new ReportRequest { From = from, To = to, AsOf = arguments.GetDate("as-of") ?? to, Top = arguments.Has("top") ? arguments.GetInt("top", 20, 1, 100_000) : null };
    }

    /// <summary>Runs one report and writes it as the options say.</summary>
    private static int Run(CommandContext context, ParsedArguments arguments, ReportEntry entry)
    {
        if (!ReportRenderer.TryParse(arguments.Get("format"), out var format))
        {
            throw new UsageException($"--format takes table, csv or html, not '{arguments.Get("format")}'");
        }

        var request = Request(context, arguments);
        var table = entry.Report.RunAsync(request, context.Cancellation).GetAwaiter().GetResult();
        var text = ReportRenderer.Render(table, format, RenderOptionsOf(arguments, entry.Report.Title, request));
        var path = arguments.Get("out");
        if (path is null)
        {
            context.Out.Write(text);
            return 0;
        }

        var full = Path.GetFullPath(path, context.WorkingDirectory);
        File.WriteAllText(full, text, new UTF8Encoding(false));
        context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{entry.Report.Title}: {table.Rows.Count:N0} rows written to {path}"));
        return 0;
    }

    internal static RenderOptions RenderOptionsOf(ParsedArguments arguments, string title, ReportRequest request)
    {
        var name = arguments.Get("culture") ?? "ru-RU";
        CultureInfo culture;
        try
        {
            culture = name.Equals("invariant", StringComparison.OrdinalIgnoreCase) ? CultureInfo.InvariantCulture : CultureInfo.GetCultureInfo(name);
        }
        catch (CultureNotFoundException)
        {
            throw new UsageException($"--culture takes a culture name such as ru-RU or en-US, or 'invariant', not '{name}'");
        }

        var subtitle = string.Create(CultureInfo.InvariantCulture, $"{request.From:yyyy-MM-dd} — {request.To:yyyy-MM-dd}, as of {request.AsOf:yyyy-MM-dd}");
        return new RenderOptions(title, subtitle, culture, arguments.Get("currency") ?? "₽");
    }

    private static CrmStore OpenStore(CommandContext context, ParsedArguments arguments)
    {
        var workspace = Workspace.Open(context, arguments, requireLedgers: false);
        workspace.Store.Migrate();
        return workspace.Store;
    }

    /// <summary>The catalog with the plugins' reports joined to the built-in ones; dispose the runtime after use.</summary>
    private static (ReportCatalog Catalog, PluginRuntime Runtime) CatalogWithPlugins(CommandContext context, ParsedArguments arguments)
    {
        var workspace = Workspace.Open(context, arguments, requireLedgers: false);
        workspace.Store.Migrate();
        var catalog = new ReportCatalog(workspace.Store);
        var directory = Path.GetFullPath(workspace.Configuration.Plugins.Directory, workspace.Configuration.BaseDirectory);
        var runtime = PluginRuntime.LoadAsync(directory, workspace.Store, cancellationToken: context.Cancellation).GetAwaiter().GetResult();
        foreach (var info in runtime.ListReportsAsync(context.Cancellation).GetAwaiter().GetResult())
        {
            catalog.Add(info.PluginId, new PluginReport(runtime, info));
        }

        return (catalog, runtime);
    }

    private sealed class ListCommand : CommandSpec
    {
        public override string Name => "list";

        public override string Summary => "List every report: the built-in ones and those the loaded plugins add.";

        public override int Execute(CommandContext context, ParsedArguments arguments)
        {
            arguments.NoPositional();
            var (catalog, runtime) = CatalogWithPlugins(context, arguments);
            using (runtime)
            {
                foreach (var entry in catalog.Entries)
                {
                    context.Out.WriteLine($"{entry.QualifiedName,-30}  {entry.Report.Title}");
                }
            }

            context.Out.WriteLine("Run one with 'crmx report NAME' (built-in) or 'crmx report run NAME'.");
            return 0;
        }
    }

    private sealed class BuiltInCommand(string name, string summary) : CommandSpec
    {
        public override string Name => name;

        public override string Summary => summary;

        public override string Details =>
            """
            Revenue is the amount of invoices issued in the range (accrual), not payments received. Totals cover every
            client, whatever --top lists. See docs/reports.md for every definition.
            """;

        public override IReadOnlyList<OptionSpec> Options => RunOptions;

        public override int Execute(CommandContext context, ParsedArguments arguments)
        {
            arguments.NoPositional();
            return Run(context, arguments, new ReportCatalog(OpenStore(context, arguments)).Find(name));
        }
    }

    private sealed class RunCommand : CommandSpec
    {
        public override string Name => "run";

        public override string Summary => "Run any report by name, a plugin's included (as NAME or PLUGIN/NAME).";

        public override string? ArgumentsUsage => "NAME";

        public override IReadOnlyList<OptionSpec> Options => RunOptions;

        public override int Execute(CommandContext context, ParsedArguments arguments)
        {
            var name = arguments.Single("NAME");
            var (catalog, runtime) = CatalogWithPlugins(context, arguments);
            using (runtime)
            {
                return Run(context, arguments, catalog.Find(name));
            }
        }
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
