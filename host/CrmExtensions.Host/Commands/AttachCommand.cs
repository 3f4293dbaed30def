using System.Globalization;
using CrmExtensions.Application.Ledgers;
using CrmExtensions.Application.Mail;
using CrmExtensions.Host.Cli;
using CrmExtensions.Ledger;
using CrmExtensions.Ledger.Checking;
using CrmExtensions.Mail.Delivery;

namespace CrmExtensions.Host.Commands;

/// <summary><c>crmx attach --check</c>: validate every ledger's mapping, reporting every problem at once.</summary>
internal static class AttachCommand
{
    public static CrmxCommand Create(CommandContext context)
    {
        var check = Opt.Flag("--check", "only check (the default and, for now, only mode)");
        var ledger = Opt.Text("--ledger", "NAME[,NAME]", "check only these ledgers");
        var sample = Opt.Int("--sample", "N", "rows of each kind read to check values (default 100; 0 = describe the queries only)", 100, 0, 1_000_000);
        return new CrmxCommand("attach", "Validate every ledger's connection and mapping; name the ledger, kind and column at fault.")
        {
            Details = """
                Each mapping query is described without fetching rows (column names and types), then its first rows are
                read and converted to find values of the wrong type, and its whole result is grouped by the ledger to find
                ids returned more than once (an error: sync would keep one of the rows) and invoices, payments or contacts
                whose counterparty the counterparties query does not return (a warning, with their count). The mail settings are checked too, each problem naming
                its setting (missing unsubscribe settings are a warning: only marketing mail waits for them). Nothing is
                written anywhere. Exits 1 when any problem is found, after listing all of them.
                """,
        }.With(check, ledger, sample).Runs(context, async (run, cancellationToken) =>
        {
            var mail = run.Service<MailService>().CheckSettings();
            AttachCheckResult result;
            try
            {
                result = await run.Service<AttachService>().CheckAsync(run.Get(ledger), run.Get(sample), cancellationToken).ConfigureAwait(false);
            }
            catch (LedgerException ex)
            {
                return Report(run, [], ex.Problems, mail);
            }

            return Report(run, result.Kinds, result.Problems, mail, result.WriteAccess, result.Warnings);
        });
    }

    /// <summary>Prints each kind's verdict, then every problem; returns the exit code.</summary>
    public static int Report(Invocation run, IReadOnlyList<KindCheckResult> kinds, IReadOnlyList<LedgerProblem> problems, IReadOnlyList<MailSettingProblem> mail,
        IReadOnlyList<LedgerWriteAccess>? access = null, IReadOnlyList<LedgerProblem>? warnings = null)
    {
        foreach (var group in kinds.GroupBy(k => k.Ledger))
        {
            run.Out.WriteLine($"ledger '{group.Key}':");
            foreach (var kind in group)
            {
                var bad = problems.Any(p => p.Ledger == kind.Ledger && p.Kind == kind.Kind);
                run.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {(bad ? "FAIL" : "ok  ")} {kind.Kind,-15} {kind.Columns.Count,2} columns, {kind.SampledRows} rows sampled"));
            }

            if (access?.FirstOrDefault(a => a.Ledger == group.Key) is { } login)
            {
                run.Out.WriteLine(login.CanWrite
                    ? "  login  could write to the mapped tables: " + string.Join("; ", login.Tables)
                    : "  login  read-only on the mapped tables");
            }
        }

        foreach (var login in access?.Where(a => a.CanWrite) ?? [])
        {
            run.Error.WriteLine($"warning: ledger '{login.Ledger}': its login could write to {string.Join("; ", login.Tables)}. crmx only reads, " +
                "but a read-only login is the lock that holds whatever happens: connect as a role granted SELECT only (docs/mapping.md shows how).");
        }

        foreach (var warning in warnings ?? [])
        {
            run.Error.WriteLine("warning: " + warning);
        }

        foreach (var problem in problems)
        {
            run.Error.WriteLine("error: " + problem);
        }

        foreach (var problem in mail)
        {
            run.Error.WriteLine((problem.Blocking ? "error: " : "warning: ") + problem);
        }

        var count = problems.Count + mail.Count(p => p.Blocking);
        if (count > 0)
        {
            run.Error.WriteLine(count == 1 ? "1 problem found." : $"{count} problems found.");
            return 1;
        }

        run.Out.WriteLine("All ledgers attach cleanly" + (mail.Count == 0 ? " and the mail settings are complete." : "."));
        return 0;
    }
}
