using CrmExtensions.Unification.Names;

namespace CrmExtensions.Unification.Tests.Names;

public sealed class CountriesTests
{
    [TestCase("RU", "RU")]
    [TestCase("rus", "RU")]
    [TestCase("Россия", "RU")]
    [TestCase("РОССИЯ", "RU")]
    [TestCase("Российская Федерация", "RU")]
    [TestCase("РФ", "RU")]
    [TestCase("Russian Federation", "RU")]
    [TestCase("Казахстан", "KZ")]
    [TestCase("Kazakhstan", "KZ")]
    [TestCase("Қазақстан", "KZ")]
    [TestCase("Беларусь", "BY")]
    [TestCase("Белоруссия", "BY")]
    [TestCase("Deutschland", "DE")]
    [TestCase("Germany", "DE")]
    [TestCase("Германия", "DE")]
    [TestCase("U.S.A.", "US")]
    [TestCase("United States", "US")]
    [TestCase("США", "US")]
    [TestCase("UK", "GB")]
    [TestCase("United Kingdom", "GB")]
    [TestCase("Великобритания", "GB")]
    [TestCase(" ireland ", "IE")]
    [TestCase("Brasil", "BR")]
    public void Code_CountryWrittenAnyUsualWay_ItsIsoCode(string text, string code) =>
        Assert.That(Countries.Code(text), Is.EqualTo(code));

    [TestCase(null)]
    [TestCase("")]
    [TestCase("   ")]
    [TestCase("643")]
    [TestCase("Нарния")]
    [TestCase("-")]
    public void Code_NoCountryItKnows_Null(string? text) =>
        Assert.That(Countries.Code(text), Is.Null);
}
