using System.CommandLine;
using System.Globalization;
using System.Text;
using CrmExtensions.Application.Reports;
using CrmExtensions.Host.Cli;
using CrmExtensions.Ledger.Reading;
using CrmExtensions.Mail.Campaigns;
using CrmExtensions.Reports.Rendering;
using CrmExtensions.Store.Mirror;

namespace CrmExtensions.Host.Commands;

/// <summary><c>crmx report …</c>: the built-in reports, and any report a plugin adds, as a table, CSV or HTML.</summary>
internal static class ReportCommand
{
    public static CrmxCommand Create(CommandContext context) =>
        new CrmxCommand("report", "Reports over the clients: pareto, aging, managers, dynamics, campaign, and the plugins' own.").With(
            List(context),
            Report(context, "pareto", "ABC classes of clients by revenue, beside the same ranking of the ledgers' own counterparties.", null),
            Report(context, "aging", "Receivables by days past due (current, 1–30, 31–60, 61–90, 90+) per client and in total.", null),
            Report(context, "managers", "Per manager: contacts, deals opened and won, revenue, overdue debt of their clients.", null),
            Report(context, "dynamics", "Revenue, new and lost clients by month.", null),
            Campaign(context),
            Report(context, "run", "Run any report by name, a plugin's included (as NAME or PLUGIN/NAME).", Opt.One("NAME")));

    private static CrmxCommand List(CommandContext context)
    {
        return new CrmxCommand("list", "List every report: the built-in ones and those the loaded plugins add.").Runs(context, async (run, cancellationToken) =>
        {
            foreach (var entry in (await run.Service<ReportService>().CatalogAsync(withPlugins: true, cancellationToken).ConfigureAwait(false)).Entries)
            {
                run.Out.WriteLine($"{entry.QualifiedName,-30}  {entry.Report.Title}");
            }

            run.Out.WriteLine("Run one with 'crmx report NAME' (built-in) or 'crmx report run NAME'.");
            return 0;
        });
    }

    /// <summary>A built-in report (<paramref name="name"/>) or, with a NAME argument, any report, plugins' included.</summary>
    private static CrmxCommand Report(CommandContext context, string name, string summary, Argument<string>? reportName)
    {
        var from = Opt.Date("--from", "first day of the range (default: a year before --to)");
        var to = Opt.Date("--to", "last day of the range (default: today)");
        var asOf = Opt.Date("--as-of", "the day debts are aged on (default: --to)");
        var top = Opt.OptionalInt("--top", "N", "how many rows to list (totals cover all)", 1, 100_000);
        var segment = Opt.Repeated("--segment", "KIND=VALUE", "only the clients in this segment, rows and totals (segment=NAME for a stored one); repeat for more, all must hold");
        var output = new Output();
        var command = new CrmxCommand(name, summary)
        {
            Details = reportName is not null
                ? $"""
                --segment narrows the built-in reports (not 'campaign') to the segment's clients, reckoned today; plugins'
                reports are not filtered by segment, and their description line says so.
                --segment takes {Segment.Usage}.
                """
                : $"""
                Revenue is the amount of invoices issued in the range (accrual), not payments received. Totals cover every
                client, whatever --top lists; with --segment, every client in the segment (reckoned today), and the
                description line names it. --segment takes {Segment.Usage}.
                See docs/reports.md for every definition.
                """,
        }.With(from, to, asOf, top, segment, output.Format, output.File, output.Culture, output.Currency);
        if (reportName is not null)
        {
            command.Arguments.Add(reportName);
        }

        return command.Runs(context, async (run, cancellationToken) =>
        {
            var written = output.Written(run);
            var reports = run.Service<ReportService>();
            var request = reports.Window(run.Get(from), run.Get(to), run.Get(asOf), run.Get(top));
            var (entry, sections, description) = await reports.RunAsync(reportName is null ? name : run.Get(reportName), request, withPlugins: reportName is not null,
                run.Get(segment), cancellationToken).ConfigureAwait(false);
            await output.WriteAsync(run, sections, written, entry.Report.Title, entry.Report.Title, description, cancellationToken).ConfigureAwait(false);
            return 0;
        });
    }

