using CrmExtensions.Unification.Internal;

namespace CrmExtensions.Unification.Tests.Internal;

public sealed class BlocksTests
{
    [TestCase(1)]
    [TestCase(7)]
    [TestCase(100)]
    public void Touching_SomeRows_AreTheFullListsPairsThatTouchThem(int every)
    {
        // Blocks small enough that some are compared within a window, where a row's pairs depend on its place in the
        // block's sorted order.
        var options = new UnificationOptions { MaxBlockSize = 4, WindowSize = 2 };
        var issues = new List<InputIssue>();
        var table = RecordTable.Build(ErDatasets.CsvExample().Rows, issues, new ParallelOptions());
        var blocks = Blocker.Build(table, new bool[table.Pool.Count], options, issues);
        var source = Enumerable.Range(0, table.Count).Select(i => i % every == 0).ToArray();
        bool Keep(int a, int b) => (a + b) % 3 != 0;

        var (all, allFields, _, _) = blocks.All(new ParallelOptions());
        var expected = all.Select((pair, k) => (Pair: pair, Field: allFields[k]))
            .Where(p => (source[(int)(p.Pair >> 32)] || source[(int)p.Pair]) && Keep((int)(p.Pair >> 32), (int)p.Pair)).ToList();
        var (touching, fields, _, _) = blocks.Touching(Enumerable.Range(0, table.Count).Where(i => source[i]).ToList(), Keep, new ParallelOptions());

        Assert.Multiple(() =>
        {
            Assert.That(issues.Select(i => i.Kind), Does.Contain(IssueKind.OversizedBlock));
            Assert.That(expected, Is.Not.Empty);
            Assert.That(touching, Is.EqualTo(expected.Select(p => p.Pair)));
            Assert.That(fields, Is.EqualTo(expected.Select(p => p.Field)));
        });
    }
}
