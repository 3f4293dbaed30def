using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CrmExtensions.Host.Configuration;
using CrmExtensions.Ledger.Checking;
using CrmExtensions.Samples;
using CrmExtensions.Store.Mirror;

namespace CrmExtensions.Host.Commands;

/// <summary><c>crmx demo</c>: the one command that shows the whole product on a sample ledger.</summary>
internal sealed class DemoCommand : CommandSpec
{
    /// <summary>The regional ledgers of the sample company.</summary>
    internal static readonly string[] DemoLedgers = ["msk", "spb"];

    public override string Name => "demo";

    public override string Summary => "Build the sample ledgers if absent, write a crmx.json for them, and run everything on them.";

    public override string Details =>
        """
        The demo folder gets two regional SQLite ledgers of one supplier (msk.db, spb.db), their mapping file,
        the generator's truth.csv, a crmx.json and the store crm.db. Running it again reuses them: the ledgers are
        never written, so a second sync finds nothing new. Then the demo attaches (checks every mapping), syncs,
        and prints what it found.
        """;

    public override IReadOnlyList<OptionSpec> Options =>
    [
        new("dir", "DIR", "the demo folder (default: crmx-demo)"),
        new("counterparties", "N", "sample size when the ledgers are built (default 5,000)"),
        new("seed", "N", "random seed for the sample (default 1)"),
        new("fresh", null, "delete the demo folder first and start over"),
    ];

