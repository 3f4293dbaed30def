using CrmExtensions.Runtime.Loading;

namespace CrmExtensions.Runtime.Tests.Loading;

public sealed class ManifestReaderTests
{
    [Test]
    public void Read_GoodPlugin_ReturnsIdVersionDescriptionAndSdkVersion()
    {
        var manifest = ManifestReader.Read(Path.Combine(TestPlugins.Built("Good"), "Good.dll"));

        Assert.That(manifest, Is.Not.Null);
        Assert.That(manifest!.Id, Is.EqualTo("Test.Good"));
        Assert.That(manifest.Version, Is.EqualTo("1.2.3"));
        Assert.That(manifest.Description, Does.StartWith("A well-behaved plugin"));
        Assert.That(manifest.SdkVersion, Is.EqualTo(SdkAssembly.Version));
        Assert.That(manifest.Dependencies, Is.Empty);
    }

    [Test]
    public void Read_DependentPlugin_ReturnsItsDependencies() =>
        Assert.That(ManifestReader.Read(Path.Combine(TestPlugins.Built("Dependent"), "Dependent.dll"))!.Dependencies, Is.EqualTo(new[] { "Test.Good" }));

    [Test]
    public void Read_PluginBuiltAgainstNewerSdk_ReportsTheReferencedVersion() =>
        Assert.That(ManifestReader.Read(Path.Combine(TestPlugins.Built("NewerSdk"), "NewerSdk.dll"))!.SdkVersion, Is.EqualTo(new Version(99, 0, 0, 0)));

    [Test]
    public void Read_AssemblyWithoutAttribute_ReturnsNull() =>
        Assert.That(ManifestReader.Read(Path.Combine(TestPlugins.Built("JsonOld"), "Newtonsoft.Json.dll")), Is.Null);

    [Test]
    public void Read_FileThatIsNotAnAssembly_ReturnsNull()
    {
        using var folder = new Testing.TempDirectory();
        var path = Path.Combine(folder.Path, "junk.dll");
        File.WriteAllText(path, "not a PE file");

        Assert.That(ManifestReader.Read(path), Is.Null);
    }
}
