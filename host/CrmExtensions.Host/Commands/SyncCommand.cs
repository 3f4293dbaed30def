using System.Globalization;
using CrmExtensions.Application.Ledgers;
using CrmExtensions.Host.Cli;
using CrmExtensions.Host.Terminal;
using CrmExtensions.Ledger.Sync;

namespace CrmExtensions.Host.Commands;

/// <summary><c>crmx sync</c>: pull ledger changes into the store's mirror.</summary>
internal static class SyncCommand
{
    public static CrmxCommand Create(CommandContext context)
    {
        var ledger = Opt.Text("--ledger", "NAME[,NAME]", "sync only these ledgers");
        var stats = Opt.Flag("--stats", "print the wall time and the process's peak memory at the end");
        var command = new CrmxCommand("sync", "Pull ledger changes into the store's mirror (incremental) and record change events.")
        {
            Details = """
                A kind whose mapping names a watermark is read from the last watermark on; the others are read in full and
                compared by content hash. Rows the ledger no longer returns are marked vanished, never deleted. The first
                sync of a kind is a baseline and records no per-row events. Rows that cannot be read are reported and kept
                in the store's sync_rejects table.
                """,
        }.With(ledger, stats);
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var run = new Invocation(context, parse);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            IReadOnlyList<KindSyncResult> results;
            using (var line = new ProgressLine(run.Error, context.Interactive))
            {
                results = await run.Service<SyncService>().SyncAsync(run.Get(ledger), Progress(line), cancellationToken).ConfigureAwait(false);
            }

            Print(run.Out, results);
            if (run.Get(stats))
            {
                Text.Stats(run.Out, clock.Elapsed);
            }

            return 0;
        });
        return command;
    }

    /// <summary>A progress line's view of a sync.</summary>
    public static IProgress<SyncProgress> Progress(ProgressLine line) =>
        new InlineProgress<SyncProgress>(p => line.Show(string.Create(CultureInfo.InvariantCulture, $"sync {p.Ledger}/{p.Kind}: {p.Rows:N0} rows")));

    /// <summary>Prints what a sync did per ledger and kind, with the first rejected rows.</summary>
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
