using CrmExtensions.Host.Commands;
using CrmExtensions.Testing;

namespace CrmExtensions.Host.Tests.Commands;

public sealed class CrmxAppTests
{
    private static IEnumerable<string[]> EveryCommand()
    {
        static IEnumerable<string[]> Walk(System.CommandLine.Command command, string[] path)
        {
            yield return path;
            foreach (var sub in command.Subcommands)
            {
                foreach (var p in Walk(sub, [.. path, sub.Name]))
                {
                    yield return p;
                }
            }
        }

        return Walk(CrmxApp.Tree(new CommandContext { Out = TextWriter.Null, Error = TextWriter.Null, WorkingDirectory = "." }), []);
    }

    [TestCaseSource(nameof(EveryCommand))]
    public void Run_HelpOnEveryCommand_PrintsUsageAndExitsZero(string[] path)
    {
        using var folder = new TempDirectory();

        var result = Crmx.Run(folder.Path, [.. path, "--help"]);

        Assert.That(result.ExitCode, Is.Zero);
        Assert.That(result.Out, Does.StartWith("Usage: crmx").And.Contain("--config FILE"));
    }

    [Test]
    public void Run_Version_PrintsTheHostAndSdkVersions()
    {
        using var folder = new TempDirectory();

        var result = Crmx.Run(folder.Path, "--version");

        Assert.That(result.ExitCode, Is.Zero);
        Assert.That(result.Out.TrimEnd(), Does.Match(@"^crmx \d+\.\d+\.\d+ \(plugin SDK \d+\.\d+\.\d+\)$"));
    }

    [Test]
    public void Run_UnknownCommand_IsAUsageError()
    {
        using var folder = new TempDirectory();

        var result = Crmx.Run(folder.Path, "synk");

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error, Does.StartWith("crmx: unknown command 'synk'; commands: demo, attach, sync"));
    }

    [Test]
    public void Run_UnknownOption_IsAUsageErrorNamingIt()
    {
        using var folder = new TempDirectory();

        var result = Crmx.Run(folder.Path, "sync", "--ledgr", "main");

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error, Does.StartWith("crmx sync: unknown option '--ledgr'").And.Contain("Run 'crmx sync --help'"));
    }

    [Test]
    public void Run_OptionValueOutOfRange_IsAUsageError()
    {
        using var folder = new TempDirectory();

        var result = Crmx.Run(folder.Path, "attach", "--sample", "lots");

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error, Does.Contain("--sample takes a whole number from 0 to 1,000,000, not 'lots'"));
    }

    [Test]
    public void Run_WithoutConfiguration_FailsWithOneLineSayingWhatToDo()
    {
        using var folder = new TempDirectory();

        var result = Crmx.Run(folder.Path, "sync");

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Error.TrimEnd(), Is.EqualTo($"error: No crmx.json in {folder.Path}. Run 'crmx demo' to see a working one, or pass --config FILE."));
    }

    [Test]
    public void Run_ConfigurationThatIsNotJson_NamesTheFile()
    {
        using var folder = new TempDirectory();
        File.WriteAllText(Path.Combine(folder.Path, "crmx.json"), "{ \"ledgers\": [ }");

        var result = Crmx.Run(folder.Path, "sync");

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Error, Does.StartWith("error: crmx.json: not valid JSON"));
    }
}
