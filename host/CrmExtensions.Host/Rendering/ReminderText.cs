using System.Globalization;
using CrmExtensions.Runtime;

namespace CrmExtensions.Host.Rendering;

/// <summary>How an evaluation of the reminder rules is shown.</summary>
internal static class ReminderText
{
    /// <summary>Prints what an evaluation did, per plugin.</summary>
    public static void Print(TextWriter output, ReminderSummary summary, string indent = "")
    {
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{indent}reminders for {summary.Today:yyyy-MM-dd}: {Rules(summary.Rules)}; {summary.NewReminders:N0} new, {summary.Cancelled:N0} cancelled, " +
            $"{summary.MailsQueued:N0} mails queued, {summary.MailsCancelled:N0} queued mails cancelled{TagWrites(summary.TagWrites.Values.Sum())}"));
        foreach (var p in summary.Plugins)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{indent}  {p.PluginId}: {p.NewReminders:N0} new, {p.Cancelled:N0} cancelled, {p.MailsQueued:N0} mails queued{TagWrites(p.TagWrites)} ({Rules(p.Rules)}, {p.Elapsed.TotalSeconds:0.0} s)"));
            foreach (var title in p.Titles.Take(3))
            {
                output.WriteLine($"{indent}    + {title}");
            }
        }

        foreach (var problem in summary.Problems.Take(10))
        {
            output.WriteLine($"{indent}  problem: {problem}");
        }
    }

    /// <summary>", N tag writes" when a plugin set or removed client tags; nothing otherwise, as before tags were counted.</summary>
    private static string TagWrites(int count) => count == 0 ? "" : string.Create(CultureInfo.InvariantCulture, $", {count:N0} tag writes");

    private static string Rules(int count) => count == 1 ? "1 rule" : string.Create(CultureInfo.InvariantCulture, $"{count} rules");
}
