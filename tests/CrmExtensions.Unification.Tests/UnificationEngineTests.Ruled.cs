using CrmExtensions.Unification.Internal;

namespace CrmExtensions.Unification.Tests;

public sealed partial class UnificationEngineTests
{
    [Test]
    public void RuledPairs_ScoredWhereTheBlocksMeetThem_GiveTheEdgesOfEveryPairListedAndScoredLater()
    {
        // Small blocks, so that some are compared within a window, where a pair can be met twice; and firms of their own
        // INNs sharing a phone and a company domain, a group.
        var options = new UnificationOptions { MaxBlockSize = 4, WindowSize = 2 };
        var parallel = new ParallelOptions();
        var issues = new List<InputIssue>();
        var groups = Enumerable.Range(0, 300).SelectMany(g => new[] { 0, 1 }.Select(k => new Counterparty("group", $"{g}-{k}", $"ООО «Группа {g} {(k == 0 ? "Север" : "Юг")}»")
        {
            TaxId = ValidInn(5_000_000_00 + (2 * g) + k),
            Phone = $"+7 495 {1_000_000 + g}",
            Email = $"office{k}@group{g}.ru",
        }));
        var table = RecordTable.Build([.. Synthetic(20_000, seed: 3), .. groups], issues, parallel);
        var ignored = new bool[table.Pool.Count];
        var scorer = new PairScorer(table, ignored) { LinkThreshold = (float)options.LinkThreshold };
        var blocks = Blocker.Build(table, ignored, options, issues);
        var threshold = Scoring.EdgeThreshold(options);

        var listed = blocks.All(parallel);
        var ruled = blocks.All(parallel, new Ruling(scorer, threshold));
        bool Contradicts(long pair) => scorer.Contradicts((int)(pair >> 32), (int)pair);
        var listedPatterns = Scoring.Compare(scorer, listed.Pairs, parallel);
        var ruledPatterns = Scoring.Compare(scorer, ruled.Pairs, parallel);
        scorer.Model = Scoring.Train(scorer, table.Count, ruled.Pairs, ruled.KeyFields, ruledPatterns, parallel);
        var expected = Scoring.Edges(scorer, listed.Pairs, listedPatterns, [], options, parallel).Edges;
        var actual = Scoring.Edges(scorer, ruled.Pairs, ruledPatterns, ruled.Ruled, options, parallel).Edges;

        var contradicting = listed.Pairs.Count(Contradicts);
        Assert.Multiple(() =>
        {
            Assert.That(issues.Select(i => i.Kind), Does.Contain(IssueKind.OversizedBlock));
            Assert.That(contradicting, Is.GreaterThan(listed.Pairs.Length / 10), "many pairs are firms of different INNs");
            Assert.That(ruled.Pairs, Is.EqualTo(listed.Pairs.Where(p => !Contradicts(p))));
            Assert.That(ruled.KeyFields, Is.EqualTo(listed.Pairs.Select((p, k) => (p, k)).Where(x => !Contradicts(x.p)).Select(x => listed.KeyFields[x.k])));
            Assert.That(ruled.RuledCount, Is.GreaterThanOrEqualTo(contradicting));
            Assert.That(ruled.Ruled, Is.Not.Empty);
            Assert.That(ruled.Ruled.All(e => e.Rule == LinkRule.GroupEvidence), Is.True);
            Assert.That(actual, Is.EqualTo(expected));
        });

        // The incremental run's pairs: those touching some rows, the ruled ones among them scored alike.
        var source = Enumerable.Range(0, table.Count).Select(i => i % 5 == 0).ToArray();
        bool Keep(int a, int b) => (a + b) % 3 != 0;
        var touching = blocks.Touching(Enumerable.Range(0, table.Count).Where(i => source[i]).ToList(), Keep, parallel, new Ruling(scorer, threshold));
        var expectedRuled = ruled.Ruled.Where(e => (source[e.A] || source[e.B]) && Keep(e.A, e.B)).ToArray();
        Assert.That(touching.Ruled, Is.EqualTo(expectedRuled));
        Assert.That(expectedRuled, Is.Not.Empty);
    }
}
