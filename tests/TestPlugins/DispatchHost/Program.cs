using System.Globalization;
using CrmExtensions.Runtime;
using CrmExtensions.Store;
using CrmExtensions.Store.Providers;

// Usage: DispatchHost <sqlite|postgres> <store connection string> <plugins folder>
// Prints "loaded N" once plugins are up, then "dispatched E events, D deliveries, F failures".
if (args.Length != 3 || !DatabaseProviders.TryParse(args[0], out var provider))
{
    Console.Error.WriteLine("usage: DispatchHost <sqlite|postgres> <store connection string> <plugins folder>");
    return 2;
}

var store = new CrmStore(provider, args[1], TimeProvider.System);
store.Migrate();
using var runtime = await PluginRuntime.LoadAsync(args[2], store);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"loaded {runtime.Plugins.Count(p => p.State == PluginState.Loaded)}"));
var summary = await runtime.DispatchAsync();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"dispatched {summary.Events} events, {summary.Deliveries} deliveries, {summary.Failures} failures"));
return 0;
