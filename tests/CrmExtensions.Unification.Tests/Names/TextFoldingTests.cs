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
    public void Fold_SpellingVariants_GiveOneKey(string first, string second, string third)
    {
        var key = TextFolding.Fold(first);
        Assert.That(new[] { TextFolding.Fold(second), TextFolding.Fold(third) }, Is.All.EqualTo(key));
    }

    [TestCase("ромашка", "лютик")]
    [TestCase("kazan", "kazna")]
    [TestCase("12", "21")]
    public void Fold_DifferentWords_StayDifferent(string first, string second) =>
        Assert.That(TextFolding.Fold(first), Is.Not.EqualTo(TextFolding.Fold(second)));
}
