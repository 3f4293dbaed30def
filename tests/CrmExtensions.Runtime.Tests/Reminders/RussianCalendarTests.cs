using CrmExtensions.Runtime.Reminders;

namespace CrmExtensions.Runtime.Tests.Reminders;

public sealed class RussianCalendarTests
{
    [TestCase("2025-01-08", false)] // New Year holidays
    [TestCase("2025-01-09", true)]
    [TestCase("2025-02-24", true)]
    [TestCase("2025-06-12", false)] // Russia Day, a Thursday
    [TestCase("2025-11-04", false)] // National Unity Day, a Tuesday
    [TestCase("2025-11-01", false)] // a Saturday
    [TestCase("2025-05-08", true)]
    public void Create_Default_KnowsTheFixedDaysOff(string day, bool working) =>
        Assert.That(RussianCalendar.Create().IsWorkingDay(DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture)), Is.EqualTo(working));

    [Test]
    public void Create_MovedDays_AreTakenFromConfiguration()
    {
        var calendar = RussianCalendar.Create([new DateOnly(2025, 5, 2)], [new DateOnly(2025, 11, 1)]);

        Assert.That(calendar.IsWorkingDay(new DateOnly(2025, 5, 2)), Is.False, "a Friday made a day off");
        Assert.That(calendar.IsWorkingDay(new DateOnly(2025, 11, 1)), Is.True, "a Saturday worked");
        Assert.That(calendar.NextWorkingDay(new DateOnly(2025, 5, 1)), Is.EqualTo(new DateOnly(2025, 5, 5)));
    }

    [TestCase("2025-06-11", "2025-06-11")] // a working day bounds itself
    [TestCase("2025-06-12", "2025-06-11")] // the holiday: what is shown by then was due by the day before
    [TestCase("2025-06-15", "2025-06-13")] // Sunday after the holiday week-end: Friday
    [TestCase("2025-01-08", "2024-12-31")] // the end of the New Year holidays
    public void DueBound_Day_IsTheLastWorkingDayOnOrBefore(string day, string bound)
    {
        var settings = new ReminderSettings { Calendar = RussianCalendar.Create() };

        Assert.That(settings.DueBound(DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture)),
            Is.EqualTo(DateOnly.Parse(bound, System.Globalization.CultureInfo.InvariantCulture)));
    }
}
