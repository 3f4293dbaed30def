using CrmExtensions.Unification.Internal;
using CrmExtensions.Unification.Names;

namespace CrmExtensions.Unification.Tests.Internal;

public sealed class SimilarityTests
{
    [Test]
    public void SoftTokens_RareWordShared_ScoresAboveCommonWordShared()
    {
        var pool = new StringPool();
        var (common, rare, x, y) = (pool.Intern("stroi"), pool.Intern("vektor"), pool.Intern("alfa"), pool.Intern("beta"));
        var idf = new float[pool.Count];
        (idf[common], idf[rare], idf[x], idf[y]) = (0.2f, 3f, 2f, 2f);

        var sharesCommon = Similarity.SoftTokens([common, x], [common, y], idf, pool);
        var sharesRare = Similarity.SoftTokens([rare, x], [rare, y], idf, pool);

        Assert.That(sharesRare, Is.GreaterThan(sharesCommon));
    }

    [TestCase("harrington", "harringotn", true)]
    [TestCase("deli", "delicatessen", true)]
    [TestCase("alfa", "beta", false)]
    [TestCase("12", "13", false)]
    public void Token_TypoOrAbbreviation_Matches(string s, string t, bool matches) =>
        Assert.That(Similarity.Token(s, t) > 0, Is.EqualTo(matches));

    [TestCase("804 Northpoint", "804 North Point St.", true)]
    [TestCase("1500 Lakeshore Dr", "1500 Lake Shore Drive", true)]
    [TestCase("804 Northpoint", "804 South Point St.", false)]
    public void JoinedAlike_WordsRunTogether_ReadAlike(string a, string b, bool alike)
    {
        var pool = new StringPool();
        int[] Tokens(string address) => [.. AddressNormalizer.Normalize(address).Select(pool.Intern)];

        Assert.That(Similarity.JoinedAlike(Tokens(a), Tokens(b), pool), Is.EqualTo(alike));
    }

    [Test]
    public void JaroWinkler_ClassicExample_MatchesPublishedValue() =>
        Assert.That(Similarity.JaroWinkler("martha", "marhta"), Is.EqualTo(0.961).Within(0.001));
}
