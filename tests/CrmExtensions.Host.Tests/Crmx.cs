using CrmExtensions.Host.Commands;

namespace CrmExtensions.Host.Tests;

/// <summary>Runs <c>crmx</c> in-process, as a user would from a folder, and captures what it prints.</summary>
internal sealed record CrmxResult(int ExitCode, string Out, string Error);

internal static class Crmx
{
    public static CrmxResult Run(string workingDirectory, params string[] args) => Run(workingDirectory, null, args);

    public static CrmxResult Run(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args) =>
        Run(workingDirectory, environment, interactive: false, args);

    /// <summary>Runs it with <paramref name="input"/> as its standard input (for <c>--password-stdin</c>).</summary>
    public static CrmxResult RunWithInput(string workingDirectory, string input, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = CrmxApp.RunAsync(args, new CommandContext
        {
            Out = output, Error = error, In = new StringReader(input), WorkingDirectory = workingDirectory, Environment = new Dictionary<string, string>(),
        }).GetAwaiter().GetResult();
        return new CrmxResult(code, output.ToString(), error.ToString());
    }

    /// <summary>Runs it as if at a terminal: progress lines are written to the error stream.</summary>
    public static CrmxResult Run(string workingDirectory, IReadOnlyDictionary<string, string>? environment, bool interactive, params string[] args) =>
        Run(workingDirectory, environment, interactive, TimeProvider.System, args);

    /// <summary>Runs it with <paramref name="time"/> as its clock.</summary>
    public static CrmxResult Run(string workingDirectory, IReadOnlyDictionary<string, string>? environment, bool interactive, TimeProvider time, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = CrmxApp.RunAsync(args, new CommandContext
        {
            Out = output,
            Error = error,
            WorkingDirectory = workingDirectory,
            Environment = environment ?? new Dictionary<string, string>(),
            Interactive = interactive,
            Time = time,
        }).GetAwaiter().GetResult();
        return new CrmxResult(code, output.ToString(), error.ToString());
    }
}
