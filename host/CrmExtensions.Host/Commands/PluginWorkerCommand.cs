using CrmExtensions.Host.Cli;
using CrmExtensions.Runtime.Workers;

namespace CrmExtensions.Host.Commands;

/// <summary><c>crmx plugin-worker</c> (hidden): one plugin's worker process, which the host starts and talks to over its pipes.</summary>
internal static class PluginWorkerCommand
{
    /// <summary>The command's name, which <see cref="CrmxApp"/> runs without parsing the command line.</summary>
    public const string Name = "plugin-worker";

    public static CrmxCommand Create(CommandContext context)
    {
        var command = new CrmxCommand(Name, "Serve one plugin's calls for the host over standard input and output (started by crmx itself).")
        {
            Hidden = true,
            Details = """
                In process isolation ('plugins:isolation', default "process") the host starts one worker per plugin: it loads
                the plugin through the host's loader, runs its startup, reminder rules, jobs, event handlers and stage
                guards when the host asks, and answers with what they want written (or the guards' refusals); the host
                writes it. Requests and replies are one JSON object per line on standard input and output; the worker
                logs to standard error. Not for use by hand.
                """,
        };
        command.SetAction((_, _) => RunAsync());
        return command;
    }

    /// <summary>Serves the host's requests on standard input and output until the input ends.</summary>
    public static Task<int> RunAsync()
    {
        // The protocol owns standard output: what the plugin prints goes to standard error with the worker's log.
        var output = Console.OpenStandardOutput();
        Console.SetOut(Console.Error);
        return PluginWorkerServer.RunAsync(Console.OpenStandardInput(), output, Console.Error);
    }
}
