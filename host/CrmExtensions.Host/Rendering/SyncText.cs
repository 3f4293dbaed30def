using CrmExtensions.Application.Internal;
using System.Globalization;
using CrmExtensions.Host.Terminal;
using CrmExtensions.Ledger.Sync;

namespace CrmExtensions.Host.Rendering;

/// <summary>How a sync is shown: a progress line while it runs, then per ledger and kind what changed.</summary>
internal static class SyncText
{
    /// <summary>A progress line's view of a sync.</summary>
    public static IProgress<SyncProgress> Progress(ProgressLine line) =>
        new InlineProgress<SyncProgress>(p => line.Show(string.Create(CultureInfo.InvariantCulture, $"sync {p.Ledger}/{p.Kind}: {p.Rows:N0} rows")));

    /// <summary>Prints what a sync did per ledger and kind, with the first rejected rows.</summary>
    public static void Print(TextWriter output, IReadOnlyList<KindSyncResult> results)
    {
        foreach (var group in results.GroupBy(r => r.Ledger))
        {
            output.WriteLine($"ledger '{group.Key}':");
            foreach (var r in group)
            {
                var c = r.Counts;
                var what = c.HasChanges || c.Rejected > 0
                    ? string.Create(CultureInfo.InvariantCulture, $"{c.Inserted:N0} new, {c.Changed:N0} changed, {c.Vanished:N0} vanished, {c.Rejected:N0} rejected")
                    : "no changes";
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {r.Kind,-15} {c.Read,10:N0} read  {what}  [{r.Mode}, {r.Elapsed.TotalSeconds:0.0} s]"));
                var shown = r.Rejects.Take(5).ToList();
                foreach (var reject in shown)
                {
                    output.WriteLine(reject.Kept
                        ? $"    kept ledger_id={reject.LedgerId ?? "?"} without its {reject.Column} '{reject.Value}': {reject.Message}"
                        : $"    rejected ledger_id={reject.LedgerId ?? "?"}, {reject.Column} = '{reject.Value}': {reject.Message}");
                }

                var more = c.Rejected - shown.Count(x => !x.Kept);
                if (more > 0 || r.Rejects.Count > shown.Count)
                {
                    output.WriteLine(more > 0
                        ? string.Create(CultureInfo.InvariantCulture, $"    … and {more:N0} more rejected, each in the store's sync_rejects table")
                        : "    … and more in the store's sync_rejects table");
                }
            }
        }
    }
}
