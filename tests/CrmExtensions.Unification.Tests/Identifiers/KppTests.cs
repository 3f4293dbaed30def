using CrmExtensions.Unification.Identifiers;

namespace CrmExtensions.Unification.Tests.Identifiers;

public sealed class KppTests
{
    [TestCase("773601001", KppReason.Head)] // Sberbank (public register)
    [TestCase("775001001", KppReason.Head)]
    [TestCase("997950001", KppReason.Head)] // largest taxpayers: PP 50
    [TestCase("166002001", KppReason.Branch)]
    [TestCase("166003001", KppReason.Branch)]
    [TestCase("166005001", KppReason.Branch)]
    [TestCase("540331001", KppReason.Branch)]
    [TestCase("540332001", KppReason.Branch)]
    [TestCase("772543001", KppReason.Other)]
    [TestCase("7736AB001", KppReason.Other)] // letters allowed in PP since 2013
    [TestCase(" 773601001 ", KppReason.Head)]
    public void Classify_WellFormed_ReturnsReason(string kpp, KppReason expected) =>
        Assert.That(Kpp.Classify(kpp), Is.EqualTo(expected));

    [TestCase("77360100")]
    [TestCase("7736010011")]
    [TestCase("77A601001")]
    [TestCase("773601X01")]
    [TestCase("кпп")]
    public void Classify_Malformed_IsInvalid(string kpp) => Assert.That(Kpp.Classify(kpp), Is.EqualTo(KppReason.Invalid));

    [Test]
    public void Classify_Null_IsMissing() => Assert.That(Kpp.Classify(null), Is.EqualTo(KppReason.Missing));

    [Test]
    public void Normalize_LowerCaseLetters_UpperCases() => Assert.That(Kpp.Normalize("7736ab001"), Is.EqualTo("7736AB001"));
}
