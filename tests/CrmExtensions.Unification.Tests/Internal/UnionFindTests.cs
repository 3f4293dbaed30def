using CrmExtensions.Unification.Internal;

namespace CrmExtensions.Unification.Tests.Internal;

public sealed class UnionFindTests
{
    [Test]
    public void Union_AcrossForbiddenPairThroughThirdElement_Refused()
    {
        var uf = new UnionFind(3);
        uf.Forbid(0, 2);

        var first = uf.Union(0, 1);
        var second = uf.Union(1, 2);

        Assert.That((first, second, uf.Same(0, 2)), Is.EqualTo((true, false, false)));
    }

    [Test]
    public void Union_AlreadyJoined_ReturnsFalse()
    {
        var uf = new UnionFind(2);
        uf.Union(0, 1);

        Assert.That(uf.Union(1, 0), Is.False);
    }
}
