using NUnit.Framework;

namespace CrmExtensions.Testing;

/// <summary>File helpers the tests share: installing a built plugin or a pack is copying a folder.</summary>
public static class TestFiles
{
    /// <summary>Copies every file under <paramref name="source"/> to the same place under <paramref name="target"/>, replacing what is there.</summary>
    public static void CopyDirectory(string source, string target)
    {
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination, overwrite: true);
        }
    }

    /// <summary>Copies the sample HelloPlugin's build output (the test project must reference its project; it is built in the
    /// configuration the tests are) into <c>HelloPlugin/</c> under a plugins folder.</summary>
    public static void InstallHelloPlugin(string pluginsDirectory) =>
        InstallBuilt(Path.Combine(TestEnvironment.RepoRoot, "samples", "HelloPlugin", "src", "HelloPlugin", "bin", Configuration, "net10.0"), "HelloPlugin", pluginsDirectory);

    /// <summary>Copies a test plugin of <c>tests/TestPlugins</c> (the test project must reference its project) into
    /// <c><paramref name="name"/>/</c> under a plugins folder.</summary>
    /// <param name="name">The plugin's project name, such as <c>Reporting</c>.</param>
    /// <param name="pluginsDirectory">The plugins folder of the configuration.</param>
    public static void InstallTestPlugin(string name, string pluginsDirectory) =>
        InstallBuilt(Path.Combine(TestEnvironment.RepoRoot, "tests", "TestPlugins", "bin", Configuration, name), name, pluginsDirectory);

    /// <summary>The configuration the tests (and so the plugins they reference) were built in.</summary>
    private static string Configuration => typeof(TestFiles).Assembly
        .GetCustomAttributes(typeof(System.Reflection.AssemblyConfigurationAttribute), false)
        .OfType<System.Reflection.AssemblyConfigurationAttribute>().FirstOrDefault()?.Configuration ?? "Debug";

    private static void InstallBuilt(string path, string name, string pluginsDirectory)
    {
        Assert.That(File.Exists(Path.Combine(path, name + ".dll")), Is.True, $"{name} is not built at {path}");
        CopyDirectory(path, Path.Combine(pluginsDirectory, name));
    }
}
