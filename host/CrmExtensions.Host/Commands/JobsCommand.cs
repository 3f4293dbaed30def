using System.Globalization;
using CrmExtensions.Application.Jobs;
using CrmExtensions.Host.Cli;

namespace CrmExtensions.Host.Commands;

/// <summary><c>crmx jobs …</c>: the plugins' scheduled jobs (SDK 1.2).</summary>
internal static class JobsCommand
{
    public static CrmxCommand Create(CommandContext context) =>
        new CrmxCommand("jobs", "The plugins' scheduled jobs: when each last ran, and run the due ones now.")
        {
            Details = """
                A job runs daily at a time in the 'reminders:timeZone' zone or every so many minutes. 'crmx run' runs the
                due ones in every cycle; each slot runs once across restarts and across hosts sharing the store, and after
                downtime only the latest slot runs. A job that fails is tried again in the next cycles, three times per slot.
                """,
        }.With(List(context), Run(context));

    private static CrmxCommand List(CommandContext context) =>
        new CrmxCommand("list", "Every loaded plugin's jobs: schedule, the slot due now, and the latest slot's state.").Runs(context, async (run, cancellationToken) =>
        {
            var jobs = await run.Service<JobService>().ListAsync(cancellationToken).ConfigureAwait(false);
            run.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{jobs.Count:N0} jobs"));
            foreach (var j in jobs)
            {
                var latest = j.Latest is not { } l
                    ? "never ran"
                    : $"slot {l.Slot}: {l.State}{(l.Attempts > 1 ? string.Create(CultureInfo.InvariantCulture, $" after {l.Attempts} attempts") : "")}{(l.Problem is null ? "" : " — " + l.Problem)}";
                run.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{j.Job.PluginId}/{j.Job.Name}  {j.Job.Schedule}  due slot {j.DueSlot.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}  {latest}"));
            }

            return 0;
        });

    private static CrmxCommand Run(CommandContext context) =>
        new CrmxCommand("run", "Run every job whose latest slot has not run yet (what each 'crmx run' cycle does).").Runs(context, async (run, cancellationToken) =>
        {
            var summary = await run.Service<JobService>().RunDueAsync(cancellationToken).ConfigureAwait(false);
            foreach (var r in summary.Ran)
            {
                run.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{r.PluginId}/{r.Job}: slot {r.Slot.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'} {(r.Succeeded ? "done" : "FAILED")}"));
            }

            foreach (var problem in summary.Problems)
            {
                run.Error.WriteLine("problem: " + problem);
            }

            run.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"jobs: {summary.Ran.Count(r => r.Succeeded):N0} ran, {summary.Ran.Count(r => !r.Succeeded):N0} failed"));
            return summary.Ran.Any(r => !r.Succeeded) ? 1 : 0;
        });
}