    public override int Execute(CommandContext context, ParsedArguments arguments)
    {
        arguments.NoPositional();
        var directory = Path.GetFullPath(arguments.Get("dir") ?? "crmx-demo", context.WorkingDirectory);
        var size = arguments.GetInt("counterparties", 5_000, 100, 1_000_000);
        var seed = arguments.GetInt("seed", 1, int.MinValue, int.MaxValue);
        if (arguments.Has("fresh") && Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        Directory.CreateDirectory(directory);
        var output = context.Out;
        var today = DateOnly.FromDateTime(context.Time.GetLocalNow().DateTime);
        var configPath = Path.Combine(directory, CrmConfiguration.FileName);

        output.WriteLine($"Demo folder: {directory}");
        if (DemoLedgers.Any(l => !File.Exists(Path.Combine(directory, l + ".db"))))
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"1. Building the sample ledgers ({size:N0} counterparties, seed {seed})…"));
            var result = SampleCommand.Generate(context, directory, new SampleLedgerOptions
            {
                Counterparties = size,
                Seed = seed,
                AsOf = today,
                Ledgers = DemoLedgers,
            });
            foreach (var ledger in result.Ledgers)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"   {Path.GetFileName(ledger.Path)}: {ledger.Counterparties:N0} counterparties, {ledger.Invoices:N0} invoices, {ledger.Payments:N0} payments, {ledger.Contacts:N0} contacts"));
            }
        }
        else
        {
            output.WriteLine("1. Sample ledgers found; reusing them.");
        }

        if (!File.Exists(configPath))
        {
            File.WriteAllText(configPath, DemoConfiguration());
            output.WriteLine($"   wrote {CrmConfiguration.FileName}");
        }

        var demoArguments = new ParsedArguments("crmx demo", [], new Dictionary<string, string?> { ["config"] = configPath });
        var workspace = Workspace.Open(context, demoArguments);

        output.WriteLine("2. Attaching (checking every mapping, read-only)…");
        var check = AttachChecker.Check(workspace.Ledgers, 100, context.Cancellation);
        foreach (var problem in check.Problems)
        {
            context.Error.WriteLine("error: " + problem);
        }

        if (!check.Passed)
        {
            return 1;
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"   {workspace.Ledgers.Count} ledgers, {check.Kinds.Count} mapped kinds: all attach cleanly."));

        output.WriteLine("3. Syncing ledgers into the store…");
        workspace.Store.Migrate();
        var synced = SyncCommand.Run(context, workspace, workspace.Ledgers);
        SyncCommand.Print(output, synced);

        output.WriteLine("4. Unifying legal entities and branches into clients…");
        var unified = new Clients.Unifier(workspace.Store).Run(context.Cancellation);
        UnifyCommand.PrintSummary(output, unified);

        output.WriteLine("5. What the CRM sees:");
        var summaries = MirrorSummary.Read(workspace.Store, today);
        var ru = CultureInfo.GetCultureInfo("ru-RU");
        foreach (var s in summaries)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"   {s.Ledger}: {s.Counterparties:N0} counterparties, {s.Contacts:N0} contacts, {s.Invoices:N0} invoices ({s.Invoiced.ToString("N2", ru)} ₽), {s.Payments:N0} payments"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"   {"",-3} overdue: {s.OverdueInvoices:N0} invoices, {s.Overdue.ToString("N2", ru)} ₽ owed"));
        }

        var u = unified.Summary;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"   In all: {u.LedgerEntities:N0} ledger counterparties in {summaries.Count} ledgers → {u.Clients:N0} clients; {u.Branches:N0} branches; {u.GroupsLinked:N0} groups."));

        output.WriteLine("6. Plugins: loading, dispatching pending events, evaluating reminder rules…");
        var pluginsDirectory = Path.GetFullPath(workspace.Configuration.Plugins.Directory, workspace.Configuration.BaseDirectory);
        Directory.CreateDirectory(pluginsDirectory);
        using (var runtime = Runtime.PluginRuntime.LoadAsync(pluginsDirectory, workspace.Store, cancellationToken: context.Cancellation).GetAwaiter().GetResult())
        {
            PluginsCommand.Print(output, pluginsDirectory, runtime, "   ");
            var dispatched = runtime.DispatchAsync(context.Cancellation).GetAwaiter().GetResult();
            var reminders = runtime.RunRemindersAsync(today, context.Cancellation).GetAwaiter().GetResult();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"   events: {dispatched.Events:N0} dispatched ({dispatched.Deliveries:N0} deliveries, {dispatched.Failures:N0} failed); " +
                $"reminders: {reminders.NewReminders:N0} new from {reminders.Rules} rules, {reminders.MailsQueued:N0} mails queued"));
            foreach (var problem in dispatched.Problems.Concat(reminders.Problems).Take(10))
            {
                output.WriteLine("   problem: " + problem);
            }
        }

        WriteReports(context, workspace, directory, today);

        output.WriteLine();
        output.WriteLine($"Next, in {Path.GetRelativePath(context.WorkingDirectory, directory)}: 'crmx clients list', 'crmx clients explain CLIENT', 'crmx sync' (finds no changes: ledgers are never written)");
        return 0;
    }

    /// <summary>The last step: every built-in report as HTML beside the outbox, and the Pareto table on screen.</summary>
    private static void WriteReports(CommandContext context, Workspace workspace, string directory, DateOnly today)
    {
        var output = context.Out;
        var outbox = Path.GetFullPath(workspace.Configuration.Mail.PickupDirectory, workspace.Configuration.BaseDirectory);
        var folder = Path.Combine(Path.GetDirectoryName(outbox.TrimEnd(Path.DirectorySeparatorChar))!, "reports");
        Directory.CreateDirectory(folder);
        var from = today.AddYears(-1).AddDays(1);
        var subtitle = string.Create(CultureInfo.InvariantCulture, $"{from:yyyy-MM-dd} — {today:yyyy-MM-dd}, as of {today:yyyy-MM-dd}");
        output.WriteLine($"7. Reports for the last twelve months → {folder}");
        foreach (var report in Reports.Catalog.ReportCatalog.BuiltIns(workspace.Store))
        {
            var request = new Sdk.Reports.ReportRequest { From = from, To = today, AsOf = today, Top = report.Name == "pareto" ? 30 : null };
            var table = report.RunAsync(request, context.Cancellation).GetAwaiter().GetResult();
            var options = Reports.Rendering.RenderOptions.Russian(report.Title, subtitle);
            File.WriteAllText(Path.Combine(folder, report.Name + ".html"), Reports.Rendering.ReportRenderer.Render(table, Reports.Rendering.ReportFormat.Html, options));
            if (report.Name == "pareto")
            {
                var top = new Sdk.Reports.ReportTable { Columns = table.Columns, Kinds = table.Kinds, Rows = table.Rows.Take(10).ToList(), Totals = table.Totals, Notes = table.Notes };
                output.Write(Reports.Rendering.ReportRenderer.Render(top, Reports.Rendering.ReportFormat.Table, options));
            }
        }

        output.WriteLine($"   wrote pareto.html, aging.html, managers.html, dynamics.html in {folder}");
    }

    private static string DemoConfiguration()
    {
        var ledgers = new JsonArray();
        foreach (var name in DemoLedgers)
        {
            ledgers.Add(new JsonObject
            {
                ["name"] = name,
                ["provider"] = "sqlite",
                ["connectionString"] = $"Data Source={name}.db",
                ["mapping"] = SampleLedger.MappingFileName,
            });
        }

        var root = new JsonObject
        {
            ["ledgers"] = ledgers,
            ["store"] = new JsonObject { ["provider"] = "sqlite", ["connectionString"] = "Data Source=crm.db" },
            ["plugins"] = new JsonObject { ["directory"] = "plugins" },
            ["mail"] = new JsonObject { ["pickupDirectory"] = "outbox", ["smtp"] = null, ["from"] = "crm@example.com" },
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + Environment.NewLine;
    }
}
