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
}
