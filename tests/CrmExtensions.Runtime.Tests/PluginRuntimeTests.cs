using System.Diagnostics;
using System.Text;
using CrmExtensions.Testing;

namespace CrmExtensions.Runtime.Tests;

public sealed partial class PluginRuntimeTests
{
    private static async Task<PluginRuntime> Load(string plugins, TestStore store, PluginRuntimeOptions? options = null) =>
        await PluginRuntime.LoadAsync(plugins, store.Store, options);

    private static PluginStatus Status(PluginRuntime runtime, string folder) =>
        runtime.Plugins.Single(p => Path.GetFileName(p.Directory) == folder);

    [Test]
    public async Task LoadAsync_GoodPlugin_LoadsItWithWhatItContributes()
    {
        using var root = new TempDirectory();
        using var store = new TestStore(DatabaseProvider.Sqlite);

        using var runtime = await Load(TestPlugins.Install(root, "Good"), store);

        var good = Status(runtime, "Good");
        Assert.That(good.State, Is.EqualTo(PluginState.Loaded), good.Reason);
        Assert.That(good.Id, Is.EqualTo("Test.Good"));
        Assert.That(good.Version, Is.EqualTo("1.2.3"));
        Assert.That(good.SdkVersion, Is.EqualTo(PluginRuntime.SdkVersion.ToString(3)));
        Assert.That(good.Contributes, Does.Contain("SeenHandler (all events)").And.Contain("InvoiceHandler (invoice.created, invoice.paid)")
            .And.Contain("reminders: OverdueRule").And.Contain("pipelines: sales").And.Contain("reports: SeenReport").And.Contain("templates: 1"));
    }

    [Test]
    public async Task LoadAsync_PluginBuiltAgainstNewerSdk_IsRefusedWithWhatToDoAndTheOthersLoad()
    {
        using var root = new TempDirectory();
        using var store = new TestStore(DatabaseProvider.Sqlite);

        using var runtime = await Load(TestPlugins.Install(root, "NewerSdk", "Good"), store);

        var newer = Status(runtime, "NewerSdk");
        Assert.That(newer.State, Is.EqualTo(PluginState.Refused));
        Assert.That(newer.Reason, Is.EqualTo(
            $"Plugin 'Test.NewerSdk' was built against CrmExtensions.Sdk 99.0.0; this host provides {PluginRuntime.SdkVersion.ToString(3)}. " +
            $"Rebuild the plugin against CrmExtensions.Sdk {PluginRuntime.SdkVersion.Major}.{PluginRuntime.SdkVersion.Minor} or earlier {PluginRuntime.SdkVersion.Major}.x, or upgrade the host."));
        Assert.That(Status(runtime, "Good").State, Is.EqualTo(PluginState.Loaded));
        Assert.That(AppDomain.CurrentDomain.GetAssemblies().Any(a => a.GetName().Name == "NewerSdk"), Is.False, "a refused plugin must never be loaded");
    }

    [Test]
    public async Task LoadAsync_TwoFoldersWithTheSameId_RefusesBothNamingTheFolders()
    {
        using var root = new TempDirectory();
        using var store = new TestStore(DatabaseProvider.Sqlite);

        using var runtime = await Load(TestPlugins.Install(root, "Good", "Good=GoodCopy", "Hangs"), store);

        Assert.That(new[] { Status(runtime, "Good"), Status(runtime, "GoodCopy") },
            Has.All.Property(nameof(PluginStatus.State)).EqualTo(PluginState.Refused)
                .And.All.Property(nameof(PluginStatus.Reason)).Contains("Plugin id 'Test.Good' is declared by several folders (Good, GoodCopy)"));
        Assert.That(Status(runtime, "Hangs").State, Is.EqualTo(PluginState.Loaded));
    }

    [Test]
    public async Task LoadAsync_FolderWithoutManifest_IsRefusedSayingWhatToAdd()
    {
        using var root = new TempDirectory();
        using var store = new TestStore(DatabaseProvider.Sqlite);
        var plugins = TestPlugins.Install(root, "Good");
        Directory.CreateDirectory(Path.Combine(plugins, "Stray"));
        File.Copy(Path.Combine(TestPlugins.Built("JsonOld"), "Newtonsoft.Json.dll"), Path.Combine(plugins, "Stray", "Newtonsoft.Json.dll"));

        using var runtime = await Load(plugins, store);

        var stray = Status(runtime, "Stray");
        Assert.That(stray.State, Is.EqualTo(PluginState.Refused));
        Assert.That(stray.Reason, Does.StartWith("No plugin manifest in 'Stray'").And.Contain("[assembly: CrmPlugin(\"Id\", \"Version\")]"));
        Assert.That(Status(runtime, "Good").State, Is.EqualTo(PluginState.Loaded));
    }

