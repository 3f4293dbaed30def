namespace CrmExtensions.Unification.Tests;

/// <summary>Finds the public data at ../shared/data/ from the repository root; ignores (or under CI fails) when absent.</summary>
internal static class SharedData
{
    public static string Require(string relative)
    {
        var root = FindRepoRoot();
        var path = root is null ? null : Path.GetFullPath(Path.Combine(root, "..", "shared", "data", relative));
        if (path is not null && (File.Exists(path) || Directory.Exists(path)))
        {
            return path;
        }

        var reason = $"Shared data '{relative}' not found at ../shared/data/ beside the repository root.";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail(reason);
        }

        Assert.Ignore(reason);
        return string.Empty;
    }

    private static string? FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CrmExtensions.sln")))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}
