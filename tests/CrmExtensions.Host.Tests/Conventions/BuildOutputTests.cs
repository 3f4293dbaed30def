using System.Reflection.PortableExecutable;

namespace CrmExtensions.Host.Tests.Conventions;

/// <summary>How crmx is built: a Release build is precompiled (ReadyToRun, eng/ReadyToRun.targets), so that each plugin
/// worker, a new crmx process, starts without JIT-compiling the host's code again.</summary>
public sealed class BuildOutputTests
{
    [Test]
    public void Crmx_ReleaseBuild_CarriesReadyToRunCode()
    {
#if DEBUG
        Assert.Ignore("Only Release builds are precompiled.");
#endif
        using var stream = File.OpenRead(Path.Combine(AppContext.BaseDirectory, "crmx.dll"));
        using var reader = new PEReader(stream);

        Assert.That(reader.PEHeaders.CorHeader!.ManagedNativeHeaderDirectory.Size, Is.GreaterThan(0), "crmx.dll is IL only: its build skipped eng/ReadyToRun.targets");
    }
}
