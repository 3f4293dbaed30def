using CrmExtensions.Unification.Names;

namespace CrmExtensions.Unification.Tests.Names;

public sealed class TextFoldingTests
{
    [TestCase("ромашка", "romashka", "romaschka")]
    [TestCase("юрий", "yuri", "iurii")]
    [TestCase("юг", "yug", "iug")]
    [TestCase("хабаровск", "khabarovsk", "habarovsk")]
    [TestCase("цветков", "tsvetkov", "tzvetkov")]
    [TestCase("алёна", "алена", "alena")]
    [TestCase("яндекс", "yandex", "iandeks")]
    [TestCase("дмитрий", "dmitriy", "dmitry")]
    [TestCase("кафе", "cafe", "café")]
    [TestCase("müller", "mueller", "muller")]
    [TestCase("kühne", "kuehne", "kuhne")]
    [TestCase("gärtner", "gaertner", "gartner")]
    [TestCase("новое", "novoye", "novoe")]
    public void Fold_SpellingVariants_GiveOneKey(string first, string second, string third)
    {
        var key = TextFolding.Fold(first);
        Assert.That(new[] { TextFolding.Fold(second), TextFolding.Fold(third) }, Is.All.EqualTo(key));
    }

    // Typed in two alphabets at once: a Latin P or a, a Cyrillic С or а.
    [TestCase("ромашка", "pомашка", "ромашкa")]
    [TestCase("company", "сompany", "compаny")]
    [TestCase("вектор", "bектор", "Bектоp")]
    public void Fold_WordTypedInTwoAlphabets_GivesTheKeyOfItsAlphabet(string first, string second, string third)
    {
        var key = TextFolding.Fold(first);
        Assert.That(new[] { TextFolding.Fold(second.ToLowerInvariant()), TextFolding.Fold(third.ToLowerInvariant()) }, Is.All.EqualTo(key));
    }

    [TestCase("iphoneсервис")]
    [TestCase("sberбанк")]
    public void OneScript_WordWithLettersOfItsOwnInBothAlphabets_StaysAsItIs(string word) =>
        Assert.That(TextFolding.OneScript(word), Is.EqualTo(word));

    [TestCase("ромашка", "лютик")]
    [TestCase("kazan", "kazna")]
    [TestCase("12", "21")]
    public void Fold_DifferentWords_StayDifferent(string first, string second) =>
        Assert.That(TextFolding.Fold(first), Is.Not.EqualTo(TextFolding.Fold(second)));

    // An umlaut's e only inside a word: "Joe's" (folded "oes") and "Joss" are two names.
    [TestCase("joe's", "joss")]
    [TestCase("lue", "lu")]
    public void Fold_EThatIsALetterOfItsOwn_Kept(string first, string second) =>
        Assert.That(TextFolding.Fold(first.Replace("'", "", StringComparison.Ordinal)), Is.Not.EqualTo(TextFolding.Fold(second)));
}
