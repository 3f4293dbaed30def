using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
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

    /// <summary>The CPU seconds (user and system) of every child process this one has waited for, and of the children
    /// they waited for: crmx's plugin workers count, which its own <c>--stats</c> CPU does not. NaN off Unix.</summary>
    public static double ChildrenCpuSeconds()
    {
        if (OperatingSystem.IsWindows() || GetResourceUsage(-1 /* RUSAGE_CHILDREN */, out var usage) != 0)
        {
            return double.NaN;
        }

        return usage.UserSeconds + (usage.UserMicroseconds / 1e6) + usage.SystemSeconds + (usage.SystemMicroseconds / 1e6);
    }

    [DllImport("libc", EntryPoint = "getrusage")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int GetResourceUsage(int who, out ResourceUsage usage);

    /// <summary>The start of <c>struct rusage</c> (64-bit Unix): user and system time, then fields not read here.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct ResourceUsage
    {
        public long UserSeconds;
        public long UserMicroseconds;
        public long SystemSeconds;
        public long SystemMicroseconds;
        [MarshalAs(UnmanagedType.ByValArray, SizeConst = 14)]
        public long[] Rest;
    }

    /// <summary>The CPU seconds so far of this process's running children (not yet reaped, unlike <see cref="ChildrenCpuSeconds"/>'s), from <c>/proc</c>; 0 off Linux.</summary>
    public static double RunningChildrenCpuSeconds()
    {
        if (!OperatingSystem.IsLinux())
        {
            return 0;
        }

        var self = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        var ticks = 0L;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(directory, "stat"));
            }
            catch (IOException)
            {
                continue;
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }

            // pid (comm) state ppid ... utime stime: the fields after the command's closing parenthesis, from the state on.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if (fields.Length > 12 && fields[1] == self)
            {
                ticks += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            }
        }

        // USER_HZ: 100 on Linux.
        return ticks / 100.0;
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
