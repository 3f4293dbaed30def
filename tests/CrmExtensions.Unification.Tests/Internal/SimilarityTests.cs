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

    // Compared as the pool holds them, folded: "Comm" is "kom", three letters.
    [TestCase("Comm", "Community", true)]
    [TestCase("Произв", "Производственная", true)]
    [TestCase("Mgmt", "Management", true)]
    [TestCase("Svcs", "Services", true)]
    [TestCase("Bldg", "Building", true)]
    [TestCase("Natl", "National", true)]
    [TestCase("Ace", "Alice", false)]
    [TestCase("Mgmt", "Marketing", false)]
    public void Token_WordWrittenShort_Matches(string s, string t, bool matches) =>
        Assert.That(Similarity.Token(TextFolding.FoldCached(s.ToLowerInvariant()), TextFolding.FoldCached(t.ToLowerInvariant())) > 0, Is.EqualTo(matches));

    // A word and its plural are as near as a typo (Jaro-Winkler 0.9 or more, a name's "near" level), not a word cut
    // short (0.8): "Brightwater Holding" / "Brightwater Holdings" are one name.
    [TestCase("Holding", "Holdings", true)]
    [TestCase("Service", "Services", true)]
    [TestCase("Industry", "Industries", true)]
    [TestCase("Business", "Businesses", true)]
    [TestCase("Assoc", "Association", false)]
    [TestCase("Holdings", "Holdingsis", false)]
    public void Token_WordAndItsPlural_AsNearAsATypo(string s, string t, bool near) =>
        Assert.That(Similarity.Token(TextFolding.FoldCached(s.ToLowerInvariant()), TextFolding.FoldCached(t.ToLowerInvariant())) >= 0.9f, Is.EqualTo(near));

    // Two words of one name run together in the other, a doubled letter at the seam written once as folding writes it.
    [TestCase("grannys daycare center", "henry booth house grannys day care center", true)]
    [TestCase("stroinvest plus", "stroi invest plus", true)]
    [TestCase("l oreal paris", "loreal paris", true)]
    [TestCase("day cares", "daycare", false)]
    [TestCase("a bc", "abc", false)]
    public void Overlap_WordsRunTogether_FoundInTheOther(string a, string b, bool found)
    {
        var pool = new StringPool();
        int[] Tokens(string name) => [.. name.Split(' ').Select(pool.Intern)];
        var (x, y) = (Tokens(a), Tokens(b));
        var idf = Enumerable.Repeat(1f, pool.Count).ToArray();

        var (_, inX, inY) = Similarity.Overlap(x, y, idf, pool);

        // The shorter name wholly found in the longer.
        Assert.That((a.Length <= b.Length ? inX : inY) == 1f, Is.EqualTo(found));
    }

    [TestCase("804 Northpoint", "804 North Point St.", true)]
    [TestCase("1500 Lakeshore Dr", "1500 Lake Shore Drive", true)]
    [TestCase("804 Northpoint", "804 South Point St.", false)]
    public void JoinedAlike_WordsRunTogether_ReadAlike(string a, string b, bool alike)
    {
        var pool = new StringPool();
        int[] Tokens(string address) => [.. AddressNormalizer.Normalize(address).Select(pool.Intern)];

        Assert.That(Similarity.JoinedAlike(Tokens(a), Tokens(b), pool), Is.EqualTo(alike));
    }

    // The postcode shared, the house numbers not: two buildings. One side without a number of its own (an office
    // left out, a range "1710-1718" holding the other's) is no conflict, nor a long number typed one keystroke off.
    [TestCase("123456, г. Москва, ул. Ленина, д. 5", "123456, г. Москва, ул. Ленина, д. 17", true)]
    [TestCase("123456, г. Москва, ул. Ленина, д. 5, оф. 12", "123456, г. Москва, ул. Ленина, д. 5, оф. 40", true)]
    [TestCase("123456, г. Москва, ул. Ленина, д. 5, оф. 12", "123456, г. Москва, ул. Ленина, д. 5", false)]
    [TestCase("1710-1718 S. Loomis", "1718 S Loomis Street 60608", false)]
    [TestCase("48 Goldfinch Circuit 2615", "48 Goldfinch Circuit 2651", false)]
    [TestCase("48 Goldfinch Circuit 2615", "231 Goldfinch Circuit 2509", true)]
    [TestCase("12 Main St", "21 Main St", true)]
    public void NumbersConflict_EachSideHasANumberOfItsOwn_Conflicts(string a, string b, bool conflict)
    {
        var pool = new StringPool();
        int[] Tokens(string address) => [.. AddressNormalizer.Normalize(address).Select(pool.Intern)];

        Assert.Multiple(() =>
        {
            Assert.That(Similarity.NumbersConflict(Tokens(a), Tokens(b), pool), Is.EqualTo(conflict));
            Assert.That(Similarity.NumbersConflict(Tokens(b), Tokens(a), pool), Is.EqualTo(conflict), "symmetric");
        });
    }

    [TestCase("evied56@harris-bailey.net", "evied56@harris-bailey.net")]
    [TestCase("evied56@harris-bailey.net", "evihd56@earris-bailey.net")]
    [TestCase("gabriel.t54@nichols.info", "gabriel.t54@nnichls.info")]
    [TestCase("e.rogers3@hopkins.org", "e.rogers3@hopkisn.org")]
    [TestCase("ivanov@romashka.ru", "ivanov@romaska.ru")]
    public void Mistyped_CloseAddresses_True(string a, string b) => Assert.That(Similarity.Mistyped(a, b), Is.True);

    [TestCase("e.rogers3@hopkins.org", "e.rogers3@honkips.org.uk")]
    [TestCase("ivanov@romashka.ru", "petrov@romashka.ru")]
    [TestCase("a@b.ru", "c@b.ru")]
    [TestCase("info@alpha.ru", "sales@alpha.ru")]
    [TestCase("ivan.petrov@mail.ru", "ivan.sidorov@mail.ru")]
    [TestCase("info@romashka1.ru", "info@romashka2.ru")]
    [TestCase("robert255@smith.net", "roberta25@smith.net")]
    public void Mistyped_ThreeEditsApartShortOrOtherDigits_False(string a, string b) => Assert.That(Similarity.Mistyped(a, b), Is.False);

    [Test]
    public void JaroWinkler_ClassicExample_MatchesPublishedValue() =>
        Assert.That(Similarity.JaroWinkler("martha", "marhta"), Is.EqualTo(0.961).Within(0.001));
}
