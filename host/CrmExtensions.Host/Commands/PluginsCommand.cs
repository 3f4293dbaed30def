using CrmExtensions.Application.Plugins;
using CrmExtensions.Host.Cli;
using CrmExtensions.Runtime;

namespace CrmExtensions.Host.Commands;

/// <summary><c>crmx plugins</c>: what the plugins folder holds.</summary>
internal static class PluginsCommand
{
    public static CrmxCommand Create(CommandContext context)
    {
        var list = new CrmxCommand("list", "List every plugin folder: id, version, SDK version, contributions, or the reason it was refused.")
        {
            Details = """
                Every sub-folder of the configured plugins directory ('plugins:directory', default 'plugins') is one plugin:
                its 'dotnet publish' output. Each is checked from its metadata first (manifest, SDK version, duplicate ids,
                dependencies), then loaded in its own context and started. Exits 0 even when some plugins are refused.
                """,
        };
        list.SetAction(async (parse, cancellationToken) =>
        {
            await using var run = new Invocation(context, parse);
            var plugins = run.Service<PluginService>();
            Print(run.Out, plugins.Directory, await plugins.ListAsync(cancellationToken).ConfigureAwait(false));
            return 0;
        });
        return new CrmxCommand("plugins", "Loaded plugins, what each contributes, and why any was refused.").With(list);
    }

    /// <summary>Prints the plugin table.</summary>
    public static void Print(TextWriter output, string directory, IReadOnlyList<PluginStatus> plugins, string indent = "")
    {
        output.WriteLine($"{indent}Plugins in {directory} (host SDK {PluginRuntime.SdkVersion.ToString(3)}):");
        if (plugins.Count == 0)
        {
            output.WriteLine($"{indent}  none. Copy a plugin's 'dotnet publish' output into a sub-folder of it.");
            return;
        }

        foreach (var p in plugins.Where(p => p.State == PluginState.Loaded))
        {
            output.WriteLine($"{indent}  {p.Id} {p.Version} (SDK {p.SdkVersion}) [{Path.GetFileName(p.Directory)}]: {p.Contributes}");
        }

        foreach (var p in plugins.Where(p => p.State != PluginState.Loaded))
        {
            var state = p.State == PluginState.Refused ? "REFUSED" : "DISABLED";
            output.WriteLine($"{indent}  {state} {p.Id ?? "?"} [{Path.GetFileName(p.Directory)}]: {p.Reason}");
        }
    }
}
