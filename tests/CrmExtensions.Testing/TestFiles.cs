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
    public static void InstallHelloPlugin(string pluginsDirectory)
    {
        var configuration = typeof(TestFiles).Assembly
            .GetCustomAttributes(typeof(System.Reflection.AssemblyConfigurationAttribute), false)
            .OfType<System.Reflection.AssemblyConfigurationAttribute>().FirstOrDefault()?.Configuration ?? "Debug";
        var path = Path.Combine(TestEnvironment.RepoRoot, "samples", "HelloPlugin", "src", "HelloPlugin", "bin", configuration, "net10.0");
        Assert.That(File.Exists(Path.Combine(path, "HelloPlugin.dll")), Is.True, $"HelloPlugin is not built at {path}");
        CopyDirectory(path, Path.Combine(pluginsDirectory, "HelloPlugin"));
    }
}
