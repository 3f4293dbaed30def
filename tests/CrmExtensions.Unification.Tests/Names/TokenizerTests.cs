using CrmExtensions.Unification.Names;

namespace CrmExtensions.Unification.Tests.Names;

public sealed class TokenizerTests
{
    [Test]
    public void Split_CapitalsOfEveryScript_LowerCasedAsTheInvariantCultureDoes()
    {
        const string text = "ООО «РОМАШКА-ЁЛКИ» Äpfel ΣΟΦΙΑ Ѓорѓи LLC";

        var tokens = Tokenizer.Split(text);

        Assert.That(tokens, Is.EqualTo(new[] { "ооо", "ромашка", "елки", "äpfel", "σοφια", "ѓорѓи", "llc" }));
    }

    [Test]
    public void Split_DottedAbbreviationAndDottedWords_OneTokenAndTwoTokens() =>
        Assert.That(Tokenizer.Split("Acme B.V. ул.Ленина д.8 12.05"), Is.EqualTo(new[] { "acme", "bv", "ул", "ленина", "д", "8", "1205" }));
}
