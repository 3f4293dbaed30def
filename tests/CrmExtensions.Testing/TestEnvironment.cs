using System.Diagnostics.CodeAnalysis;
using NUnit.Framework;

namespace CrmExtensions.Testing;

/// <summary>Where tests run: CI or not, the repository root, and the shared data beside it.</summary>
/// <remarks>
/// A resource a test needs but the machine lacks (shared data, a database server) ignores the test with
/// the reason outside CI and fails it under <c>CI=true</c>, so CI can never go green by skipping.
/// </remarks>
public static class TestEnvironment
{
    /// <summary>The file that marks the repository root.</summary>
    public const string SolutionFileName = "CrmExtensions.sln";

    private static readonly Lazy<string> LazyRepoRoot = new(() => FindRepoRoot(AppContext.BaseDirectory));

    /// <summary>Gets a value indicating whether the environment variable <c>CI</c> equals <c>true</c> (any case).</summary>
    /// <value>Read on every call, so it follows the current environment.</value>
    public static bool IsCI => IsTrue(Environment.GetEnvironmentVariable("CI"));

    /// <summary>Gets the repository root: the nearest folder above the test binaries that holds <c>CrmExtensions.sln</c>.</summary>
    /// <exception cref="InvalidOperationException">No folder above the test binaries holds the solution file.</exception>
    public static string RepoRoot => LazyRepoRoot.Value;

    /// <summary>Gets the full path of the shared test data folder, <c>../shared/data</c> from the repository root.</summary>
    /// <remarks>When the folder is absent the test is ignored with the reason, or failed under CI.</remarks>
    public static string SharedDataDirectory
    {
        get
        {
            var path = Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "data"));
            if (!Directory.Exists(path))
            {
                Unavailable($"Shared test data not found at '{path}' (expected at ../shared/data from the repository root).");
            }

            return path;
        }
    }

    /// <summary>Returns the full path of one file of the shared test data, given relative to the data folder.</summary>
    /// <param name="relativePath">For example <c>ledgers/northwind.sqlite</c>.</param>
    /// <remarks>When the file is absent the test is ignored with the reason, or failed under CI.</remarks>
    /// <exception cref="ArgumentException"><paramref name="relativePath"/> is empty or rooted.</exception>
    public static string SharedDataFile(string relativePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(relativePath);
        if (Path.IsPathRooted(relativePath))
        {
            throw new ArgumentException($"Give the path relative to the shared data folder, not '{relativePath}'.", nameof(relativePath));
        }

        var path = Path.GetFullPath(Path.Combine(SharedDataDirectory, relativePath));
        if (!File.Exists(path))
        {
            Unavailable($"Shared test data file not found at '{path}'.");
        }

        return path;
    }

    /// <summary>Stops the current test because something it needs is missing: ignored outside CI, failed under CI.</summary>
    /// <param name="reason">What is missing and how to provide it.</param>
    [DoesNotReturn]
    public static void Unavailable(string reason) => Unavailable(reason, IsCI);

    [DoesNotReturn]
    internal static void Unavailable(string reason, bool isCI)
    {
        ArgumentException.ThrowIfNullOrEmpty(reason);
        if (isCI)
        {
            Assert.Fail(reason);
        }
        else
        {
            Assert.Ignore(reason);
        }

        // Inside an Assert.Multiple scope Assert.Fail records the failure and returns; the caller must still stop.
        throw new InvalidOperationException(reason);
    }

    internal static bool IsTrue(string? value) => string.Equals(value, "true", StringComparison.OrdinalIgnoreCase);

    internal static string FindRepoRoot(string startDirectory)
    {
        for (var directory = new DirectoryInfo(startDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, SolutionFileName)))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException(
            $"No folder above '{startDirectory}' holds {SolutionFileName}; run the tests from a build inside the repository.");
    }
}
