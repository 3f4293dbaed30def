using CrmExtensions.Sdk.Jobs;
using CrmExtensions.Sdk.Storage;
using CrmExtensions.Sdk.Testing;
using Microsoft.Extensions.Time.Testing;

namespace CrmExtensions.Sdk.Tests;

/// <summary>Scheduled jobs' slots (SDK 1.2), and running a job in the test kit.</summary>
public sealed class JobScheduleTests
{
    private static readonly TimeZoneInfo Moscow = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    [TestCase("2026-12-03T02:59:59Z", "2026-12-02T03:00:00Z", TestName = "Daily 06:00 Moscow, a second before: yesterday's slot")]
    [TestCase("2026-12-03T03:00:00Z", "2026-12-03T03:00:00Z", TestName = "Daily 06:00 Moscow, at the moment: today's slot")]
    [TestCase("2026-12-03T20:00:00Z", "2026-12-03T03:00:00Z", TestName = "Daily 06:00 Moscow, the evening: today's slot")]
    [TestCase("2026-12-03T22:30:00Z", "2026-12-03T03:00:00Z", TestName = "Daily 06:00 Moscow, after local midnight but before 06:00: the previous day's slot")]
    public void LatestSlot_DailyInMoscow_IsTheLastSixOClockBeforeNow(string now, string expected)
    {
        var slot = JobSchedule.DailyAt(new TimeOnly(6, 0)).LatestSlot(DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture), Moscow);

        Assert.That(slot, Is.EqualTo(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Test]
    public void LatestSlot_DailyAtATimeTheSpringGapSkips_StartsAfterTheGap()
    {
        // Berlin skipped 02:00–03:00 on 29 March 2026: a job daily at 02:30 starts at 03:00 local, 01:00 UTC.
        var slot = JobSchedule.DailyAt(new TimeOnly(2, 30)).LatestSlot(new DateTimeOffset(2026, 3, 29, 12, 0, 0, TimeSpan.Zero), Berlin);

        Assert.That(slot, Is.EqualTo(new DateTimeOffset(2026, 3, 29, 1, 0, 0, TimeSpan.Zero)));
    }

    [Test]
    public void LatestSlot_DailyAtATimeTheAutumnRepeats_IsItsFirstOccurrence()
    {
        // Berlin repeated 02:00–03:00 on 25 October 2026: 02:30 first happened at 00:30 UTC (summer time).
        var slot = JobSchedule.DailyAt(new TimeOnly(2, 30)).LatestSlot(new DateTimeOffset(2026, 10, 25, 12, 0, 0, TimeSpan.Zero), Berlin);

        Assert.That(slot, Is.EqualTo(new DateTimeOffset(2026, 10, 25, 0, 30, 0, TimeSpan.Zero)));
    }

    [TestCase(15, "2026-12-03T10:44:59Z", "2026-12-03T10:30:00Z")]
    [TestCase(15, "2026-12-03T10:45:00Z", "2026-12-03T10:45:00Z")]
    [TestCase(7, "2026-12-03T00:06:00Z", "2026-12-03T00:00:00Z")]
    [TestCase(7, "2026-12-02T23:59:00Z", "2026-12-02T23:55:00Z")]
    public void LatestSlot_EveryNMinutes_IsAlignedFromMidnightUtc(int minutes, string now, string expected)
    {
        var slot = JobSchedule.EveryMinutes(minutes).LatestSlot(DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture), Moscow);

        Assert.That(slot, Is.EqualTo(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Test]
    public void Schedules_OutOfRange_AreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => JobSchedule.EveryMinutes(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => JobSchedule.EveryMinutes(24 * 60 + 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => JobSchedule.Every(TimeSpan.FromMilliseconds(1500)));
        Assert.That(JobSchedule.EveryMinutes(15).ToString(), Is.EqualTo("every 15 min"));
        Assert.That(JobSchedule.DailyAt(new TimeOnly(6, 5)).ToString(), Is.EqualTo("daily at 06:05"));
    }

    public sealed class JobStartup : PluginStartup
    {
        public override void Configure(IPluginBuilder plugin) => plugin.AddJob<StampJob>("stamp", JobSchedule.DailyAt(new TimeOnly(6, 0)));
    }

    public sealed class TwiceStartup : PluginStartup
    {
        public override void Configure(IPluginBuilder plugin) =>
            plugin.AddJob<StampJob>("stamp", JobSchedule.DailyAt(new TimeOnly(6, 0))).AddJob<StampJob>("stamp", JobSchedule.EveryMinutes(5));
    }

    public sealed class StampJob(IPluginStore data) : IJob
    {
        public Task RunAsync(JobContext context, CancellationToken cancellationToken) =>
            data.SetAsync("stamp", $"{context.Name} {context.Slot:yyyy-MM-dd HH:mm} {context.Today:yyyy-MM-dd}", cancellationToken);
    }

    [Test]
    public async Task RunJobAsync_InTheTestKit_RunsTheJobForTheLatestSlotAndKeepsItsWrites()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 3, 9, 0, 0, TimeSpan.Zero));
        using var harness = PluginHarness.Create<JobStartup>(clock: clock);

        await harness.RunJobAsync("stamp");

        Assert.That(harness.Crm.Data.GetValueOrDefault("stamp"), Is.EqualTo("stamp 2026-12-03 06:00 2026-12-03"));
        Assert.That(() => harness.RunJobAsync("no-such-job"), Throws.ArgumentException);
    }

    [Test]
    public void AddJob_TheSameNameTwice_IsAConfigurationError()
    {
        var error = Assert.Throws<PluginConfigurationException>(() => PluginHarness.Create<TwiceStartup>());

        Assert.That(error!.Message, Does.Contain("registers the job 'stamp' twice"));
    }
}
