namespace CrmExtensions.Runtime.Tests;

/// <summary>Runtime options that run plugins in worker processes: the DispatchHost test program serves as the worker
/// (<c>DispatchHost plugin-worker</c>), as <c>crmx plugin-worker</c> does for crmx, with the same server.</summary>
internal static class Workers
{
    public static PluginRuntimeOptions Options(TimeSpan? callBudget = null, int maxConsecutiveTimeouts = 3) => new()
    {
        Isolation = PluginIsolation.Process,
        WorkerCommand = new WorkerCommand(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet",
            [Path.Combine(TestPlugins.Built("DispatchHost"), "DispatchHost.dll"), "plugin-worker"]),
        CallBudget = callBudget ?? TimeSpan.FromSeconds(10),
        MaxConsecutiveTimeouts = maxConsecutiveTimeouts,
    };

    /// <summary>The same options with one plugin's settings.</summary>
    public static PluginRuntimeOptions With(this PluginRuntimeOptions options, string pluginId, string key, string value)
    {
        options.PluginSettings = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.OrdinalIgnoreCase)
        {
            [pluginId] = new Dictionary<string, string> { [key] = value },
        };
        return options;
    }
}
