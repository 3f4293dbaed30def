using System.CommandLine;
using System.CommandLine.Help;
using System.Reflection;
using CrmExtensions.Application;
using CrmExtensions.Host.Cli;
using CrmExtensions.Store;

namespace CrmExtensions.Host.Commands;

/// <summary>The <c>crmx</c> command line on System.CommandLine: the command tree, help, usage errors and exit codes.</summary>
/// <remarks>Exit codes: 0 success, 1 a failure (one clear line on the error stream), 2 a usage error, 130 cancelled.
/// Commands only translate: arguments into calls of the application core, results into text.</remarks>
internal static class CrmxApp
{
    private const string Summary = "CRM added to your accounting system: attaches read-only to ledgers, unifies clients, runs plugins.";

    /// <summary>The lines under the summary of <c>crmx --help</c>.</summary>
    internal const string Details = "Start with 'crmx demo': it builds a sample ledger, a crmx.json for it, and runs everything on it.\n'crmx --version' prints the version and the plugin SDK version it hosts.";

    /// <summary>The command tree, made anew for each run (a symbol belongs to one tree).</summary>
    public static RootCommand Tree(CommandContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var root = new RootCommand(Summary);
        root.Options.Clear();
        root.Options.Add(new HelpOption { Action = new HelpPrinter(context.Out), Description = "show this help" });
        root.Options.Add(GlobalOptions.Config());
        root.Options.Add(GlobalOptions.Verbose());
        foreach (var command in new[]
        {
            DemoCommand.Create(context), AttachCommand.Create(context), SyncCommand.Create(context), UnifyCommand.Create(context),
            ClientsCommand.Create(context), SampleCommand.Create(context), PluginsCommand.Create(context), ActivityCommand.Create(context),
            DealsCommand.Create(context), RemindersCommand.Create(context), JobsCommand.Create(context), RunCommand.Create(context), MailCommand.Create(context),
            ReportCommand.Create(context), CampaignCommand.Create(context), RecommendCommand.Create(context), SegmentCommand.Create(context), ServeCommand.Create(context), UsersCommand.Create(context),
            CompletionCommand.Create(context), PluginWorkerCommand.Create(context),
        })
        {
            root.Subcommands.Add(command);
        }

        return root;
    }

    /// <summary>Runs one invocation.</summary>
    public static async Task<int> RunAsync(string[] args, CommandContext context)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(context);
        if (args is ["--version"])
        {
            var version = typeof(CrmxApp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
            await context.Out.WriteLineAsync($"crmx {version.Split('+')[0]} (plugin SDK {Runtime.PluginRuntime.SdkVersion.ToString(3)})").ConfigureAwait(false);
            return 0;
        }

        if (args is [PluginWorkerCommand.Name])
        {
            // A plugin worker, started by crmx itself once per plugin and command: straight to its loop, without building
            // and parsing the command tree every other command needs (about 10 ms of CPU of each worker's start).
            return await InvokeAsync(context, "crmx " + PluginWorkerCommand.Name, PluginWorkerCommand.RunAsync).ConfigureAwait(false);
        }

        var root = Tree(context);
        var parse = root.Parse(args);
        var path = HelpPrinter.PathOf(parse.CommandResult.Command);
        var command = parse.CommandResult.Command;
        if (parse.Action is HelpAction or HelpPrinter)
        {
            HelpPrinter.Write(context.Out, command);
            return 0;
        }

        if (parse.Action is not (null or HelpAction or HelpPrinter) && parse.Action.GetType().Namespace == "System.CommandLine.Completions")
        {
            // Shell completion ([suggest] directive): the parser answers with the words that fit.
            return await parse.InvokeAsync(new InvocationConfiguration { Output = context.Out, Error = context.Error }, context.Cancellation).ConfigureAwait(false);
        }

        if (UsageProblem(parse) is { } problem)
        {
            return UsageError(context, path, problem);
        }

        if (command.Action is null)
        {
            // A group without its subcommand: show what it offers.
            HelpPrinter.Write(context.Out, command);
            return command is RootCommand && args.Length == 0 ? 0 : 2;
        }

        return await InvokeAsync(context, path, () => parse.InvokeAsync(new InvocationConfiguration
        {
            Output = context.Out,
            Error = context.Error,
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = null,
        }, context.Cancellation)).ConfigureAwait(false);
    }

    /// <summary>Runs a command's action: its failures as exit codes and one line each on the error stream.</summary>
    private static async Task<int> InvokeAsync(CommandContext context, string path, Func<Task<int>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (UsageException ex)
        {
            return UsageError(context, path, ex.Message);
        }
        catch (InvalidRequestException ex)
        {
            return UsageError(context, path, ex.Message);
        }
        catch (OperationCanceledException)
        {
            await context.Error.WriteLineAsync($"{path}: cancelled.").ConfigureAwait(false);
            return 130;
        }
        catch (CrmException ex)
        {
            foreach (var line in ex.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                await context.Error.WriteLineAsync("error: " + line).ConfigureAwait(false);
            }

            return 1;
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or IOException or UnauthorizedAccessException)
        {
            // The database or the file system refused: say so on one line; nothing half-done is committed.
            await context.Error.WriteLineAsync($"error: {ex.Message.ReplaceLineEndings(" ")}").ConfigureAwait(false);
            return 1;
        }
    }

    /// <summary>The first thing wrong with the words typed, in the user's terms; null when they parse.</summary>
    private static string? UsageProblem(ParseResult parse)
    {
        var command = parse.CommandResult.Command;
        if (parse.UnmatchedTokens.Count > 0)
        {
            var token = parse.UnmatchedTokens[0];
            if (token.StartsWith('-') && token.Length > 1 && !char.IsDigit(token[1]))
            {
                return $"unknown option '{token.Split('=', ':')[0]}'";
            }

            return command.Subcommands.Count > 0
                ? $"unknown command '{token}'; commands: {string.Join(", ", command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name))}"
                : $"unexpected argument '{token}'";
        }

        // A subcommand missing from a group is not a usage error here: the group's help is shown instead.
        return parse.Errors.Where(e => !(command.Subcommands.Count > 0 && command.Action is null && e.SymbolResult is System.CommandLine.Parsing.CommandResult result && result.Command == command))
            .Select(e => e.Message.TrimEnd('.')).FirstOrDefault();
    }

    private static int UsageError(CommandContext context, string path, string message)
    {
        context.Error.WriteLine($"{path}: {message}");
        context.Error.WriteLine($"Run '{path} --help' for usage.");
        return 2;
    }
}
