using System.Collections;
using System.Reflection;
using CrmExtensions.Runtime.Loading;
using McMaster.NETCore.Plugins.Loader;

namespace CrmExtensions.Runtime.Tests.Loading;

public sealed class PluginLoadContextTests
{
    private static readonly string[] Configs =
    [
        // Paths with the architecture and the target framework to put in; a dev file adds its own.
        """{ "runtimeOptions": { "tfm": "net10.0", "additionalProbingPaths": [ "/probe/|arch|/|tfm|", "/plain" ] } }""",
        // No target framework: a path that needs one is skipped, the muxer's store is not added.
        """{ "runtimeOptions": { "additionalProbingPaths": [ "/needs/|tfm|", "/kept/|arch|" ] } }""",
        // A target framework alone: only the muxer's store, when the process runs under dotnet.
        """{ "runtimeOptions": { "tfm": "net8.0", "framework": { "name": "Microsoft.NETCore.App", "version": "8.0.0" } } }""",
        """{ "runtimeOptions": null }""",
        """{ }""",
        // Not what the loader's serializer reads: nothing is added.
        """{ "runtimeOptions": { "tfm": 10, "additionalProbingPaths": [ "/never" ] } }""",
        """{ "runtimeOptions": { "tfm": "net10.0", "additionalProbingPaths": "/never" } }""",
        """{ "runtimeOptions": { "tfm": "net10.0", "additionalProbingPaths": [ 1 ] } }""",
        """not json""",
    ];

    [TestCaseSource(nameof(Configs))]
    public void AddProbingPaths_AddsWhatTheLoadersOwnReadingAdds(string config)
    {
        using var folder = new Testing.TempDirectory();
        var path = Path.Combine(folder.Path, "Plugin.runtimeconfig.json");
        File.WriteAllText(path, config);
        File.WriteAllText(Path.Combine(folder.Path, "Plugin.runtimeconfig.dev.json"), """{ "runtimeOptions": { "additionalProbingPaths": [ "/dev/|tfm|" ] } }""");

        var expected = new AssemblyLoadContextBuilder();
        expected.TryAddAdditionalProbingPathFromRuntimeConfig(path, includeDevConfig: true, out _);
        var actual = new AssemblyLoadContextBuilder();
        PluginLoadContext.AddProbingPaths(actual, path);

        Assert.That(ProbingPaths(actual), Is.EqualTo(ProbingPaths(expected)));
    }

    [Test]
    public void AddProbingPaths_ReadsTheTargetFrameworkAndPaths()
    {
        using var folder = new Testing.TempDirectory();
        var path = Path.Combine(folder.Path, "Plugin.runtimeconfig.json");
        File.WriteAllText(path, Configs[0]);

        var builder = new AssemblyLoadContextBuilder();
        PluginLoadContext.AddProbingPaths(builder, path);

        Assert.That(PluginLoadContext.Read(path), Is.Not.Null);
        Assert.That(PluginLoadContext.Read(path)!.Value.Tfm, Is.EqualTo("net10.0"));
        Assert.That(ProbingPaths(builder), Does.Contain("/plain").And.Contain($"/probe/{System.Runtime.InteropServices.RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant()}/net10.0"));
    }

    [Test]
    public void Read_MissingFile_ReturnsNull() =>
        Assert.That(PluginLoadContext.Read(Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".runtimeconfig.json")), Is.Null);

    [Test]
    public void Load_LoadsThePluginInItsOwnContextAndSharesTheSdk()
    {
        var assemblyPath = Path.Combine(TestPlugins.Built("Good"), "Good.dll");

        var assembly = PluginLoadContext.Load(assemblyPath, PluginLoading.SharedTypes);

        Assert.That(assembly.Location, Is.EqualTo(assemblyPath));
        Assert.That(System.Runtime.Loader.AssemblyLoadContext.GetLoadContext(assembly), Is.Not.EqualTo(System.Runtime.Loader.AssemblyLoadContext.Default));
        var startup = assembly.GetExportedTypes().Single(t => typeof(Sdk.PluginStartup).IsAssignableFrom(t));
        Assert.That(startup.BaseType!.Assembly, Is.SameAs(typeof(Sdk.PluginStartup).Assembly));
    }

    /// <summary>The builder's probing paths, in the order added (a private field of the loader's).</summary>
    private static List<string> ProbingPaths(AssemblyLoadContextBuilder builder)
    {
        var field = typeof(AssemblyLoadContextBuilder).GetField("_additionalProbingPaths", BindingFlags.Instance | BindingFlags.NonPublic)
            ?? throw new InvalidOperationException("the loader keeps its probing paths elsewhere now");
        return ((IEnumerable)field.GetValue(builder)!).Cast<string>().ToList();
    }
}
