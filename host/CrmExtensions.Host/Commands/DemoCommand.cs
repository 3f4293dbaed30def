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
        InstallShippedPlugins(output, pluginsDirectory);
        using (var runtime = Runtime.PluginRuntime.LoadAsync(pluginsDirectory, workspace.Store, workspace.Configuration.Plugins.RuntimeOptions(), cancellationToken: context.Cancellation).GetAwaiter().GetResult())
        {
            PluginsCommand.Print(output, pluginsDirectory, runtime, "   ");
            var dispatched = runtime.DispatchAsync(context.Cancellation).GetAwaiter().GetResult();
            var settings = Configuration.ReminderConfiguration.Settings(workspace.Configuration.Reminders, context.Time);
            var reminders = runtime.RunRemindersAsync(settings, today, context.Cancellation).GetAwaiter().GetResult();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"   events: {dispatched.Events:N0} dispatched ({dispatched.Deliveries:N0} deliveries, {dispatched.Failures:N0} failed)"));
            foreach (var problem in dispatched.Problems.Take(10))
            {
                output.WriteLine("   problem: " + problem);
            }

            RemindersCommand.Print(output, reminders, "   ");
        }

        PrintPluginOutput(output, workspace);

        ContactLogStep(context, workspace, directory);

        DealsStep(context, workspace, directory, today);

        DemoCampaign(context, workspace, today);

        SendMail(context, workspace);

        WriteReports(context, workspace, directory, today);

        output.WriteLine();
        output.WriteLine($"Next, in {Path.GetRelativePath(context.WorkingDirectory, directory)}: 'crmx clients list', 'crmx clients explain CLIENT', 'crmx sync' (finds no changes: ledgers are never written)");
        return 0;
    }

    /// <summary>Step 10: the outbox goes out through the same dispatcher as 'crmx mail dispatch', into the pickup folder.</summary>
    private static void SendMail(CommandContext context, Workspace workspace)
    {
        context.Out.WriteLine("10. Sending the outbox (pickup folder, one .eml per mail)…");
        var summary = MailCommand.Dispatcher(context, workspace).DispatchDueAsync(context.Cancellation).GetAwaiter().GetResult();
        context.Out.WriteLine($"   {MailCommand.Describe(summary)}; files in {workspace.Configuration.Mail.PickupDirectory}/");
    }

    /// <summary>Copies the plugins built with crmx (its own plugins/ folder) into the demo's, refreshing older copies.</summary>
    private static void InstallShippedPlugins(TextWriter output, string pluginsDirectory)
    {
        Directory.CreateDirectory(pluginsDirectory);
        var shipped = Path.Combine(AppContext.BaseDirectory, "plugins");
        if (!Directory.Exists(shipped) || Path.GetFullPath(shipped) == Path.GetFullPath(pluginsDirectory))
        {
            return;
        }

        foreach (var file in Directory.EnumerateFiles(shipped, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(pluginsDirectory, Path.GetRelativePath(shipped, file));
            if (!File.Exists(target) || File.GetLastWriteTimeUtc(target) < File.GetLastWriteTimeUtc(file))
            {
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target, overwrite: true);
            }
        }

        output.WriteLine($"   shipped plugins installed in {Path.GetFileName(pluginsDirectory)}/: {string.Join(", ", Directory.GetDirectories(shipped).Select(Path.GetFileName).Order(StringComparer.Ordinal))}");
    }

    /// <summary>What the plugins produced beyond the reminders already listed: client tags, and an example mail of each plugin.</summary>
    private static void PrintPluginOutput(TextWriter output, Workspace workspace)
    {
        var produced = Runtime.Storage.PluginOutput.Read(workspace.Store);
        foreach (var group in produced.Tags.GroupBy(t => t.Name))
        {
            output.WriteLine($"   clients by {group.Key}: {string.Join(", ", group.Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Value} {t.Clients:N0}")))}");
        }

        foreach (var (plugin, subject) in produced.SampleMails)
        {
            output.WriteLine($"   e.g. mail ({plugin}): {subject}");
        }
    }

    /// <summary>Step 7: imports a small contact log (one bad row, to show the report) and shows a client's last contact.</summary>
    private static void ContactLogStep(CommandContext context, Workspace workspace, string directory)
    {
        var output = context.Out;
        output.WriteLine("7. Contact log: importing activities.csv…");
        var path = Path.Combine(directory, "activities.csv");
        var top = new Store.Clients.ClientStore(workspace.Store).ListClients(null, 3);
        if (!File.Exists(path) && top.Count > 0)
        {
            var yesterday = TimeZoneInfo.ConvertTime(context.Time.GetUtcNow(), context.Time.LocalTimeZone).AddDays(-1).ToString("dd.MM.yyyy", CultureInfo.InvariantCulture);
            var ids = top.Select(c => c.ClientId.ToString(CultureInfo.InvariantCulture)).ToList();
            File.WriteAllText(path, string.Join('\n',
                "client;type;at;subject;manager;outcome",
                $"{ids[0]};звонок;{yesterday} 15:00;Клиент звонил сам: спрашивал про отгрузку;Петров;ждёт счёт",
                $"{ids[^1]};встреча;{yesterday} 11:30;Презентация нового прайса;Сидорова;интересуется",
                $"{ids[0]};email-out;{yesterday} 16:10;\"Счёт; акт сверки\";Петров;",
                "ООО «Нет такой фирмы»;call;01.11.2026 10:00;не будет импортирована;Петров;") + "\n", new System.Text.UTF8Encoding(true));
        }

        if (top.Count == 0 || !File.Exists(path))
        {
            return;
        }

        var plan = new Store.Activities.ActivityImport(workspace.Store, context.Time.LocalTimeZone).Read(path);
        var (added, present) = new Store.Activities.ActivityStore(workspace.Store).Import(plan.Entries);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"   imported {added}, rejected {plan.Rejects.Count}{(present > 0 ? $", already present {present}" : "")}"));
        foreach (var reject in plan.Rejects)
        {
            output.WriteLine("   " + reject);
        }

        output.WriteLine($"   'crmx clients show {top[0].ClientId}' ({top[0].DisplayName}) now ends with:");
        ActivityCommand.PrintLastContact(output, workspace.Store, context.Time, top[0].ClientId, 3, "   ");
    }

    /// <summary>
    /// Step 8: a deal in the shipped sales pipeline on a client that owes, moved as a manager would: the Receivables
    /// plugin's guard refuses, saying which invoice of which legal entity or branch is overdue. Through the same
    /// commands a person uses, so the output is theirs.
    /// </summary>
    private static void DealsStep(CommandContext context, Workspace workspace, string directory, DateOnly today)
    {
        context.Out.WriteLine("8. Deals: a new deal on a client that owes, moved from lead to offer…");
        long? client;
        using (var connection = workspace.Store.Open())
        {
            client = Mail.Campaigns.Segment.SelectClients(connection, [Mail.Campaigns.Segment.Parse("overdue=yes")], today).Cast<long?>().FirstOrDefault();
        }

        if (client is null)
        {
            context.Out.WriteLine("   no client owes anything: nothing to show");
            return;
        }

        var indented = new IndentedWriter(context.Out, "   ");
        var inner = new CommandContext
        {
            Out = indented, Error = indented, WorkingDirectory = directory, Time = context.Time, Environment = context.Environment, Cancellation = context.Cancellation,
        };
        // A second demo run shows the deal it opened the first time rather than opening another.
        var deals = new Store.Deals.DealStore(workspace.Store);
        var deal = deals.List(new Store.Deals.DealFilter { ClientId = client }).FirstOrDefault(d => d.Pipeline == "sales");
        if (deal is null && CrmxApp.Run(["deals", "add", "--client", client.Value.ToString(CultureInfo.InvariantCulture), "--title", "Поставка по новому заказу",
            "--pipeline", "sales", "--amount", "250000", "--owner", "Петров"], inner) == 0)
        {
            deal = deals.List(new Store.Deals.DealFilter { ClientId = client }).FirstOrDefault(d => d.Pipeline == "sales");
        }

        if (deal is not null && deal.Stage == "lead")
        {
            CrmxApp.Run(["deals", "move", deal.Display, "--to", "offer", "--by", "Петров"], inner);
        }
    }

    /// <summary>Writes every line with an indent, so a command's own output reads as part of a demo step.</summary>
    private sealed class IndentedWriter(TextWriter inner, string indent) : TextWriter
    {
        private bool _lineStart = true;

        public override System.Text.Encoding Encoding => inner.Encoding;

        public override void Write(char value)
        {
            if (_lineStart && value != '\n')
            {
                inner.Write(indent);
            }

            inner.Write(value);
            _lineStart = value == '\n';
        }
    }

    /// <summary>Step 9: a campaign of the sample pack, queued into the outbox.</summary>
    private static void DemoCampaign(CommandContext context, Workspace workspace, DateOnly today)
    {
        context.Out.WriteLine("9. Campaign: the sample statement pack for clients with overdue invoices…");
        CampaignCommand.Demo(context, workspace, today);
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
        output.WriteLine($"11. Reports for the last twelve months → {folder}");
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
            ["mail"] = new JsonObject
            {
                ["pickupDirectory"] = "outbox", ["smtp"] = null, ["from"] = "crm@example.com",
                // Generated once per demo folder; in production the secret comes from CRMX__mail__unsubscribe__secret.
                ["unsubscribe"] = new JsonObject { ["baseUrl"] = "https://crm.example.com", ["secret"] = System.Security.Cryptography.RandomNumberGenerator.GetHexString(40, lowercase: true) },
            },
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + Environment.NewLine;
    }
}
