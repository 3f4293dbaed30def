using CrmExtensions.Host.Cli;
using CrmExtensions.Store.Activities;

namespace CrmExtensions.Host.Rendering;

/// <summary>How contacts of the contact log are shown.</summary>
internal static class ActivityText
{
    /// <summary>Prints the "Last contact" section: kind, how long ago, when, manager, subject and outcome.</summary>
    public static void PrintLastContact(TextWriter output, IReadOnlyList<ActivityRow> rows, TimeProvider time, string indent = "")
    {
        if (rows.Count == 0)
        {
            output.WriteLine($"{indent}  Last contact: none recorded ('crmx activity add' records one).");
            return;
        }

        output.WriteLine($"{indent}  Last contact:");
        var now = time.GetUtcNow();
        foreach (var a in rows)
        {
            output.WriteLine($"{indent}    {a.Kind,-10} {Text.Relative(a.When, now, time.LocalTimeZone),-12} {Text.Local(a.When, time)}  {a.Manager ?? "-"}  {Line(a)}");
        }
    }

    public static string Line(ActivityRow a) => a.Outcome is null ? a.Subject : a.Subject.Length == 0 ? a.Outcome : a.Subject + " — " + a.Outcome;
}
