namespace CrmExtensions.Sdk.Tests;

public sealed class PluginExceptionTests
{
    [Test]
    public void TemplateException_Errors_AreTheMessageLines()
    {
        var exception = new TemplateException("Acme", ["a.scriban(1,2): x", "b.scriban(3,4): y"]);

        Assert.That(exception.Message, Is.EqualTo("a.scriban(1,2): x" + Environment.NewLine + "b.scriban(3,4): y"));
        Assert.That(exception.PluginId, Is.EqualTo("Acme"));
        Assert.That(exception.Errors, Has.Count.EqualTo(2));
    }

    [Test]
    public void StageMoveException_KeepsDealAndStage()
    {
        var exception = new StageMoveException("no", "Acme", "D1", "won");

        Assert.That((exception.DealId, exception.ToStage, exception.PluginId), Is.EqualTo(("D1", "won", "Acme")));
    }
}
