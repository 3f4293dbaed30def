using System.Globalization;
using CrmExtensions.Application.Clients;
using CrmExtensions.Host.Cli;
using CrmExtensions.Host.Rendering;
using CrmExtensions.Host.Terminal;

namespace CrmExtensions.Host.Commands;

/// <summary><c>crmx unify</c>: rebuild client records from the mirror.</summary>
internal static class UnifyCommand
{
    public static CrmxCommand Create(CommandContext context)
    {
        var stats = Opt.Flag("--stats", "print stage timings, the process's peak memory and the match model learnt from the ledger");
        var full = Opt.Flag("--full", "re-examine every row, even where only a few changed since the last run");
        return new CrmxCommand("unify", "Rebuild client records: ledger entities → legal entities → clients, with branches and groups.")
        {
            Details = """
                Reads every live counterparty from the store's mirror (run 'crmx sync' first), links the rows of one legal
                entity (same valid INN, or the same firm typed differently), its branches (other KPP) and the legal entities
                of one group (parent column, shared company mail domain, phone or director), and applies people's decisions
                ('crmx clients merge|split|never-link'). Client ids stay stable from run to run. Nothing is deleted.
                After the first run, only the rows changed since the last run (by a sync or a decision), the rows sharing
                their exact name, address or phone, their clients and whatever would now link to them are re-examined,
                scored with the match model kept from the run that learnt it; the model is learnt again once more than
                unification:relearnShare (0.1) of the counterparties changed.
                """,
        }.With(stats, full).Runs(context, async (run, cancellationToken) =>
        {
            Unifier.Outcome outcome;
            using (var line = new ProgressLine(run.Error, context.Interactive))
            {
                outcome = await run.Service<UnificationService>().UnifyAsync(run.Get(full), UnifyText.Progress(line), cancellationToken).ConfigureAwait(false);
            }

            UnifyText.PrintSummary(run.Out, outcome);
            if (run.Get(stats))
            {
                using var process = System.Diagnostics.Process.GetCurrentProcess();
                run.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"stats: {outcome.TotalTime.TotalSeconds:0.00} s wall ({string.Join(", ", outcome.Summary.Stages.Select(s => $"{s.Key} {s.Value.TotalSeconds:0.00} s"))}; " +
                    $"reading the mirror, within normalise, {outcome.ReadTime.TotalSeconds:0.00} s), peak memory {process.PeakWorkingSet64 / 1048576.0:N0} MiB"));
                if (outcome.Model is { } model)
                {
                    run.Out.WriteLine(model.Learnt
                        ? "match model learnt from this ledger on this run, now kept in the store (m = P(level | same), u = P(level | different)):"
                        : "match model kept in the store, learnt on an earlier run (m = P(level | same), u = P(level | different)):");
                    run.Out.Write(model.ToString());
                }
            }

            return 0;
        });
    }

}
