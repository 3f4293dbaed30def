using static CrmExtensions.Unification.Tests.Builders;

namespace CrmExtensions.Unification.Tests;

public sealed partial class UnificationEngineTests
{
    private static readonly Counterparty[] Group =
    [
        Row("1", "ООО Альфа Трейд") with { TaxId = "7707083893", Email = "a@alfa-group.ru", Phone = "4951112233" },
        Row("2", "Альфа Трейд, филиал") with { TaxId = "7707083893", BranchCode = "165502001" },
        Row("3", "АО Альфа Логистик") with { TaxId = "7736207543", Email = "b@alfa-group.ru", Phone = "4951112233" },
        Row("4", "ООО Бета") with { City = "Омск" },
    ];

    [Test]
    public void Run_WithPreviousAssignment_ReusesIds()
    {
        var first = UnificationEngine.Run(new UnificationRequest { Counterparties = Group });
        var previous = first.Assignment.ToDictionary(p => p.Key, p => p.Value + 100);

        var second = UnificationEngine.Run(new UnificationRequest { Counterparties = Group.Reverse().ToArray(), PreviousAssignment = previous });

        Assert.That(second.Assignment, Is.EquivalentTo(previous));
    }

    [Test]
    public void Run_ClientSplitsByItself_LargerPartKeepsIdAndNewPartGetsAllocatedId()
    {
        // Last run joined 1, 2 and 3 as client 7; the shared evidence is gone now, so 3 leaves.
        var rows = Group.Take(3).Select(r => r with { Email = null, Phone = null }).ToArray();
        var previous = rows.ToDictionary(r => r.Key, _ => 7L);
        var next = 500L;

        var result = UnificationEngine.Run(new UnificationRequest { Counterparties = rows, PreviousAssignment = previous, AllocateClientId = () => next++ });

        Assert.That((result.ClientOf("1"), result.ClientOf("2"), result.ClientOf("3")), Is.EqualTo((7L, 7L, 500L)));
    }

    [Test]
    public void Run_TwoClientsMerge_LargerFormerClientKeepsItsId()
    {
        var previous = new Dictionary<MemberKey, long> { [Key("1")] = 5, [Key("2")] = 5, [Key("3")] = 9 };

        var result = UnificationEngine.Run(new UnificationRequest { Counterparties = Group.Take(3).ToArray(), PreviousAssignment = previous });

        Assert.That(result.Clients.Single().Id, Is.EqualTo(5));
    }

    [Test]
    public void Run_NewClientsWithoutAllocator_ContinueAfterLargestPreviousId()
    {
        var previous = new Dictionary<MemberKey, long> { [Key("1")] = 41 };

        var result = UnificationEngine.Run(new UnificationRequest { Counterparties = Group, PreviousAssignment = previous });

        Assert.That((result.ClientOf("1"), result.ClientOf("4")), Is.EqualTo((41L, 42L)));
    }

    [Test]
    public void Run_NeverLinkDecision_HoldsAgainstGroupEvidence()
    {
        var result = RunWith(Group, new NeverLinkDecision(Key("3"), Key("2")));

        Assert.That(result.ClientOf("1"), Is.Not.EqualTo(result.ClientOf("3")));
        Assert.That(result.ClientOf("1"), Is.EqualTo(result.ClientOf("2")));
    }

    [Test]
    public void Run_MergeDecision_JoinsUnrelatedRows()
    {
        var result = RunWith(Group, new MergeDecision([Key("4"), Key("1")]));

        Assert.That(result.ClientOf("4"), Is.EqualTo(result.ClientOf("3")));
        Assert.That(result.FindClient(result.ClientOf("4"))!.Links.Select(l => l.Rule), Has.Some.EqualTo(LinkRule.Decision));
    }

    [Test]
    public void Run_SplitDecision_HoldsAgainstSameInn()
    {
        var result = RunWith(Group, new SplitDecision([Key("2")], [Key("1"), Key("3")]));

        Assert.That(result.ClientOf("2"), Is.Not.EqualTo(result.ClientOf("1")));
        Assert.That(result.ClientOf("1"), Is.EqualTo(result.ClientOf("3")));
    }

    [Test]
    public void Run_NeverLinkAfterMerge_LaterDecisionWins()
    {
        var result = RunWith(Group, new MergeDecision([Key("4"), Key("1")]), new NeverLinkDecision(Key("1"), Key("4")));

        Assert.That(result.ClientOf("4"), Is.Not.EqualTo(result.ClientOf("1")));
    }

    [Test]
    public void Run_MergeAfterNeverLink_LaterDecisionWins()
    {
        var result = RunWith(Group, new NeverLinkDecision(Key("1"), Key("3")), new MergeDecision([Key("3"), Key("1")]));

        Assert.That(result.ClientOf("3"), Is.EqualTo(result.ClientOf("1")));
    }

    [Test]
    public void Run_MergeAfterSplit_LaterDecisionWins()
    {
        var result = RunWith(Group, new SplitDecision([Key("2")], [Key("1"), Key("3")]), new MergeDecision([Key("2"), Key("3")]));

        // The merge overrides the split for its own pair only: 2 and 1 stay apart, so 3 follows 2.
        Assert.That((result.ClientOf("2") == result.ClientOf("3"), result.ClientOf("2") == result.ClientOf("1")), Is.EqualTo((true, false)));
    }

    [Test]
    public void Run_DecisionNamingUnknownRow_ReportedAndSkipped()
    {
        var result = RunWith(Group, new MergeDecision([Key("1"), Key("nope")]));

        Assert.That(result.Issues.Single(i => i.Kind == IssueKind.UnknownDecisionMember).Member, Is.EqualTo(Key("nope")));
    }

    private static UnificationResult RunWith(Counterparty[] rows, params UnificationDecision[] decisions) =>
        UnificationEngine.Run(new UnificationRequest { Counterparties = rows, Decisions = decisions });
}
