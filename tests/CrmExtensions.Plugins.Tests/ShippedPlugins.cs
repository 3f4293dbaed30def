using System.Reflection;
using CrmExtensions.Testing;

namespace CrmExtensions.Plugins.Tests;

/// <summary>The shipped plugins as their projects build them, one folder each, ready to copy into a plugins directory.</summary>
internal static class ShippedPlugins
{
    public const string Lifecycle = "CrmExtensions.Plugins.Lifecycle";
    public const string Receivables = "CrmExtensions.Plugins.Receivables";
    public const string Greetings = "CrmExtensions.Plugins.Greetings";
    public const string Sales = "CrmExtensions.Plugins.Sales";

    public static IReadOnlyList<string> All { get; } = [Lifecycle, Receivables, Greetings, Sales];

    private static string Configuration =>
        typeof(ShippedPlugins).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    /// <summary>The built folder of a plugin.</summary>
    public static string Built(string name)
    {
        var path = Path.Combine(TestEnvironment.RepoRoot, "plugins", "bin", Configuration, name);
        Assert.That(File.Exists(Path.Combine(path, name + ".dll")), Is.True, $"plugin {name} is not built at {path}; build tests/CrmExtensions.Plugins.Tests");
        return path;
    }

    /// <summary>Copies the built plugins into <c>plugins/</c> under <paramref name="root"/> and returns that folder.</summary>
    public static string Install(string root, params string[] names)
    {
        var plugins = Path.Combine(root, "plugins");
        foreach (var name in names.Length == 0 ? All : names)
        {
            var source = Built(name);
            TestFiles.CopyDirectory(source, Path.Combine(plugins, name));
        }

        return plugins;
    }
}
