using CrmExtensions.Runtime;

namespace CrmExtensions.Host.Commands;

/// <summary><c>crmx plugins</c>: what the plugins folder holds.</summary>
internal sealed class PluginsCommand : CommandSpec
{
    public override string Name => "plugins";

    public override string Summary => "Loaded plugins, what each contributes, and why any was refused.";

    public override IReadOnlyList<CommandSpec> Subcommands { get; } = [new ListCommand()];

    private sealed class ListCommand : CommandSpec
    {
        public override string Name => "list";

        public override string Summary => "List every plugin folder: id, version, SDK version, contributions, or the reason it was refused.";

        public override string Details =>
            """
            Every sub-folder of the configured plugins directory ('plugins:directory', default 'plugins') is one plugin:
            its 'dotnet publish' output. Each is checked from its metadata first (manifest, SDK version, duplicate ids,
            dependencies), then loaded in its own context and started. Exits 0 even when some plugins are refused.
            """;

        public override int Execute(CommandContext context, ParsedArguments arguments)
        {
            arguments.NoPositional();
            var workspace = Workspace.Open(context, arguments, requireLedgers: false);
            var directory = Path.GetFullPath(workspace.Configuration.Plugins.Directory, workspace.Configuration.BaseDirectory);
            using var runtime = PluginRuntime.LoadAsync(directory, workspace.Store, workspace.Configuration.Plugins.RuntimeOptions(), cancellationToken: context.Cancellation).GetAwaiter().GetResult();
            Print(context.Out, directory, runtime);
            return 0;
        }
    }

    /// <summary>Prints the plugin table; shared with <c>crmx demo</c>.</summary>
    public static void Print(TextWriter output, string directory, PluginRuntime runtime, string indent = "")
    {
        output.WriteLine($"{indent}Plugins in {directory} (host SDK {PluginRuntime.SdkVersion.ToString(3)}):");
        if (runtime.Plugins.Count == 0)
        {
            output.WriteLine($"{indent}  none. Copy a plugin's 'dotnet publish' output into a sub-folder of it.");
            return;
        }

        foreach (var p in runtime.Plugins.Where(p => p.State == PluginState.Loaded))
        {
            output.WriteLine($"{indent}  {p.Id} {p.Version} (SDK {p.SdkVersion}) [{Path.GetFileName(p.Directory)}]: {p.Contributes}");
        }

        foreach (var p in runtime.Plugins.Where(p => p.State != PluginState.Loaded))
        {
            var state = p.State == PluginState.Refused ? "REFUSED" : "DISABLED";
            output.WriteLine($"{indent}  {state} {p.Id ?? "?"} [{Path.GetFileName(p.Directory)}]: {p.Reason}");
        }
    }
}
