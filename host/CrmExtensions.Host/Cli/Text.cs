using System.Globalization;

namespace CrmExtensions.Host.Cli;

/// <summary>How the CLI writes what several commands show: times, relative days, run statistics.</summary>
internal static class Text
{
    /// <summary>"stats: 1.23 s wall, peak memory 120 MiB[, cpu 1.0 s]".</summary>
    public static void Stats(TextWriter output, TimeSpan elapsed, bool cpu = false)
    {
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"stats: {elapsed.TotalSeconds:0.00} s wall, peak memory {process.PeakWorkingSet64 / 1048576.0:N0} MiB") +
            (cpu ? string.Create(CultureInfo.InvariantCulture, $", cpu {process.TotalProcessorTime.TotalSeconds:0.0} s") : ""));
    }

    /// <summary>An instant as local <c>yyyy-MM-dd HH:mm</c>.</summary>
    public static string Local(DateTimeOffset instant, TimeProvider time) =>
        TimeZoneInfo.ConvertTime(instant, time.LocalTimeZone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    /// <summary>A stored UTC timestamp as local <c>yyyy-MM-dd HH:mm</c>.</summary>
    public static string Local(string stored, TimeProvider time) =>
        Local(DateTimeOffset.Parse(stored, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal), time);

    /// <summary>"today", "yesterday", "3 days ago", "tomorrow", "in 2 days", by calendar days in the local time zone.</summary>
    public static string Relative(DateTimeOffset when, DateTimeOffset now, TimeZoneInfo zone)
    {
        var days = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime).DayNumber - DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(when, zone).DateTime).DayNumber;
        return days switch
        {
            0 => "today",
            1 => "yesterday",
            -1 => "tomorrow",
            < 0 => string.Create(CultureInfo.InvariantCulture, $"in {-days} days"),
            _ => string.Create(CultureInfo.InvariantCulture, $"{days} days ago"),
        };
    }
}
