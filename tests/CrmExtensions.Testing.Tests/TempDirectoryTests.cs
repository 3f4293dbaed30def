namespace CrmExtensions.Testing.Tests;

public sealed class TempDirectoryTests
{
    [Test]
    public void Constructor_Always_CreatesEmptyFolder()
    {
        using var directory = new TempDirectory();

        Assert.That(directory.Path, Does.Exist.IgnoreFiles);
        Assert.That(Directory.EnumerateFileSystemEntries(directory.Path), Is.Empty);
    }

    [Test]
    public void Constructor_Twice_GivesDistinctFolders()
    {
        using var first = new TempDirectory();
        using var second = new TempDirectory();

        Assert.That(first.Path, Is.Not.EqualTo(second.Path));
    }

    [Test]
    public void Dispose_FolderWithContents_DeletesIt()
    {
        var directory = new TempDirectory();
        Directory.CreateDirectory(Path.Combine(directory.Path, "nested"));
        File.WriteAllText(Path.Combine(directory.Path, "nested", "file.txt"), "content");

        directory.Dispose();

        Assert.That(directory.Path, Does.Not.Exist);
    }

    [Test]
    public void Dispose_Twice_DoesNotThrow()
    {
        var directory = new TempDirectory();
        directory.Dispose();

        Assert.That(directory.Dispose, Throws.Nothing);
    }
}
