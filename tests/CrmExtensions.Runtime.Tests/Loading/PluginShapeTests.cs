using System.Text.Json;
using CrmExtensions.Runtime.Loading;
using CrmExtensions.Runtime.Workers;
using CrmExtensions.Sdk.Jobs;

namespace CrmExtensions.Runtime.Tests.Loading;

public sealed class PluginShapeTests
{
    private static readonly JobSchedule[] Schedules =
    [
        JobSchedule.DailyAt(new TimeOnly(6, 0, 30, 500)),
        JobSchedule.DailyAt(new TimeOnly(23, 59)),
        JobSchedule.Every(TimeSpan.FromSeconds(90)),
        JobSchedule.EveryMinutes(24 * 60),
    ];

    [TestCaseSource(nameof(Schedules))]
    public void JobShape_ThroughTheWorkersJson_KeepsItsScheduleExactly(JobSchedule schedule)
    {
        var json = JsonSerializer.Serialize(JobShape.Of("job", schedule), WorkerProtocol.Json);

        var read = JsonSerializer.Deserialize<JobShape>(json, WorkerProtocol.Json)!.Schedule;

        Assert.That((read.DailyTime, read.Interval), Is.EqualTo((schedule.DailyTime, schedule.Interval)));
        Assert.That(json, Does.Not.Contain("schedule"), "the schedule is sent as its time or period, not as the SDK's object");
    }
}
