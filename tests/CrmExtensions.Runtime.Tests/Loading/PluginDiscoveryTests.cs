using CrmExtensions.Runtime.Loading;
using CrmExtensions.Testing;

namespace CrmExtensions.Runtime.Tests.Loading;

public sealed class PluginDiscoveryTests
{
    [Test]
    public void Discover_TemplatePackInThePluginsFolder_IsNeitherAPluginNorRefused()
    {
        using var folder = new TempDirectory();
        Directory.CreateDirectory(Path.Combine(folder.Path, "statement"));
        File.WriteAllText(Path.Combine(folder.Path, "statement", "pack.json"), """{ "name": "statement", "locale": "ru-RU" }""");
        Directory.CreateDirectory(Path.Combine(folder.Path, "empty"));

        var (ordered, refused) = PluginDiscovery.Discover(folder.Path);

        Assert.That(ordered, Is.Empty);
        Assert.That(refused.Select(r => Path.GetFileName(r.Directory)), Is.EqualTo(new[] { "empty" }));
    }
}
