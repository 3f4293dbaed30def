using CrmExtensions.Unification.Identifiers;

namespace CrmExtensions.Unification.Tests.Identifiers;

public sealed class InnTests
{
    private static readonly int[] Weights10 = [2, 4, 10, 3, 5, 9, 4, 6, 8];
    private static readonly int[] Weights11 = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8];
    private static readonly int[] Weights12 = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8];

    [TestCase("7707083893")] // Sberbank (public register)
    [TestCase("7736207543")] // Yandex (public register)
    [TestCase(" 7707 083893 ")]
    public void Classify_PublicOrganisationInn_IsOrganisation(string inn) =>
        Assert.That(Inn.Classify(inn), Is.EqualTo(InnKind.Organisation));

    [Test]
    public void Classify_TenDigitsWithCheckComputedFromWeights_IsOrganisation()
    {
        // 500100732?: 5·2+0·4+0·10+1·3+0·5+0·9+7·4+3·6+2·8 = 75; 75 mod 11 = 9.
        const string body = "500100732";
        var check = Sum(body, Weights10) % 11 % 10;
        Assert.That(check, Is.EqualTo(9));
        Assert.That(Inn.Classify(body + check), Is.EqualTo(InnKind.Organisation));
    }

    [Test]
    public void Classify_TwelveDigitsWithChecksComputedFromWeights_IsPerson()
    {
        // 5001234567: n11 = 214 mod 11 = 5; then n12 = 219 mod 11 = 10, mod 10 = 0, which exercises the final mod 10.
        const string body = "5001234567";
        var n11 = Sum(body, Weights11) % 11 % 10;
        var n12 = Sum(body + n11, Weights12) % 11 % 10;
        Assert.That(body + n11 + n12, Is.EqualTo("500123456750"));
        Assert.That(Inn.Classify("500123456750"), Is.EqualTo(InnKind.Person));
    }

    [TestCase("7707083894", Description = "last check digit off by one")]
    [TestCase("7707083983", Description = "two digits swapped")]
    [TestCase("500123456751", Description = "second check digit wrong")]
    [TestCase("500123456740", Description = "first check digit wrong")]
    [TestCase("770708389", Description = "nine digits")]
    [TestCase("77070838931", Description = "eleven digits")]
    [TestCase("ABCDEFGHIJ", Description = "letters")]
    [TestCase("7707O83893", Description = "letter O for zero")]
    [TestCase("7707-083893", Description = "hyphen")]
    [TestCase("0000000000", Description = "placeholder of zeros")]
    public void Classify_MalformedOrWrongCheckDigit_IsInvalid(string inn) =>
        Assert.That(Inn.Classify(inn), Is.EqualTo(InnKind.Invalid));

    [TestCase(null)]
    [TestCase("")]
    [TestCase("   ")]
    public void Classify_Blank_IsMissing(string? inn) => Assert.That(Inn.Classify(inn), Is.EqualTo(InnKind.Missing));

    [Test]
    public void Normalize_ValidWithSpaces_ReturnsDigits() => Assert.That(Inn.Normalize(" 7707 083893"), Is.EqualTo("7707083893"));

    [Test]
    public void Normalize_Invalid_ReturnsNull() => Assert.That(Inn.Normalize("7707083894"), Is.Null);

    private static int Sum(string digits, int[] weights) => weights.Select((w, i) => w * (digits[i] - '0')).Sum();
}