    [Test]
    public async Task LoadAsync_DependencyAbsent_RefusesTheDependentPlugin()
    {
        using var root = new TempDirectory();
        using var store = new TestStore(DatabaseProvider.Sqlite);

        using var runtime = await Load(TestPlugins.Install(root, "Dependent"), store);

        var dependent = Status(runtime, "Dependent");
        Assert.That(dependent.State, Is.EqualTo(PluginState.Refused));
        Assert.That(dependent.Reason, Does.Contain("depends on 'Test.Good' (not in").And.Contain("Install the missing plugin"));
    }

    [Test]
    public async Task LoadAsync_DependencyRefusedAsDuplicate_RefusesTheDependentPluginWithTheCause()
    {
        using var root = new TempDirectory();
        using var store = new TestStore(DatabaseProvider.Sqlite);

        using var runtime = await Load(TestPlugins.Install(root, "Dependent", "Good", "Good=GoodCopy"), store);

        Assert.That(Status(runtime, "Dependent").Reason, Does.Contain("depends on 'Test.Good' (refused: Plugin id 'Test.Good' is declared by several folders"));
    }

    [Test]
    public async Task LoadAsync_DependencyPresent_LoadsItFirstWhateverTheNames()
    {
        using var root = new TempDirectory();
        using var store = new TestStore(DatabaseProvider.Sqlite);

        // "A-Dependent" sorts before "Good": only the declared dependency can put Good first.
        using var runtime = await Load(TestPlugins.Install(root, "Dependent=A-Dependent", "Good"), store);

        Assert.That(runtime.Plugins.Where(p => p.State == PluginState.Loaded).Select(p => p.Id), Is.EqualTo(new[] { "Test.Good", "Test.Dependent" }));
    }

    [Test]
    public async Task LoadAsync_PluginThrowingInStartup_IsDisabledWithTheReasonAndTheOthersLoad()
    {
        using var root = new TempDirectory();
        using var store = new TestStore(DatabaseProvider.Sqlite);

        using var runtime = await Load(TestPlugins.Install(root, "ThrowsInStartup", "Good"), store);

        var thrower = Status(runtime, "ThrowsInStartup");
        Assert.That(thrower.State, Is.EqualTo(PluginState.Disabled));
        Assert.That(thrower.Reason, Is.EqualTo("disabled: plugin 'Test.ThrowsInStartup': startup threw InvalidOperationException: boom in startup"));
        Assert.That(Status(runtime, "Good").State, Is.EqualTo(PluginState.Loaded));
    }

    [Test]
    public async Task LoadAsync_MissingPluginsDirectory_LoadsNothing()
    {
        using var root = new TempDirectory();
        using var store = new TestStore(DatabaseProvider.Sqlite);

        using var runtime = await Load(Path.Combine(root.Path, "absent"), store);

        Assert.That(runtime.Plugins, Is.Empty);
    }

    [Test]
    public async Task LoadAsync_TwentyCopiesOfOnePluginUnderTheirOwnIds_LoadsEach()
    {
        using var root = new TempDirectory();
        using var store = new TestStore(DatabaseProvider.Sqlite);
        var plugins = Path.Combine(root.Path, "plugins");
        var bench = TestPlugins.Built("Bench");
        var original = Encoding.UTF8.GetBytes("Test.Bench.00");
        for (var i = 0; i < 20; i++)
        {
            var folder = Path.Combine(plugins, $"Bench{i:00}");
            TestFiles.CopyDirectory(bench, folder);
            // Twenty distinct ids from one build: the id is a same-length string constant in the attribute blob.
            var dll = Path.Combine(folder, "Bench.dll");
            var bytes = File.ReadAllBytes(dll);
            var at = bytes.AsSpan().IndexOf(original);
            Encoding.UTF8.GetBytes($"Test.Bench.{i:00}").CopyTo(bytes, at);
            File.WriteAllBytes(dll, bytes);
        }

        var clock = Stopwatch.StartNew();
        using var runtime = await Load(plugins, store);
        clock.Stop();

        // How long it took is printed, not asserted (a benchmark's question, not a test's): about 0.1 s warm.
        TestContext.Out.WriteLine($"loaded {runtime.Plugins.Count(p => p.State == PluginState.Loaded)} plugins in {clock.Elapsed.TotalMilliseconds:0} ms");
        Assert.That(runtime.Plugins.Select(p => p.State), Has.Exactly(20).EqualTo(PluginState.Loaded), string.Join("\n", runtime.Plugins.Select(p => p.Reason)));
        Assert.That(runtime.Plugins.Select(p => p.Id), Is.EquivalentTo(Enumerable.Range(0, 20).Select(i => $"Test.Bench.{i:00}")), "each copy under its own id");
    }
}
