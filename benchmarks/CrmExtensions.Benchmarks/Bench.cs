using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

/// <summary>What the benchmarks share: running crmx in a child process, medians, reading its --stats line.</summary>
internal static partial class Bench
{
    /// <summary>Runs <c>crmx</c> in <paramref name="folder"/> and returns its standard output; a failure throws with its error output.</summary>
    public static string Crmx(string crmx, string folder, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet", [crmx, .. args]) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"crmx {string.Join(' ', args)} failed in {folder}: {error.Result}");
    }

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    /// <summary>The peak memory a <c>--stats</c> line reports, in MiB.</summary>
    public static double PeakMiB(string output) =>
        double.Parse(PeakMemory().Match(output).Groups[1].Value.Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);

    [GeneratedRegex(@"peak memory ([\d,]+) MiB")]
    private static partial Regex PeakMemory();
}
