using System.Diagnostics;

namespace CrmExtensions.Host.Tests.Commands;

/// <summary><c>crmx plugin-worker</c> as the host starts it: straight to its loop, without the command tree; with any
/// other words, parsed like every command.</summary>
public sealed class PluginWorkerCommandTests
{
    [Test]
    public void PluginWorker_AnswersEachRequestOnItsOwnLineAndEndsWithItsInput()
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "crmx.dll"));
        start.ArgumentList.Add("plugin-worker");
        using var worker = Process.Start(start)!;
        var error = worker.StandardError.ReadToEndAsync();

        worker.StandardInput.WriteLine("{\"op\":\"nope\"}");
        worker.StandardInput.WriteLine("{\"op\":\"evaluate-rule\",\"rule\":\"x\"}");
        worker.StandardInput.Close();
        var output = worker.StandardOutput.ReadToEnd();
        Assert.That(worker.WaitForExit(TimeSpan.FromSeconds(60)), Is.True);

        Assert.That(output.Split('\n', StringSplitOptions.RemoveEmptyEntries), Is.EqualTo(new[]
        {
            "{\"ok\":false,\"problem\":\"unknown request 'nope'\"}",
            "{\"ok\":false,\"problem\":\"the worker could not serve the request: InvalidOperationException: the plugin was not described yet\"}",
        }));
        Assert.That(worker.ExitCode, Is.Zero, error.Result);
    }

    [Test]
    public void PluginWorker_WithOtherWords_IsParsedAsACommand()
    {
        var help = Crmx.Run(Path.GetTempPath(), "plugin-worker", "--help");
        var unknown = Crmx.Run(Path.GetTempPath(), "plugin-worker", "--nope");

        Assert.That(help.ExitCode, Is.Zero, help.Error);
        Assert.That(help.Out, Does.Contain("Usage: crmx plugin-worker"));
        Assert.That(unknown.ExitCode, Is.EqualTo(2));
        Assert.That(unknown.Error, Does.Contain("unknown option '--nope'"));
    }
}
