using System.Runtime.Loader;
using System.Text.Json;
using CrmExtensions.Testing;

namespace CrmExtensions.Runtime.Tests;

/// <summary>In process isolation the host never loads a plugin: every runner works from what the plugin's worker said it
/// registered, which is what the host reads from the same plugin loaded in process.</summary>
public sealed partial class PluginRuntimeTests
{
    private static readonly string[] Described = ["Good", "GuardPlugin", "Jobs", "Panels", "Reporting"];

    [Test]
    public async Task LoadAsync_ProcessIsolation_LoadsNoPluginAssemblyIntoThisProcess()
    {
        using var root = new TempDirectory();
        using var store = new TestStore(DatabaseProvider.Sqlite);
        var plugins = TestPlugins.Install(root, Described);

        using (var inWorkers = await Load(plugins, store, Workers.Options()))
        {
            Assert.That(inWorkers.Plugins.Select(p => p.State), Is.All.EqualTo(PluginState.Loaded));
            Assert.That(await inWorkers.ListReportsAsync(), Is.Not.Empty, "its worker serves the calls");
            Assert.That(LoadedFrom(plugins), Is.Empty, "process isolation loads no plugin assembly here");
        }

        using var inProcess = await Load(plugins, store);

        Assert.That(LoadedFrom(plugins), Is.Not.Empty, "in process isolation the same plugins are loaded here");
    }

    [Test]
    public async Task Registrations_DescribedByWorkers_AreThoseReadInProcess()
    {
        using var root = new TempDirectory();
        using var store = new TestStore(DatabaseProvider.Sqlite);
        var plugins = TestPlugins.Install(root, Described);
        using var inProcess = await Load(plugins, store);
        using var inWorkers = await Load(plugins, store, Workers.Options());

        Assert.That(inWorkers.Plugins.Select(p => (p.Id, p.State, p.Contributes)), Is.EqualTo(inProcess.Plugins.Select(p => (p.Id, p.State, p.Contributes))));
        Assert.That(inWorkers.Plugins.Select(p => p.Contributes), Has.Some.Contains("handlers: ").And.Some.Contains("jobs: ").And.Some.Contains("guards: ")
            .And.Some.Contains("pipelines: ").And.Some.Contains("client panels: ").And.Some.Contains("pages: ").And.Some.Contains("templates: "));
        Assert.That(inWorkers.Jobs.Select(j => (j.PluginId, j.Name, j.Schedule.ToString())), Is.EqualTo(inProcess.Jobs.Select(j => (j.PluginId, j.Name, j.Schedule.ToString()))).And.Not.Empty);
        Assert.That(JsonSerializer.Serialize(inWorkers.Pipelines), Is.EqualTo(JsonSerializer.Serialize(inProcess.Pipelines)));
        Assert.That(inWorkers.Pipelines, Is.Not.Empty);
        Assert.That(inWorkers.HasEveryCycleRules, Is.EqualTo(inProcess.HasEveryCycleRules).And.True);
    }

    /// <summary>The assemblies loaded into any load context of this process from under <paramref name="folder"/>.</summary>
    private static List<string> LoadedFrom(string folder) =>
        AssemblyLoadContext.All.SelectMany(c => c.Assemblies).Where(a => !a.IsDynamic && a.Location.StartsWith(folder, StringComparison.Ordinal))
            .Select(a => a.Location).ToList();
}
