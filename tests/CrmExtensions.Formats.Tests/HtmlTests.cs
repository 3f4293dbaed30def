namespace CrmExtensions.Formats.Tests;

public sealed class HtmlTests
{
    [TestCase("<b>\"Ромашка\" & 'Лютик'</b>", "&lt;b&gt;&quot;Ромашка&quot; &amp; &#39;Лютик&#39;&lt;/b&gt;")]
    [TestCase("1\u00a0234,56 ₽", "1\u00a0234,56 ₽")]
    [TestCase("", "")]
    [TestCase(null, "")]
    public void Escape_Text_OnlyTheFiveCharactersThatMatter(string? text, string expected) =>
        Assert.That(Html.Escape(text), Is.EqualTo(expected));

    [Test]
    public void Escape_NothingToEscape_ReturnsTheSameString()
    {
        var text = "ООО Ромашка";

        Assert.That(Html.Escape(text), Is.SameAs(text));
    }
}
