using System.Globalization;
using CrmExtensions.Host.Terminal;
using CrmExtensions.Samples;

namespace CrmExtensions.Host.Commands;

/// <summary><c>crmx sample</c>: the sample ledger generator.</summary>
internal sealed class SampleCommand : CommandSpec
{
    public override string Name => "sample";

    public override string Summary => "Generate sample ledgers (a Russian accounting database with ground truth).";

    public override IReadOnlyList<CommandSpec> Subcommands { get; } = [new GenerateCommand()];

    private sealed class GenerateCommand : CommandSpec
    {
        public override string Name => "generate";

        public override string Summary => "Write sample ledger files, their mapping file and truth.csv into a folder.";

        public override string Details =>
            "The output is deterministic for the same seed, size, ledgers and --as-of date.";

        public override IReadOnlyList<OptionSpec> Options =>
        [
            new("out", "DIR", "the folder to write into (default: sample)"),
            new("counterparties", "N", "counterparty rows over all ledgers, 100 to 1,000,000 (default 5,000)"),
            new("invoices-per-counterparty", "X", "average invoices per counterparty (default 3)"),
            new("ledgers", "NAME[,NAME]", "regional ledgers, one SQLite file each (default: main)"),
            new("seed", "N", "random seed (default 1)"),
            new("as-of", "yyyy-MM-dd", "the last day of the three-year history (default: today)"),
        ];

        public override int Execute(CommandContext context, ParsedArguments arguments)
        {
            arguments.NoPositional();
            var options = new SampleLedgerOptions
            {
                Counterparties = arguments.GetInt("counterparties", 5_000, 100, 1_000_000),
                Seed = arguments.GetInt("seed", 1, int.MinValue, int.MaxValue),
                AsOf = arguments.GetDate("as-of") ?? DateOnly.FromDateTime(context.Time.GetLocalNow().DateTime),
                Ledgers = (arguments.Get("ledgers") ?? "main").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                InvoicesPerCounterparty = ParseRatio(arguments.Get("invoices-per-counterparty")),
            };
            var directory = Path.GetFullPath(arguments.Get("out") ?? "sample", context.WorkingDirectory);
            var result = Generate(context, directory, options);
            foreach (var ledger in result.Ledgers)
            {
                context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{ledger.Path}: {ledger.Counterparties:N0} counterparties, {ledger.Invoices:N0} invoices, {ledger.Payments:N0} payments, {ledger.Contacts:N0} contacts"));
            }

            context.Out.WriteLine($"mapping: {result.MappingPath}");
            context.Out.WriteLine($"truth:   {result.TruthPath}");
            return 0;
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

    /// <summary>Runs the generator with a progress line; shared with <c>crmx demo</c>.</summary>
    public static SampleLedgerResult Generate(CommandContext context, string directory, SampleLedgerOptions options)
    {
        using var line = new ProgressLine(context.Error, context.Interactive);
        var progress = new InlineProgress<SampleProgress>(p =>
            line.Show(string.Create(CultureInfo.InvariantCulture, $"generating {p.Stage}: {p.Done:N0} / {p.Total:N0}")));
        try
        {
            return SampleLedger.Generate(directory, options, progress, context.Cancellation);
        }
        catch (ArgumentException ex)
        {
            throw new UsageException(ex.Message);
        }
    }
}
