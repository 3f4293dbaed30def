using System.Globalization;
using CrmExtensions.Sdk;
using CrmExtensions.Sdk.Jobs;
using CrmExtensions.Sdk.Storage;

[assembly: CrmPlugin("Test.Jobs", "1.0.0", Description = "Scheduled jobs: one every three seconds that records each run it makes, one daily, one that fails when told to.")]

namespace Jobs;

public sealed class Startup : PluginStartup
{
    public override void Configure(IPluginBuilder plugin) =>
        plugin.AddJob<CountingJob>("count", JobSchedule.Every(TimeSpan.FromSeconds(3)))
            .AddJob<MorningJob>("morning", JobSchedule.DailyAt(new TimeOnly(6, 0)))
            .AddJob<FailingJob>("failing", JobSchedule.EveryMinutes(60));
}

/// <summary>Appends "slot process" to the file named by the setting <c>log</c> each time it runs (whether or not its
/// writes commit), and records the slot in its plugin data (which commits only with the slot).</summary>
public sealed class CountingJob(IPluginSettings settings, IPluginStore data) : IJob
{
    public async Task RunAsync(JobContext context, CancellationToken cancellationToken)
    {
        var slot = context.Slot.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        if (settings.Get("log") is { Length: > 0 } log)
        {
            await File.AppendAllTextAsync(log, $"{slot} {Environment.ProcessId}\n", cancellationToken);
        }

        await data.SetAsync("slot:" + slot, Environment.ProcessId.ToString(CultureInfo.InvariantCulture), cancellationToken);
        var last = context.LastCompletedSlot?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "none";
        await data.SetAsync("previous:" + slot, last, cancellationToken);
    }
}

/// <summary>Records the day it ran for.</summary>
public sealed class MorningJob(IPluginStore data) : IJob
{
    public Task RunAsync(JobContext context, CancellationToken cancellationToken) =>
        data.SetAsync("morning", context.Today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), cancellationToken);
}

/// <summary>Writes, then throws when the setting <c>fail</c> is "yes": its write must be dropped.</summary>
public sealed class FailingJob(IPluginSettings settings, IPluginStore data) : IJob
{
    public async Task RunAsync(JobContext context, CancellationToken cancellationToken)
    {
        await data.SetAsync("failing-wrote", "yes", cancellationToken);
        if (settings.Get("fail") == "yes")
        {
            throw new InvalidOperationException("the failing job failed as asked");
        }
    }
}
