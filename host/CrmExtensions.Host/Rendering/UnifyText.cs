using CrmExtensions.Application.Internal;
using System.Globalization;
using CrmExtensions.Host.Terminal;
using CrmExtensions.Application.Clients;
using CrmExtensions.Unification;

namespace CrmExtensions.Host.Rendering;

/// <summary>How a unification and its links are shown.</summary>
internal static class UnifyText
{
    /// <summary>A progress line's view of a unification: each stage as it starts, the counterparties read while the first
    /// normalises them (a stage is shown at once, the rows read at most a few times a second), the clients being written.</summary>
    public static IProgress<UnifyProgress> Progress(ProgressLine line) =>
        new InlineProgress<UnifyProgress>(p => line.Show(p.Stage switch
        {
            UnifyProgress.Reading => string.Create(CultureInfo.InvariantCulture, $"unify: normalise, {p.Rows:N0} counterparties read from the mirror"),
            UnifyProgress.Writing => string.Create(CultureInfo.InvariantCulture, $"unify: writing {p.Rows:N0} clients and their members"),
            _ => "unify: " + p.Stage,
        }, force: p.Stage != UnifyProgress.Reading || p.Rows == 0));

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
        output.WriteLine("  " + outcome.Mode);
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
