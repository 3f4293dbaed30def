using System.Diagnostics;
using static CrmExtensions.Unification.Tests.Builders;

namespace CrmExtensions.Unification.Tests;

public sealed partial class UnificationEngineTests
{
    [Test]
    public void Run_EmptyFormOnlyAndEmojiNames_EachReportedAndKeptApart()
    {
        var result = Run(
            Row("1", null),
            Row("2", ""),
            Row("3", "ООО"),
            Row("4", "🌼🌼🌼"),
            Row("5", "ООО «»"));

        Assert.That(result.Summary.Clients, Is.EqualTo(5));
        Assert.That(result.Issues.Where(i => i.Kind == IssueKind.EmptyName).Select(i => i.Member!.Value.LedgerId),
            Is.EquivalentTo(new[] { "1", "2", "3", "4", "5" }));
        Assert.That(result.Summary.EmptyNames, Is.EqualTo(5));
        Assert.That(result.Clients.Select(c => c.DisplayName), Has.All.Not.Empty);
    }

    [Test]
    public void Run_InnOfLetters_ReportedAndNotUsed()
    {
        var result = Run(
            Row("1", "ООО Альфа") with { TaxId = "ИНН отсутствует" },
            Row("2", "ООО Бета") with { TaxId = "ИНН отсутствует" });

        Assert.That(result.Summary.Clients, Is.EqualTo(2));
        Assert.That(result.Issues.Count(i => i.Kind == IssueKind.InvalidTaxId), Is.EqualTo(2));
    }

    [Test]
    public void Run_InnAndKppWrittenInOneColumn_ReadAsTheInnAndTheKpp()
    {
        var result = Run(
            Row("head", "ПАО Сбербанк") with { TaxId = "7707083893/773601001" },
            Row("branch", "Сбербанк, Тверское отделение") with { TaxId = "7707083893 \\ 695202001" },
            Row("own kpp", "Сбербанк") with { TaxId = "7707083893/773601001", BranchCode = "695202001" },
            Row("bare", "ПАО «Сбербанк России»") with { TaxId = "7707083893" },
            Row("not an inn", "ООО Альфа") with { TaxId = "7707083894/773601001" });

        Assert.That(new[] { result.ClientOf("branch"), result.ClientOf("own kpp"), result.ClientOf("bare") }, Is.All.EqualTo(result.ClientOf("head")));
        var entity = result.FindClient(result.ClientOf("head"))!.Entities.Single();
        Assert.That(entity.TaxId, Is.EqualTo("7707083893"));
        Assert.That(entity.Branches.Select(b => b.BranchCode), Is.SupersetOf(new[] { "773601001", "695202001" }));
        Assert.That(result.Issues.Where(i => i.Kind is IssueKind.InvalidTaxId or IssueKind.InvalidBranchCode).Select(i => i.Member!.Value.LedgerId),
            Is.EqualTo(new[] { "not an inn" }));
    }

    [Test]
    public void Run_CycleInParentColumn_ReportedAndTerminates()
    {
        var result = Run(
            Row("a", "Альфа") with { ParentLedgerId = "b" },
            Row("b", "Бета") with { ParentLedgerId = "c" },
            Row("c", "Гамма") with { ParentLedgerId = "a" },
            Row("d", "Дельта") with { ParentLedgerId = "d" },
            Row("e", "Эпсилон") with { ParentLedgerId = "missing" });

        Assert.That(result.Issues.Where(i => i.Kind == IssueKind.ParentCycle).Select(i => i.Member!.Value.LedgerId),
            Is.EquivalentTo(new[] { "a", "b", "c", "d" }));
        Assert.That(result.Issues.Single(i => i.Kind == IssueKind.UnknownParent).Member!.Value.LedgerId, Is.EqualTo("e"));
        Assert.That(result.ClientOf("a"), Is.EqualTo(result.ClientOf("c")));
        Assert.That(result.Summary.Clients, Is.EqualTo(3));
    }

    [Test]
    public void Run_TenThousandRowsWithOneName_BoundsTheComparisonsAndReportsTheBlock()
    {
        var rows = Enumerable.Range(0, 10_000).Select(i => Row(i.ToString(), "ООО «Ромашка»")).ToArray();
        var clock = Stopwatch.StartNew();

        var result = Run(rows);

        clock.Stop();
        TestContext.Out.WriteLine($"10,000 same-name rows: {clock.ElapsedMilliseconds} ms, {result.Summary.ComparedPairs} pairs compared");
        // The work is bounded by what is compared (every pair would be 50 million), not asserted in time.
        Assert.That(result.Summary.ComparedPairs, Is.LessThan(10_000L * 100));
        Assert.That(result.Issues.Select(i => i.Kind), Has.Some.EqualTo(IssueKind.OversizedBlock));
    }

    [Test]
    public void Run_DuplicateKey_ReportedAndFirstKept()
    {
        var result = Run(Row("1", "Альфа"), Row("1", "Бета"));

        Assert.That(result.Summary.LedgerEntities, Is.EqualTo(1));
        Assert.That(result.Clients.Single().DisplayName, Is.EqualTo("Альфа"));
        Assert.That(result.Issues.Single().Kind, Is.EqualTo(IssueKind.DuplicateKey));
    }

    [Test]
    public void Run_NullRequest_Throws() =>
        Assert.That(() => UnificationEngine.Run(null!), Throws.ArgumentNullException);
}
