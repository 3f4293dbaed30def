using NUnit.Framework.Internal;

namespace CrmExtensions.Testing.Tests;

public sealed class TestEnvironmentTests
{
    [Test]
    public void RepoRoot_FromTestBinaries_HoldsSolutionAndTheseBinaries()
    {
        var root = TestEnvironment.RepoRoot;

        Assert.That(Path.Combine(root, "CrmExtensions.sln"), Does.Exist);
        Assert.That(AppContext.BaseDirectory, Does.StartWith(root + Path.DirectorySeparatorChar));
    }

    [Test]
    public void FindRepoRoot_OutsideAnyRepository_ThrowsWithStartFolder()
    {
        using var outside = new TempDirectory();

        Assert.That(
            () => TestEnvironment.FindRepoRoot(outside.Path),
            Throws.InvalidOperationException.With.Message.Contains(outside.Path));
    }

    [TestCase("true", ExpectedResult = true)]
    [TestCase("TRUE", ExpectedResult = true)]
    [TestCase("True", ExpectedResult = true)]
    [TestCase("false", ExpectedResult = false)]
    [TestCase("1", ExpectedResult = false)]
    [TestCase("", ExpectedResult = false)]
    [TestCase(null, ExpectedResult = false)]
    public bool IsTrue_CiValue_ReadsOnlyTrue(string? value) => TestEnvironment.IsTrue(value);

    [Test]
    public void Unavailable_OutsideCI_IgnoresWithReason()
    {
        // An isolated context keeps the nested ignore out of this test's own result.
        using (new TestExecutionContext.IsolatedContext())
        {
            Assert.That(
                () => TestEnvironment.Unavailable("no server here", isCI: false),
                Throws.TypeOf<IgnoreException>().With.Message.EqualTo("no server here"));
        }
    }

    [Test]
    public void Unavailable_UnderCI_FailsWithReason()
    {
        // An isolated context keeps the nested failure out of this test's own result.
        using (new TestExecutionContext.IsolatedContext())
        {
            Assert.That(
                () => TestEnvironment.Unavailable("no server here", isCI: true),
                Throws.TypeOf<AssertionException>().With.Message.Contains("no server here"));
        }
    }

    [Test]
    public void SharedDataDirectory_WhenPresent_HoldsTheDataReadme()
    {
        var directory = TestEnvironment.SharedDataDirectory;

        Assert.That(Path.Combine(directory, "README.md"), Does.Exist);
    }

    [Test]
    public void SharedDataFile_ExistingLedger_ReturnsFullPath()
    {
        var path = TestEnvironment.SharedDataFile("ledgers/northwind.sqlite");

        Assert.That(path, Does.Exist);
        Assert.That(Path.IsPathFullyQualified(path), Is.True);
    }

    [Test]
    public void SharedDataFile_MissingFile_IsUnavailableNamingTheFile()
    {
        _ = TestEnvironment.SharedDataDirectory;
        var expected = TestEnvironment.IsCI ? typeof(AssertionException) : typeof(IgnoreException);

        using (new TestExecutionContext.IsolatedContext())
        {
            Assert.That(
                () => TestEnvironment.SharedDataFile("ledgers/no-such-ledger.sqlite"),
                Throws.TypeOf(expected).With.Message.Contains("no-such-ledger.sqlite"));
        }
    }

    [Test]
    public void SharedDataFile_RootedPath_Throws()
    {
        Assert.That(
            () => TestEnvironment.SharedDataFile(Path.GetFullPath("x.sqlite")),
            Throws.ArgumentException);
    }
}
