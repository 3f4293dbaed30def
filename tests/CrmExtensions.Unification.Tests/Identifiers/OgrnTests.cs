using System.Globalization;
using CrmExtensions.Unification.Identifiers;

namespace CrmExtensions.Unification.Tests.Identifiers;

public sealed class OgrnTests
{
    [TestCase("1027700132195")] // Sberbank (public register)
    [TestCase("1027700229193")] // Yandex (public register)
    public void Classify_PublicOgrn_IsLegalEntity(string ogrn) =>
        Assert.That(Ogrn.Classify(ogrn), Is.EqualTo(OgrnKind.LegalEntity));

    [Test]
    public void Classify_ThirteenDigitsWithCheckComputedByRule_IsLegalEntity()
    {
        const string body = "115774600123";
        var check = long.Parse(body, CultureInfo.InvariantCulture) % 11 % 10;
        Assert.That(Ogrn.Classify(body + check), Is.EqualTo(OgrnKind.LegalEntity));
    }

    [Test]
    public void Classify_FifteenDigitsWithCheckComputedByRule_IsSoleProprietor()
    {
        // 30450110460002 mod 13 = 2.
        const string body = "30450110460002";
        var check = long.Parse(body, CultureInfo.InvariantCulture) % 13 % 10;
        Assert.That(check, Is.EqualTo(2));
        Assert.That(Ogrn.Classify("304501104600022"), Is.EqualTo(OgrnKind.SoleProprietor));
    }

    [TestCase("1027700132196")]
    [TestCase("304501104600023")]
    [TestCase("102770013219")]
    [TestCase("10277001321955")]
    [TestCase("1O27700132195")]
    [TestCase("0000000000000")]
    public void Classify_MalformedOrWrongCheckDigit_IsInvalid(string ogrn) =>
        Assert.That(Ogrn.Classify(ogrn), Is.EqualTo(OgrnKind.Invalid));

    [Test]
    public void Classify_Blank_IsMissing() => Assert.That(Ogrn.Classify(" "), Is.EqualTo(OgrnKind.Missing));
}
