using System.Diagnostics;

namespace CrmExtensions.Host.Tests;

/// <summary>Runs the built <c>crmx</c> as a real child process, for tests that kill it or run several at once.</summary>
internal static class CrmxProcess
{
    public static Process Start(string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "crmx.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // The child must not inherit CRMX__ overrides meant for the test process.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("CRMX__", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(key);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("crmx did not start.");
    }

    /// <summary>Waits for the process to end and returns its exit code and what it printed.</summary>
    public static CrmxResult Finish(Process process, TimeSpan timeout)
    {
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"crmx did not finish within {timeout}: {error.Result}");
        }

        return new CrmxResult(process.ExitCode, output.Result, error.Result);
    }
}
