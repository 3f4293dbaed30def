using System.Globalization;
using CrmExtensions.Host.Cli;
using CrmExtensions.Host.Rendering;
using CrmExtensions.Host.Terminal;
using CrmExtensions.Samples;

namespace CrmExtensions.Host.Commands;

/// <summary><c>crmx sample</c>: the sample ledger generator.</summary>
internal static class SampleCommand
{
    public static CrmxCommand Create(CommandContext context)
    {
        var output = Opt.Text("--out", "DIR", "the folder to write into (default: sample)");
        var counterparties = Opt.Int("--counterparties", "N", "counterparty rows over all ledgers, 100 to 1,000,000 (default 5,000)", 5_000, 100, 1_000_000);
        var ratio = Opt.Text("--invoices-per-counterparty", "X", "average invoices per counterparty (default 3)");
        var ledgers = Opt.Text("--ledgers", "NAME[,NAME]", "regional ledgers, one SQLite file each (default: main)");
        var seed = Opt.Int("--seed", "N", "random seed (default 1)", 1, int.MinValue, int.MaxValue);
        var asOf = Opt.Date("--as-of", "the last day of the three-year history (default: today)");
        var generate = new CrmxCommand("generate", "Write sample ledger files, their mapping file and truth.csv into a folder.")
        {
            Details = "The output is deterministic for the same seed, size, ledgers and --as-of date.",
        }.With(output, counterparties, ratio, ledgers, seed, asOf);
        generate.Runs(context, (run, cancellationToken) =>
        {
            var options = new SampleLedgerOptions
            {
                Counterparties = run.Get(counterparties),
                Seed = run.Get(seed),
                AsOf = run.Get(asOf) ?? DateOnly.FromDateTime(context.Time.GetLocalNow().DateTime),
                Ledgers = (run.Get(ledgers) ?? "main").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                InvoicesPerCounterparty = ParseRatio(run.Get(ratio)),
            };
            var result = Generate(run, run.FullPath(run.Get(output) ?? "sample"), options, cancellationToken);
            foreach (var ledger in result.Ledgers)
            {
                run.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{ledger.Path}: {ledger.Counterparties:N0} counterparties, {ledger.Invoices:N0} invoices, {ledger.Payments:N0} payments, {ledger.Contacts:N0} contacts"));
            }

            run.Out.WriteLine($"mapping: {result.MappingPath}");
            run.Out.WriteLine($"truth:   {result.TruthPath}");
            return Task.FromResult(0);
        });
        return new CrmxCommand("sample", "Generate sample ledgers (a Russian accounting database with ground truth).").With(generate);
    }

    /// <summary>Runs the generator with a progress line.</summary>
    private static SampleLedgerResult Generate(Invocation run, string directory, SampleLedgerOptions options, CancellationToken cancellationToken)
    {
        using var line = new ProgressLine(run.Error, run.Context.Interactive);
        try
        {
            return SampleLedger.Generate(directory, options, SampleText.Progress(line), cancellationToken);
        }
        catch (ArgumentException ex)
        {
            throw new UsageException(ex.Message);
        }
    }

    private static double ParseRatio(string? text)
    {
        if (text is null)
        {
            return 3.0;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) && x is > 0 and <= 100
            ? x
            : throw new UsageException($"--invoices-per-counterparty takes a number from 0 to 100, not '{text}'");
    }
}
