using CrmExtensions.Host.Cli;
using CrmExtensions.Runtime.Workers;

namespace CrmExtensions.Host.Commands;

/// <summary><c>crmx plugin-worker</c> (hidden): one plugin's worker process, which the host starts and talks to over its pipes.</summary>
internal static class PluginWorkerCommand
{
    public static CrmxCommand Create(CommandContext context)
    {
        var command = new CrmxCommand("plugin-worker", "Serve one plugin's calls for the host over standard input and output (started by crmx itself).")
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
        command.SetAction(async (_, _) =>
        {
            // The protocol owns standard output: what the plugin prints goes to standard error with the worker's log.
            var output = Console.OpenStandardOutput();
            Console.SetOut(Console.Error);
            return await PluginWorkerServer.RunAsync(Console.OpenStandardInput(), output, Console.Error).ConfigureAwait(false);
        });
        return command;
    }
}
