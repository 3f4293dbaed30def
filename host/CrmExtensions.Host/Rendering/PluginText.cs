using CrmExtensions.Runtime;

namespace CrmExtensions.Host.Rendering;

/// <summary>How the plugins folder is shown.</summary>
internal static class PluginText
{
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
            var state = p.State.ToString().ToUpperInvariant();
            output.WriteLine($"{indent}  {state} {p.Id ?? "?"} [{Path.GetFileName(p.Directory)}]: {p.Reason}");
        }
    }
}
