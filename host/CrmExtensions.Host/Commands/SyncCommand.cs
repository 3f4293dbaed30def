using CrmExtensions.Application.Ledgers;
using CrmExtensions.Host.Cli;
using CrmExtensions.Host.Rendering;
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
        return new CrmxCommand("sync", "Pull ledger changes into the store's mirror (incremental) and record change events.")
        {
            Details = """
                A kind whose mapping names a watermark is read from the last watermark on; the others are read in full and
                compared by content hash. Rows the ledger no longer returns are marked vanished, never deleted. The first
                sync of a kind is a baseline and records no per-row events. Rows that cannot be read are reported and kept
                in the store's sync_rejects table. Syncs of one store take turns: while another host syncs it, this one
                says so and waits.
                """,
        }.With(ledger, stats).Runs(context, async (run, cancellationToken) =>
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            IReadOnlyList<KindSyncResult> results;
            using (var line = new ProgressLine(run.Error, context.Interactive))
            {
                results = await run.Service<SyncService>().SyncAsync(run.Get(ledger), SyncText.Progress(line), () => run.Error.WriteLine(SyncService.WaitingLine), cancellationToken).ConfigureAwait(false);
            }

            SyncText.Print(run.Out, results);
            if (run.Get(stats))
            {
                Text.Stats(run.Out, clock.Elapsed);
            }

            return 0;
        });
    }

}
