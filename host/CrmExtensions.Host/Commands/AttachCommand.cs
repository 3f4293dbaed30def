using System.Globalization;
using CrmExtensions.Ledger;
using CrmExtensions.Ledger.Checking;

namespace CrmExtensions.Host.Commands;

/// <summary><c>crmx attach --check</c>: validate every ledger's mapping, reporting every problem at once.</summary>
internal sealed class AttachCommand : CommandSpec
{
    public override string Name => "attach";

    public override string Summary => "Validate every ledger's connection and mapping; name the ledger, kind and column at fault.";

    public override string Details =>
        """
        Each mapping query is described without fetching rows (column names and types), then its first rows are
        read and converted to find values of the wrong type. Nothing is written anywhere. Exits 1 when any problem
        is found, after listing all of them.
        """;

    public override IReadOnlyList<OptionSpec> Options =>
    [
        new("check", null, "only check (the default and, for now, only mode)"),
        new("ledger", "NAME[,NAME]", "check only these ledgers"),
        new("sample", "N", "rows of each kind read to check values (default 100; 0 = describe the queries only)"),
    ];

    public override int Execute(CommandContext context, ParsedArguments arguments)
    {
        arguments.NoPositional();
        var sample = arguments.GetInt("sample", 100, 0, 1_000_000);
        Workspace workspace;
        try
        {
            workspace = Workspace.Open(context, arguments);
        }
        catch (LedgerException ex)
        {
            return Report(context, [], ex.Problems);
        }

        var ledgers = workspace.Select(arguments.Get("ledger"));
        var result = AttachChecker.Check(ledgers, sample, context.Cancellation);
        return Report(context, result.Kinds, result.Problems);
    }

    private static int Report(CommandContext context, IReadOnlyList<KindCheckResult> kinds, IReadOnlyList<LedgerProblem> problems)
    {
        foreach (var group in kinds.GroupBy(k => k.Ledger))
        {
            context.Out.WriteLine($"ledger '{group.Key}':");
            foreach (var kind in group)
            {
                var bad = problems.Any(p => p.Ledger == kind.Ledger && p.Kind == kind.Kind);
                context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {(bad ? "FAIL" : "ok  ")} {kind.Kind,-15} {kind.Columns.Count,2} columns, {kind.SampledRows} rows sampled"));
            }
        }

        foreach (var problem in problems)
        {
            context.Error.WriteLine("error: " + problem);
        }

        if (problems.Count > 0)
        {
            context.Error.WriteLine(problems.Count == 1 ? "1 problem found." : $"{problems.Count} problems found.");
            return 1;
        }

        context.Out.WriteLine("All ledgers attach cleanly.");
        return 0;
    }
}
