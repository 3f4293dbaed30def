using System.Globalization;
using CrmExtensions.Application;
using CrmExtensions.Application.Clients;
using CrmExtensions.Application.Users;
using CrmExtensions.Web;
using Microsoft.Extensions.DependencyInjection;
using CrmExtensions.Application.Demo;
using CrmExtensions.Host.Cli;
using CrmExtensions.Host.Rendering;
using CrmExtensions.Host.Terminal;
using CrmExtensions.Ledger.Checking;
using CrmExtensions.Ledger.Sync;
using CrmExtensions.Reports.Rendering;
using CrmExtensions.Runtime;
using CrmExtensions.Samples;
using CrmExtensions.Sdk.Reports;
using CrmExtensions.Store.Mirror;

namespace CrmExtensions.Host.Commands;

/// <summary><c>crmx demo</c>: the one command that shows the whole product on a sample ledger.</summary>
internal static class DemoCommand
{
    /// <summary>The regional ledgers of the sample company.</summary>
    internal static string[] DemoLedgers => DemoRunner.DemoLedgers;

    public static CrmxCommand Create(CommandContext context)
    {
        var dir = Opt.Text("--dir", "DIR", "the demo folder (default: crmx-demo)");
        var counterparties = Opt.Int("--counterparties", "N", "sample size when the ledgers are built (default 5,000)", 5_000, 100, 1_000_000);
        var seed = Opt.Int("--seed", "N", "random seed for the sample (default 1)", 1, int.MinValue, int.MaxValue);
        var fresh = Opt.Flag("--fresh", "delete the demo folder first and start over");
        var serve = Opt.Flag("--serve", "then serve the web workspace on the demo folder, with a demo user and a one-time password");
        var urls = Opt.Text("--urls", "URL[;URL]", "with --serve: where to listen (default http://127.0.0.1:5080)");
        return new CrmxCommand("demo", "Build the sample ledgers if absent, write a crmx.json for them, and run everything on them.")
        {
            Details = """
                The demo folder gets two regional SQLite ledgers of one supplier (msk.db, spb.db), their mapping file,
                the generator's truth.csv, a crmx.json and the store crm.db. Running it again reuses them: the ledgers are
                never written, so a second sync finds nothing new. Then the demo attaches (checks every mapping), syncs,
                and prints what it found.
                """,
        }.With(dir, counterparties, seed, fresh, serve, urls).Runs(context, async (run, cancellationToken) =>
        {
            var directory = run.FullPath(run.Get(dir) ?? "crmx-demo");
            using var line = new ProgressLine(run.Error, context.Interactive);
            var ok = await new DemoRunner(run.WorkspaceOptions)
                .RunAsync(new DemoRequest(directory, run.Get(counterparties), run.Get(seed), run.Get(fresh)), new Printer(context, line), cancellationToken)
                .ConfigureAwait(false);
            if (ok && run.Get(serve))
            {
                await ServeAsync(context, directory, run.Get(urls), cancellationToken).ConfigureAwait(false);
            }

            return ok ? 0 : 1;
        });
    }

    /// <summary>Serves the demo folder as user <c>demo</c> (a director whose own clients are the busiest manager's), with a new password each time.</summary>
    private static async Task ServeAsync(CommandContext context, string directory, string? urls, CancellationToken cancellationToken)
    {
        var options = new WorkspaceOptions { WorkingDirectory = directory, Environment = context.Environment, Time = context.Time, LogWriter = context.Error };
        string password;
        string? manager;
        await using (var core = CrmApplication.Build(options))
        {
            manager = await core.GetRequiredService<ClientService>().BusiestManagerAsync(cancellationToken).ConfigureAwait(false);
            password = await core.GetRequiredService<UserService>().AddOrResetAsync("demo", Roles.Director, manager, cancellationToken).ConfigureAwait(false);
        }

        await using var app = WebApp.Build(options, urls);
        await WebServer.RunAsync(app, context.Out, cancellationToken, addresses =>
        {
            context.Out.WriteLine($"Open {(addresses.Count > 0 ? addresses[0] : "the address above")} and sign in as 'demo' with the one-time password {password}");
            context.Out.WriteLine($"('demo' is a director; \"my\" views show the clients of {manager ?? "no manager"}). 'crmx users add' adds real users.");
        }).ConfigureAwait(false);
    }

    /// <summary>Prints each step as it ends.</summary>
    private sealed class Printer(CommandContext context, ProgressLine line) : IDemoObserver
    {
        private static readonly CultureInfo Ru = CultureInfo.GetCultureInfo("ru-RU");

        private TextWriter Out => context.Out;