    /// <summary><c>crmx report campaign NAME</c>: one campaign's effect, mailed against control, in the ledger's money.</summary>
    private static CrmxCommand Campaign(CommandContext context)
    {
        var days = Opt.Text("--days", "N[,N…]", "the windows after the send, in days (default: 30,60,90)");
        var cost = Opt.Text("--cost", "AMOUNT", "what the campaign cost, in the ledger's money (1500 or 1 500,50): adds the ROI");
        var segment = Opt.Repeated("--segment", "KIND=VALUE", "also break the effect down by this condition (on the send day); repeat for more");
        var output = new Output();
        var name = Opt.One("NAME", "the campaign id, as 'crmx campaign send --id' gave it");
        return new CrmxCommand("campaign", "What a campaign earned: mailed against control clients, revenue and payments after the send, with a 95% interval.")
        {
            Details = """
                For mailed and control clients (the campaign's control group, never mailed): revenue invoiced and money paid from the
                send day for N days; the difference per client (mailed mean − control mean) with Welch's 95% confidence interval;
                the incremental revenue (difference × mailed clients) and, with --cost, the ROI ((incremental − cost) / cost, on
                revenue, not margin); then by ABC class on the send day and by each --segment condition. Totals are the sums of the
                mirrored invoices and payments of those clients in those windows. 'crmx report run campaign [--from --to]' lists every
                campaign first sent in the range, one row each. See docs/marketing.md.
                """,
        }.With(days, cost, segment, output.Format, output.File, output.Culture, output.Currency, name).Runs(context, async (run, cancellationToken) =>
        {
            var written = output.Written(run);

            var windows = new List<int>();
            foreach (var part in (run.Get(days) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                windows.Add(int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is > 0 and <= 3660
                    ? n
                    : throw new UsageException($"--days takes whole numbers of days from 1 to 3660 separated by commas, not '{part}'"));
            }

            // The ledger's own writing of money, as 'crmx deals open --amount' reads it.
            decimal? amount = null;
            if (run.Get(cost) is { } costText)
            {
                amount = ValueConverter.TryConvert(ColumnType.Money, costText, out var converted, out _) && converted is long stored && stored > 0
                    ? Money.FromStored(stored)
                    : throw new UsageException($"--cost takes a positive amount such as 1500 or 1 500,50, not '{costText}'");
            }

            var reports = run.Service<ReportService>();
            var (effect, sections) = await reports.CampaignAsync(run.Get(name), windows, amount, run.Get(segment) ?? [], cancellationToken).ConfigureAwait(false);
            await output.WriteAsync(run, sections, written, $"Campaign '{effect.Campaign}': effectiveness in ledger money", $"Campaign '{effect.Campaign}'",
                ReportService.Describe(reports.Window(effect.SentOn, null, null, null)), cancellationToken).ConfigureAwait(false);
            return 0;
        });
    }

    /// <summary>How every report command writes its result: <c>--format</c>, <c>--out</c>, <c>--culture</c>, <c>--currency</c>.</summary>
    private sealed class Output
    {
        public Option<string?> Format { get; } = Opt.Text("--format", "table|csv|html", "how to write it (default: table)");

        public Option<string?> File { get; } = Opt.Text("--out", "FILE", "write to FILE instead of standard output");

        public Option<string?> Culture { get; } = Opt.Text("--culture", "NAME", "how numbers and money are written in tables and HTML (default: ru-RU; 'invariant' for none)");

        public Option<string?> Currency { get; } = Opt.Text("--currency", "SYMBOL", "written after money in tables and HTML (default: the sign of store:baseCurrency, ₽; '' for none)");

        /// <summary>The format asked for, checked before any work is done.</summary>
        /// <exception cref="UsageException">Not table, csv or html.</exception>
        public ReportFormat Written(Invocation run) =>
            ReportRenderer.TryParse(run.Get(Format), out var written) ? written : throw new UsageException($"--format takes table, csv or html, not '{run.Get(Format)}'");

        /// <summary>Renders the sections to standard output, or to <c>--out</c> with one line saying so (<paramref name="label"/>: N rows written to FILE).</summary>
        public async Task WriteAsync(Invocation run, IReadOnlyList<ReportSection> sections, ReportFormat written, string title, string label, string description,
            CancellationToken cancellationToken)
        {
            var text = ReportRenderer.Render(sections, written, RenderOptionsOf(run.Get(Culture), run.Get(Currency) ?? run.Service<ReportService>().CurrencySign, title, description));
            if (run.Get(File) is not { } path)
            {
                run.Out.Write(text);
                return;
            }

            await System.IO.File.WriteAllTextAsync(run.FullPath(path), text, new UTF8Encoding(false), cancellationToken).ConfigureAwait(false);
            run.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{label}: {sections.Sum(s => s.Table.Rows.Count):N0} rows written to {path}"));
        }

        private static RenderOptions RenderOptionsOf(string? cultureName, string currency, string title, string description)
        {
            var name = cultureName ?? "ru-RU";
            CultureInfo culture;
            try
            {
                culture = name.Equals("invariant", StringComparison.OrdinalIgnoreCase) ? CultureInfo.InvariantCulture : CultureInfo.GetCultureInfo(name);
            }
            catch (CultureNotFoundException)
            {
                throw new UsageException($"--culture takes a culture name such as ru-RU or en-US, or 'invariant', not '{name}'");
            }

            return new RenderOptions(title, description, culture, currency);
        }
    }
}
