using CrmExtensions.Testing;
using Microsoft.Playwright;

namespace CrmExtensions.Web.Tests.Browser;

/// <summary>Debian's chromium driven by Playwright's own driver (never its browser download).</summary>
/// <remarks><c>CRMX_TEST_CHROMIUM</c> names the executable; otherwise <c>chromium</c> or <c>chromium-browser</c> on the PATH.
/// Without one the test is ignored, or failed under <c>CI=true</c>.</remarks>
internal static class Chromium
{
    public const string Variable = "CRMX_TEST_CHROMIUM";

    public static string Executable()
    {
        var named = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrEmpty(named))
        {
            return File.Exists(named) ? named : throw new AssertionException($"{Variable}={named} does not exist");
        }

        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            foreach (var name in new[] { "chromium", "chromium-browser" })
            {
                var path = Path.Combine(dir, name);
                if (File.Exists(path))
                {
                    return path;
                }
            }
        }

        TestEnvironment.Unavailable("No chromium found (set CRMX_TEST_CHROMIUM or install Debian's chromium; scripts/test.sh does as root): the browser tests need a real browser.");
        return "";
    }

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        var executable = Executable();
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executable,
            Headless = true,
            // As root (CI) chromium refuses to start with its sandbox.
            Args = ["--no-sandbox", "--disable-dev-shm-usage"],
        });
        return (playwright, browser);
    }
}
