using System.Globalization;
using CrmExtensions.Application.Clients;
using CrmExtensions.Host.Cli;
using CrmExtensions.Unification;

namespace CrmExtensions.Host.Commands;

/// <summary><c>crmx unify</c>: rebuild client records from the mirror.</summary>
internal static class UnifyCommand
{
    public static CrmxCommand Create(CommandContext context)
    {
        var stats = Opt.Flag("--stats", "print stage timings and the process's peak memory");
        var command = new CrmxCommand("unify", "Rebuild client records: ledger entities → legal entities → clients, with branches and groups.")
        {
            Details = """
                Reads every live counterparty from the store's mirror (run 'crmx sync' first), links the rows of one legal
                entity (same valid INN, or the same firm typed differently), its branches (other KPP) and the legal entities
                of one group (parent column, shared company mail domain, phone or director), and applies people's decisions
                ('crmx clients merge|split|never-link'). Client ids stay stable from run to run. Nothing is deleted.
                """,
        }.With(stats);
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var run = new Invocation(context, parse);
            var outcome = await run.Service<UnificationService>().UnifyAsync(cancellationToken).ConfigureAwait(false);
            PrintSummary(run.Out, outcome);
            if (run.Get(stats))
            {
                using var process = System.Diagnostics.Process.GetCurrentProcess();
                run.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"stats: {outcome.TotalTime.TotalSeconds:0.00} s wall (reading the mirror {outcome.ReadTime.TotalSeconds:0.00} s; " +
                    $"{string.Join(", ", outcome.Summary.Stages.Select(s => $"{s.Key} {s.Value.TotalSeconds:0.00} s"))}), peak memory {process.PeakWorkingSet64 / 1048576.0:N0} MiB"));
            }

            return 0;
        });
        return command;
    }

    /// <summary>Prints what a unification made and changed.</summary>
    public static void PrintSummary(TextWriter output, Unifier.Outcome outcome)
    {
        var s = outcome.Summary;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{s.LedgerEntities:N0} ledger counterparties → {s.LegalEntities:N0} legal entities → {s.Clients:N0} clients"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {s.Branches:N0} branches, {s.GroupsLinked:N0} groups linked, {s.ReviewPairs:N0} pairs sent to review, {s.InvalidIdentifiers:N0} invalid identifiers, {s.EmptyNames:N0} empty names"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  since the last run: {outcome.Created:N0} clients created, {outcome.Merged:N0} merged, {outcome.Split:N0} split; {outcome.ChangedMembers:N0} memberships written"));
    }

    /// <summary>A link rule as a person reads it.</summary>
    public static string Rule(string rule) => rule switch
    {
        nameof(LinkRule.SameTaxId) => "same INN",
        nameof(LinkRule.SameRegistrationNumber) => "same OGRN",
        nameof(LinkRule.ParentColumn) => "ledger's parent column",
        nameof(LinkRule.Similarity) => "similar name and details",
        nameof(LinkRule.GroupParentColumn) => "group: ledger's parent column",
        nameof(LinkRule.GroupEvidence) => "group: shared contacts",
        nameof(LinkRule.Decision) => "people's decision",
        _ => rule,
    };
}
