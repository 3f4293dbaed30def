using System.Globalization;

namespace CrmExtensions.Sdk.Jobs;

/// <summary>When a job runs: daily at a time of day in the host's time zone, or every so many minutes (SDK 1.2).</summary>
/// <remarks>
/// A schedule cuts time into slots; the host runs a job in the first cycle of <c>crmx run</c> (or <c>crmx jobs run</c>)
/// that comes after its slot starts, once per slot. A daily slot whose time does not exist on a day (a daylight-saving
/// gap) starts at the first moment after the gap.
/// </remarks>
public sealed class JobSchedule
{
    private JobSchedule(TimeOnly? dailyAt, TimeSpan? interval)
    {
        DailyTime = dailyAt;
        Interval = interval;
    }

    /// <summary>Gets the time of day of a daily schedule, or null.</summary>
    public TimeOnly? DailyTime { get; }

    /// <summary>Gets the period of a repeating schedule, or null.</summary>
    public TimeSpan? Interval { get; }

    /// <summary>A slot every day at a time of day in the host's time zone (<c>reminders:timeZone</c>).</summary>
    /// <param name="time">The time of day, such as 06:00.</param>
    /// <returns>The schedule.</returns>
    public static JobSchedule DailyAt(TimeOnly time) => new(time, null);

    /// <summary>A slot every <paramref name="minutes"/> minutes, counted from midnight UTC each day (a period that does not
    /// divide a day leaves a shorter last slot before midnight).</summary>
    /// <param name="minutes">From 1 to 1,440.</param>
    /// <returns>The schedule.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The period is not from 1 to 1,440 minutes.</exception>
    public static JobSchedule EveryMinutes(int minutes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minutes, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minutes, 24 * 60);
        return new(null, TimeSpan.FromMinutes(minutes));
    }

    /// <summary>A slot every <paramref name="period"/>, counted from midnight UTC; for periods that are not whole minutes.</summary>
    /// <param name="period">From one second to one day, a whole number of seconds.</param>
    /// <returns>The schedule.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The period is out of range or not a whole number of seconds.</exception>
    public static JobSchedule Every(TimeSpan period)
    {
        if (period < TimeSpan.FromSeconds(1) || period > TimeSpan.FromDays(1) || period.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(period), period, "A job's period is a whole number of seconds from one second to one day.");
        }

        return new(null, period);
    }

    /// <summary>The start of the latest slot that has begun at <paramref name="now"/>.</summary>
    /// <param name="now">The moment.</param>
    /// <param name="timeZone">The host's time zone, for a daily schedule.</param>
    /// <returns>The slot's start, at or before <paramref name="now"/>.</returns>
    public DateTimeOffset LatestSlot(DateTimeOffset now, TimeZoneInfo timeZone)
    {
        ArgumentNullException.ThrowIfNull(timeZone);
        if (Interval is { } period)
        {
            var midnight = now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerDay);
            return new DateTimeOffset(midnight + ((now.UtcTicks - midnight) / period.Ticks * period.Ticks), TimeSpan.Zero);
        }

        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, timeZone).DateTime);
        var slot = At(today, timeZone);
        return slot <= now ? slot : At(today.AddDays(-1), timeZone);
    }

    /// <summary>Describes the schedule: <c>daily at 06:00</c>, <c>every 15 min</c>.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => Interval is { } period
        ? period.Ticks % TimeSpan.TicksPerMinute == 0
            ? string.Create(CultureInfo.InvariantCulture, $"every {(int)period.TotalMinutes} min")
            : string.Create(CultureInfo.InvariantCulture, $"every {(int)period.TotalSeconds} s")
        : string.Create(CultureInfo.InvariantCulture, $"daily at {DailyTime!.Value:HH\\:mm}");

    private DateTimeOffset At(DateOnly day, TimeZoneInfo timeZone)
    {
        var local = day.ToDateTime(DailyTime!.Value, DateTimeKind.Unspecified);
        while (timeZone.IsInvalidTime(local))
        {
            local = local.AddMinutes(1);
        }

        // An ambiguous time (clocks turned back) is its first occurrence, the one with the larger offset.
        var offset = timeZone.IsAmbiguousTime(local) ? timeZone.GetAmbiguousTimeOffsets(local).Max() : timeZone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToUniversalTime();
    }
}
