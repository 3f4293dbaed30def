using System.Globalization;
using CrmExtensions.Host.Terminal;
using CrmExtensions.Ledger.Sync;

namespace CrmExtensions.Host.Commands;

/// <summary><c>crmx sync</c>: pull ledger changes into the store's mirror.</summary>
internal sealed class SyncCommand : CommandSpec
{
    public override string Name => "sync";

    public override string Summary => "Pull ledger changes into the store's mirror (incremental) and record change events.";

    public override string Details =>
        """
        A kind whose mapping names a watermark is read from the last watermark on; the others are read in full and
        compared by content hash. Rows the ledger no longer returns are marked vanished, never deleted. The first
        sync of a kind is a baseline and records no per-row events. Rows that cannot be read are reported and kept
        in the store's sync_rejects table.
        """;

    public override IReadOnlyList<OptionSpec> Options =>
    [
        new("ledger", "NAME[,NAME]", "sync only these ledgers"),
        new("stats", null, "print the wall time and the process's peak memory at the end"),
    ];

    public override int Execute(CommandContext context, ParsedArguments arguments)
    {
        arguments.NoPositional();
        var workspace = Workspace.Open(context, arguments);
        var ledgers = workspace.Select(arguments.Get("ledger"));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        workspace.Store.Migrate();
        var results = Run(context, workspace, ledgers);
        Print(context.Out, results);
        if (arguments.Has("stats"))
        {
            using var process = System.Diagnostics.Process.GetCurrentProcess();
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"stats: {clock.Elapsed.TotalSeconds:0.00} s wall, peak memory {process.PeakWorkingSet64 / 1048576.0:N0} MiB"));
        }

        return 0;
    }

    /// <summary>Syncs with a progress line; shared with <c>crmx demo</c>.</summary>
    public static IReadOnlyList<KindSyncResult> Run(CommandContext context, Workspace workspace, IReadOnlyList<Ledger.Connections.LedgerDefinition> ledgers)
    {
        using var line = new ProgressLine(context.Error, context.Interactive);
        var progress = new InlineProgress<SyncProgress>(p =>
            line.Show(string.Create(CultureInfo.InvariantCulture, $"sync {p.Ledger}/{p.Kind}: {p.Rows:N0} rows")));
        return new LedgerSynchronizer(workspace.Store).Sync(ledgers, progress, context.Cancellation);
    }

    public static void Print(TextWriter output, IReadOnlyList<KindSyncResult> results)
    {
        foreach (var group in results.GroupBy(r => r.Ledger))
        {
            output.WriteLine($"ledger '{group.Key}':");
            foreach (var r in group)
            {
                var c = r.Counts;
                var what = c.HasChanges || c.Rejected > 0
                    ? string.Create(CultureInfo.InvariantCulture, $"{c.Inserted:N0} new, {c.Changed:N0} changed, {c.Vanished:N0} vanished, {c.Rejected:N0} rejected")
                    : "no changes";
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {r.Kind,-15} {c.Read,10:N0} read  {what}  [{r.Mode}, {r.Elapsed.TotalSeconds:0.0} s]"));
                foreach (var reject in r.Rejects.Take(5))
                {
                    output.WriteLine($"    rejected ledger_id={reject.LedgerId ?? "?"}, {reject.Column} = '{reject.Value}': {reject.Message}");
                }

                if (c.Rejected > 5)
                {
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    … and {c.Rejected - 5:N0} more in the store's sync_rejects table"));
                }
            }
        }
    }
}

/// <summary>An <see cref="IProgress{T}"/> that reports on the calling thread (the CLI has no synchronisation context to post to).</summary>
internal sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
