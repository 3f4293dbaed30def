using System.CommandLine;
using CrmExtensions.Application;
using CrmExtensions.Host.Commands;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CrmExtensions.Host.Cli;

/// <summary>One run of one command: its parsed words, where it prints, and the application core built from <c>--config</c>.</summary>
/// <remarks>The core is built when a command first asks for a service, so <c>--help</c>, <c>sample</c> and usage errors need no
/// configuration. Disposing it disposes the workspace (and so the plugins).</remarks>
internal sealed class Invocation(CommandContext context, ParseResult parse) : IAsyncDisposable
{
    private ServiceProvider? _services;

    public CommandContext Context => context;

    public TextWriter Out => context.Out;

    public TextWriter Error => context.Error;

    public T Get<T>(Option<T> option) => parse.GetValue(option)!;

    public T Get<T>(Argument<T> argument) => parse.GetValue(argument)!;

    /// <summary>A path the user typed, resolved against the working folder.</summary>
    public string FullPath(string path) => Path.GetFullPath(path, context.WorkingDirectory);

    /// <summary>How the core is built for this run: the working folder, <c>--config</c>, the environment, the clock, logging to the error stream.</summary>
    public WorkspaceOptions WorkspaceOptions => new()
    {
        WorkingDirectory = context.WorkingDirectory,
        ConfigPath = parse.GetValue<string?>(GlobalOptions.ConfigName),
        Environment = context.Environment,
        Time = context.Time,
        LogWriter = context.Error,
        MinimumLevel = parse.GetValue<bool>(GlobalOptions.VerboseName) ? LogLevel.Debug : LogLevel.Warning,
    };

    /// <summary>A use-case service of the application core.</summary>
    /// <exception cref="Store.CrmException">The configuration is missing or not valid.</exception>
    public T Service<T>()
        where T : notnull => (_services ??= CrmApplication.Build(WorkspaceOptions)).GetRequiredService<T>();

    public async ValueTask DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync().ConfigureAwait(false);
        }
    }
}

/// <summary>The options every command accepts (made anew for each command tree: a symbol belongs to one tree).</summary>
internal static class GlobalOptions
{
    public const string ConfigName = "--config";

    public const string VerboseName = "--verbose";

    public static Option<string?> Config() => new(ConfigName)
    {
        HelpName = "FILE", Description = "the configuration file (default: crmx.json in the working folder)", Recursive = true,
    };

    public static Option<bool> Verbose() => new(VerboseName)
    {
        Description = "log what happens at debug level on the error stream (default: warnings and errors)", Recursive = true, Arity = ArgumentArity.Zero,
    };
}
