namespace CrmExtensions.Host.Tests;

/// <summary>A clock that starts at noon UTC of the day it is made and moves on with real time from there, for tests that
/// compare what <c>crmx</c> stores on ledgers made minutes apart: a run that crosses midnight still sees one day
/// (a demo ledger is made as of the clock's day, and reminders fall due by it). Timers and timestamps are real.</summary>
internal sealed class NoonClock : TimeProvider
{
    private readonly DateTimeOffset _start = DateTimeOffset.UtcNow;
    private readonly DateTimeOffset _noon;

    public NoonClock() => _noon = new DateTimeOffset(_start.UtcDateTime.Date.AddHours(12), TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => _noon + (DateTimeOffset.UtcNow - _start);
}
