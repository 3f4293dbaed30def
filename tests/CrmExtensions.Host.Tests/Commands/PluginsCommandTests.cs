using CrmExtensions.Testing;

namespace CrmExtensions.Host.Tests.Commands;

public sealed class PluginsCommandTests
{
    private static void InstallHello(string pluginsDirectory) => TestFiles.InstallHelloPlugin(pluginsDirectory);

    [Test]
    public void List_HelloPluginAndAStrayFolder_ShowsTheContributionsAndTheRefusal()
    {
        using var folder = new TempDirectory();
        File.WriteAllText(Path.Combine(folder.Path, "crmx.json"), """{ "store": { "provider": "sqlite", "connectionString": "Data Source=crm.db" } }""");
        var plugins = Path.Combine(folder.Path, "plugins");
        InstallHello(plugins);
        Directory.CreateDirectory(Path.Combine(plugins, "Empty"));

        var result = Crmx.Run(folder.Path, "plugins", "list");

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        Assert.That(result.Out, Does.Contain("Hello 1.0.0 (SDK 1.5.0) [HelloPlugin]: handlers: WelcomeHandler (counterparty.created); reminders: OverdueInvoiceReminder; client panels: OverduePanel; templates: 2"));
        Assert.That(result.Out, Does.Contain("REFUSED ? [Empty]: No plugin manifest in 'Empty'"));
    }

    [Test]
    public void List_WithoutPluginsFolder_SaysHowToAddOne()
    {
        using var folder = new TempDirectory();
        File.WriteAllText(Path.Combine(folder.Path, "crmx.json"), "{}");

        var result = Crmx.Run(folder.Path, "plugins", "list");

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        Assert.That(result.Out, Does.Contain("none. Copy a plugin's 'dotnet publish' output into a sub-folder of it."));
    }

    [Test]
    public void Demo_WithHelloPluginInstalled_ListsItAndItsRemindersAct()
    {
        using var folder = new TempDirectory();
        InstallHello(Path.Combine(folder.Path, "crmx-demo", "plugins"));

        var result = Crmx.Run(folder.Path, "demo", "--counterparties", "300");

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        Assert.That(result.Out, Does.Contain("6. Plugins").And.Contain("Hello 1.0.0 (SDK 1.5.0) [HelloPlugin]"));
        Assert.That(result.Out, Does.Match(@"reminders for \d{4}-\d\d-\d\d: \d+ rules?; [1-9][0-9,]* new, 0 cancelled, [1-9][0-9,]* mails queued"));
        Assert.That(result.Out, Does.Match(@"Hello: [1-9][0-9,]* new, 0 cancelled, [1-9][0-9,]* mails queued \(1 rule, \d+\.\d s\)\r?\n +\+ "), "per plugin, with the first titles");
        Assert.That(result.Out, Does.Not.Contain("problem:"));
    }
}
