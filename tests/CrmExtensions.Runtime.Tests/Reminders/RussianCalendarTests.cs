using CrmExtensions.Runtime.Reminders;

namespace CrmExtensions.Runtime.Tests.Reminders;

public sealed class RussianCalendarTests
{
    [TestCase("2025-01-08", false)] // New Year holidays
    [TestCase("2025-01-09", true)]
    [TestCase("2025-02-24", true)]
    [TestCase("2025-06-12", false)] // Russia Day, a Thursday
    [TestCase("2025-11-04", false)] // National Unity Day, a Tuesday
    [TestCase("2025-11-01", true)]  // a Saturday worked by the 2025 decree
    [TestCase("2025-11-02", false)] // a Sunday
    [TestCase("2025-05-08", false)] // moved from Sunday 23 February by the 2025 decree
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
    [TestCase("2025-06-15", "2025-06-11")] // Sunday after the holiday week-end (Friday 13 June moved off by decree): Wednesday
    [TestCase("2025-01-08", "2024-12-28")] // the end of the New Year holidays: the Saturday worked before them
    public void DueBound_Day_IsTheLastWorkingDayOnOrBefore(string day, string bound)
    {
        var settings = new ReminderSettings { Calendar = RussianCalendar.Create() };

        Assert.That(settings.DueBound(DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture)),
            Is.EqualTo(DateOnly.Parse(bound, System.Globalization.CultureInfo.InvariantCulture)));
    }

    // Issue 20, item 8: the calendar lacked the transfer rule and the yearly decrees.
    [TestCase("2022-06-13", false)] // Russia Day on a Sunday: Monday off (art. 112)
    [TestCase("2023-11-06", false)] // National Unity Day on a Saturday: Monday off (art. 112)
    [TestCase("2023-02-24", false)] // moved from Sunday 1 January by the 2023 decree
    [TestCase("2022-03-05", true)]  // a Saturday worked by the 2022 decree
    [TestCase("2024-12-28", true)]  // a Saturday worked by the 2024 decree
    [TestCase("2024-12-31", false)]
    [TestCase("2026-01-09", false)]
    [TestCase("2026-03-09", false)]
    [TestCase("2021-11-05", false)]
    [TestCase("2020-05-05", false)]
    public void Create_Default_KnowsEachPublishedYearsMovedDays(string day, bool working) =>
        Assert.That(RussianCalendar.Create().IsWorkingDay(DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture)), Is.EqualTo(working));

    [TestCase(2020, 248)]
    [TestCase(2021, 247)]
    [TestCase(2022, 247)]
    [TestCase(2023, 247)]
    [TestCase(2024, 248)]
    [TestCase(2025, 247)]
    [TestCase(2026, 247)]
    public void Create_PublishedYear_HasAsManyWorkingDaysAsItsPublishedCalendar(int year, int workingDays)
    {
        var calendar = RussianCalendar.Create();
        var days = Enumerable.Range(0, DateTime.IsLeapYear(year) ? 366 : 365).Select(i => new DateOnly(year, 1, 1).AddDays(i));

        Assert.That(days.Count(calendar.IsWorkingDay), Is.EqualTo(workingDays));
        Assert.That(RussianCalendar.Decree(year), Does.StartWith("Постановление Правительства РФ"));
    }

    [Test]
    public void PublishedYears_CoverTheYearsThatHaveADecree() =>
        Assert.That(RussianCalendar.PublishedYears, Is.SupersetOf(Enumerable.Range(2020, 7)));

    [TestCase("2027-05-03", false)] // 1 May on a Saturday
    [TestCase("2027-05-10", false)] // 9 May on a Sunday
    [TestCase("2027-06-14", false)] // 12 June on a Saturday
    [TestCase("2027-05-04", true)]
    [TestCase("2028-11-06", false)] // 4 November on a Saturday
    [TestCase("2027-01-11", true)]  // January holidays on a weekend are moved only by a decree
    public void Create_YearWithoutAPublishedDecree_FallsBackToArticle112(string day, bool working)
    {
        var date = DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture);

        Assert.That(RussianCalendar.Decree(date.Year), Is.Null);
        Assert.That(RussianCalendar.Create().IsWorkingDay(date), Is.EqualTo(working));
    }

    [Test]
    public void Create_ConfiguredDays_WinOverTheFallback()
    {
        var calendar = RussianCalendar.Create([new DateOnly(2027, 11, 5)], [new DateOnly(2027, 11, 13)]);

        Assert.That(calendar.IsWorkingDay(new DateOnly(2027, 11, 5)), Is.False);
        Assert.That(calendar.IsWorkingDay(new DateOnly(2027, 11, 13)), Is.True);
    }
}
