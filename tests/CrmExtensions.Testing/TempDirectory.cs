namespace CrmExtensions.Testing;

/// <summary>A fresh, empty folder under the system's temp folder, deleted with its contents on dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    /// <summary>Initializes a new instance of the <see cref="TempDirectory"/> class and creates the folder.</summary>
    public TempDirectory()
    {
        Path = Directory.CreateTempSubdirectory("crmx-test-").FullName;
    }

    /// <summary>Gets the full path of the folder.</summary>
    public string Path { get; }

    /// <summary>Deletes the folder and everything in it; a folder already gone is not an error.</summary>
    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Already deleted, by the test itself or an earlier dispose.
        }
    }
}
