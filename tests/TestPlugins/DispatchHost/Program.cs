using System.Globalization;
using CrmExtensions.Runtime;
using CrmExtensions.Runtime.Workers;
using CrmExtensions.Store;
using CrmExtensions.Store.Providers;

// Usage: DispatchHost <sqlite|postgres> <store connection string> <plugins folder> [process]
// Prints "loaded N" once plugins are up, then "dispatched E events, D deliveries, F failures".
// With "process" the plugins run in worker processes, which are this program again: DispatchHost plugin-worker.
if (args is ["plugin-worker"])
{
    // The protocol owns standard output: what a plugin prints goes to standard error with the worker's log, as in crmx.
    var output = Console.OpenStandardOutput();
    Console.SetOut(Console.Error);
    return await PluginWorkerServer.RunAsync(Console.OpenStandardInput(), output, Console.Error);
}

if (args.Length is not (3 or 4) || !DatabaseProviders.TryParse(args[0], out var provider) || (args.Length == 4 && args[3] != "process"))
{
    Console.Error.WriteLine("usage: DispatchHost <sqlite|postgres> <store connection string> <plugins folder> [process]");
    return 2;
}

var store = new CrmStore(provider, args[1], TimeProvider.System);
store.Migrate();
var options = args.Length == 4
    ? new PluginRuntimeOptions
    {
        Isolation = PluginIsolation.Process,
        WorkerCommand = new WorkerCommand(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet",
            [Path.Combine(AppContext.BaseDirectory, "DispatchHost.dll"), "plugin-worker"]),
    }
    : null;
using var runtime = await PluginRuntime.LoadAsync(args[2], store, options);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"loaded {runtime.Plugins.Count(p => p.State == PluginState.Loaded)}"));
var summary = await runtime.DispatchAsync();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"dispatched {summary.Events} events, {summary.Deliveries} deliveries, {summary.Failures} failures"));
foreach (var problem in summary.Problems)
{
    Console.WriteLine("problem: " + problem);
}

return 0;