        public IProgress<SampleProgress>? GenerationProgress => SampleText.Progress(line);

        public void Folder(string directory) => Out.WriteLine($"Demo folder: {directory}");

        public void LedgersBuilt(SampleLedgerResult? built, int counterparties, int seed, bool configurationWritten)
        {
            if (built is null)
            {
                Out.WriteLine("1. Sample ledgers found; reusing them.");
            }
            else
            {
                Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"1. Building the sample ledgers ({counterparties:N0} counterparties, seed {seed})…"));
                foreach (var ledger in built.Ledgers)
                {
                    Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"   {Path.GetFileName(ledger.Path)}: {ledger.Counterparties:N0} counterparties, {ledger.Invoices:N0} invoices, {ledger.Payments:N0} payments, {ledger.Contacts:N0} contacts"));
                }
            }

            if (configurationWritten)
            {
                Out.WriteLine("   wrote crmx.json");
            }
        }

        public void Attached(AttachCheckResult check, int ledgers)
        {
            Out.WriteLine("2. Attaching (checking every mapping, read-only)…");
            foreach (var warning in check.Warnings)
            {
                context.Error.WriteLine("warning: " + warning);
            }

            foreach (var problem in check.Problems)
            {
                context.Error.WriteLine("error: " + problem);
            }

            if (check.Passed)
            {
                Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   {ledgers} ledgers, {check.Kinds.Count} mapped kinds: all attach cleanly."));
            }
        }

        public void Synced(IReadOnlyList<KindSyncResult> results)
        {
            Out.WriteLine("3. Syncing ledgers into the store…");
            SyncText.Print(Out, results);
        }

        public void Unified(Unifier.Outcome outcome)
        {
            Out.WriteLine("4. Unifying legal entities and branches into clients…");
            UnifyText.PrintSummary(Out, outcome);
        }

        public void Summarised(IReadOnlyList<LedgerSummary> summaries, Unifier.Outcome outcome)
        {
            Out.WriteLine("5. What the CRM sees:");
            foreach (var s in summaries)
            {
                Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"   {s.Ledger}: {s.Counterparties:N0} counterparties, {s.Contacts:N0} contacts, {s.Invoices:N0} invoices ({s.Invoiced.ToString("N2", Ru)} ₽), {s.Payments:N0} payments"));
                Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"   {"",-3} overdue: {s.OverdueInvoices:N0} invoices, {s.Overdue.ToString("N2", Ru)} ₽ owed"));
            }

            var u = outcome.Summary;
            Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"   In all: {u.LedgerEntities:N0} ledger counterparties in {summaries.Count} ledgers → {u.Clients:N0} clients; {u.Branches:N0} branches; {u.GroupsLinked:N0} groups."));
        }

        public void PluginsRan(DemoPlugins plugins)
        {
            Out.WriteLine("6. Plugins: loading, dispatching pending events, evaluating reminder rules…");
            if (plugins.Installed.Count > 0)
            {
                Out.WriteLine($"   shipped plugins installed in {Path.GetFileName(plugins.Directory)}/: {string.Join(", ", plugins.Installed)}");
            }

            PluginText.Print(Out, plugins.Directory, plugins.Plugins, "   ");
            var dispatched = plugins.Events;
            Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"   events: {dispatched.Events:N0} dispatched ({dispatched.Deliveries:N0} deliveries, {dispatched.Failures:N0} failed){TagWriteCounts.Describe(dispatched.TagWrites)}"));
            foreach (var problem in dispatched.Problems.Take(10))
            {
                Out.WriteLine("   problem: " + problem);
            }

            ReminderText.Print(Out, plugins.Reminders, "   ");
            foreach (var group in plugins.Output.Tags.GroupBy(t => t.Name))
            {
                Out.WriteLine($"   clients by {group.Key}: {string.Join(", ", group.Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Value} {t.Clients:N0}")))}");
            }

            foreach (var (plugin, subject) in plugins.Output.SampleMails)
            {
                Out.WriteLine($"   e.g. mail ({plugin}): {subject}");
            }
        }

        public void ContactLogImported(DemoContactLog? log)
        {
            Out.WriteLine("7. Contact log: importing activities.csv…");
            if (log is null)
            {
                return;
            }

            var import = log.Import;
            Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"   imported {import.Added}, rejected {import.Rejects.Count}{(import.AlreadyPresent > 0 ? $", already present {import.AlreadyPresent}" : "")}"));
            foreach (var reject in import.Rejects)
            {
                Out.WriteLine("   " + reject);
            }

            Out.WriteLine($"   'crmx clients show {log.Client.ClientId}' ({log.Client.DisplayName}) now ends with:");
            ActivityText.PrintLastContact(Out, log.LastContacts, context.Time, "   ");
        }

        public void DealShown(DemoDeal deal)
        {
            Out.WriteLine("8. Deals: a new deal on a client that owes, moved from lead to offer…");
            if (deal.Client is null)
            {
                Out.WriteLine("   no client owes anything: nothing to show");
                return;
            }

            if (deal.OpenedNow is { } opened)
            {
                Out.WriteLine("   " + DealText.Opened(opened.Deal, opened.Client, opened.Pipeline));
            }

            if (deal.Failure is not null)
            {
                Out.WriteLine("   error: " + deal.Failure);
            }

            if (deal.Move is { } move)
            {
                using var indented = new StringWriter();
                DealText.PrintMove(indented, indented, move, "Петров");
                foreach (var text in indented.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries))
                {
                    Out.WriteLine("   " + text.TrimEnd('\r'));
                }
            }
        }

        public void Recommended(Application.Recommendations.ClientRecommendations? recommendation)
        {
            if (recommendation is { CrossSell: [var top, ..] } r)
            {
                Out.WriteLine($"   Cross-sell for {r.Client.DisplayName} (client {r.Client.ClientId}): {top.Name} — {top.Reason}");
            }
        }

        public void CampaignQueued(DemoCampaign campaign, string baseDirectory)
        {
            Out.WriteLine("9. Campaign: the sample statement pack for every client, a control group kept back, clients with problems held back…");
            var result = campaign.Result;
            Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"   campaign '{result.Id}' ({Path.GetRelativePath(baseDirectory, campaign.Pack)}): " +
                $"{result.Selected:N0} clients, {result.HeldBack.Count:N0} held back: unresolved problems, {result.ControlClients.Count:N0} in the control group, " +
                $"{result.Messages.Count:N0} mailed, {result.SkippedClients.Count:N0} skipped without an address; {result.Queued:N0} newly queued in the outbox"));
            if (campaign.Effect?.Rows.FirstOrDefault(r => r.Breakdown == "all" && r.Measure == "revenue") is { } effect)
            {
                var ru = CultureInfo.GetCultureInfo("ru-RU");
                string Money(double value) => double.IsFinite(value) ? value.ToString("N2", ru) + " ₽" : "—";
                var begun = campaign.Effect.SentOn.AddDays(effect.Days) > campaign.Effect.Today.AddDays(1) ? "; the window has only begun" : "";
                Out.WriteLine(string.Create(ru,
                    $"   effectiveness ('crmx report campaign {result.Id}'): {effect.Mailed.Count:N0} mailed against {effect.Control.Count:N0} in control, revenue in the {effect.Days} days from {campaign.Effect.SentOn:dd.MM.yyyy} {Money(effect.Effect.Difference)} per client (95% interval {Money(effect.Effect.Low)} to {Money(effect.Effect.High)}), {Money(effect.Incremental)} incremental{begun}"));
            }
        }

        public void SegmentCounted(DemoSegment segment) =>
            Out.WriteLine($"   behaviour segment '{segment.Name}' ({segment.Rule}): {segment.Count.ToString("N0", CultureInfo.InvariantCulture)} clients; " +
                $"'crmx segment explain {segment.Name} CLIENT' says why, '--segment segment={segment.Name}' sends to it");

        public void MailSent(Mail.Delivery.DispatchSummary summary, string pickupDirectory)
        {
            Out.WriteLine("10. Sending the outbox (pickup folder, one .eml per mail)…");
            Out.WriteLine($"   {Application.Mail.MailService.Describe(summary)}; files in {pickupDirectory}/");
        }

        public void ReportsWritten(string folder, IReadOnlyList<DemoReport> reports)
        {
            Out.WriteLine($"11. Reports for the last twelve months → {folder}");
            foreach (var (report, table, options, _) in reports)
            {
                if (report.Name == "pareto")
                {
                    var top = new ReportTable { Columns = table.Columns, Kinds = table.Kinds, Rows = table.Rows.Take(10).ToList(), Totals = table.Totals, Notes = table.Notes };
                    Out.Write(ReportRenderer.Render(top, ReportFormat.Table, options));
                }
            }

            Out.WriteLine($"   wrote {string.Join(", ", reports.Select(r => Path.GetFileName(r.File)))} in {folder}");
        }

        public void Finished(string directory)
        {
            Out.WriteLine();
            Out.WriteLine($"Next, in {Path.GetRelativePath(context.WorkingDirectory, directory)}: 'crmx clients list', 'crmx clients explain CLIENT', 'crmx sync' (finds no changes: ledgers are never written)");
        }
    }
}
