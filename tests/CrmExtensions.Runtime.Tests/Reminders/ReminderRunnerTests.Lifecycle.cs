using CrmExtensions.Runtime.Reminders;
using CrmExtensions.Testing;
using Dapper;
using Microsoft.Extensions.Time.Testing;

namespace CrmExtensions.Runtime.Tests.Reminders;

/// <summary>The reminder life cycle with the real Test.Reminders plugin: a call task and a dunning mail per overdue invoice.</summary>
public sealed partial class ReminderRunnerTests
{
    private static readonly TimeZoneInfo Moscow = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");

    private static readonly ReminderSettings Russia = new() { TimeZone = Moscow, Calendar = RussianCalendar.Create() };

    private static void AddCounterparty(TestStore store, string id, string manager)
    {
        using var connection = store.Store.Open();
        connection.Execute(
            "INSERT INTO mirror_counterparties (ledger, ledger_id, name, manager, row_hash, first_seen_at, synced_at) VALUES ('main', @id, @name, @manager, 0, 'x', 'x')",
            new { id, name = "ООО «Ромашка " + id + "»", manager });
    }

    private static void Settle(TestStore store, string id, string on)
    {
        using var connection = store.Store.Open();
        connection.Execute("UPDATE mirror_invoices SET settled_on = @on WHERE ledger = 'main' AND ledger_id = @id", new { id, on });
    }

    private static async Task<PluginRuntime> LoadRemindersAsync(TempDirectory root, TestStore store) =>
        await PluginRuntime.LoadAsync(TestPlugins.Install(root, "Reminders"), store.Store);

    private static FakeTimeProvider MoscowMorning(int year, int month, int day) => new(new DateTimeOffset(year, month, day, 9, 0, 0, TimeSpan.FromHours(3)));

    private List<(string Key, long Count)> KeyCounts(TestStore store) =>
        store.Query<(string Key, long Count)>("SELECT reminder_key, COUNT(*) FROM reminders GROUP BY reminder_key ORDER BY reminder_key");

    [Test]
    public async Task RunRemindersAsync_EvaluatedRepeatedly_StoresEachReminderAndMailOnce()
    {
        using var root = new TempDirectory();
        var clock = MoscowMorning(2025, 3, 3);
        using var store = new TestStore(provider, clock);
        AddCounterparty(store, "C1", "Иванова");
        AddInvoice(store, "INV-1", "2025-02-01", 1_234_500);
        AddInvoice(store, "INV-2", "2025-02-20", 500_000);
        AddInvoice(store, "INV-3", "2025-04-01", 10_000);
        using var runtime = await LoadRemindersAsync(root, store);

        var first = await runtime.RunRemindersAsync(Russia);
        clock.Advance(TimeSpan.FromHours(1));
        var second = await runtime.RunRemindersAsync(Russia);
        var third = await runtime.RunRemindersAsync(Russia);

        Assert.That(first.Problems, Is.Empty);
        Assert.That((first.Rules, first.NewReminders, first.MailsQueued, first.Today), Is.EqualTo((2, 4, 2, new DateOnly(2025, 3, 3))));
        Assert.That((second.NewReminders, second.MailsQueued, second.Cancelled, third.NewReminders, third.Cancelled), Is.EqualTo((0, 0, 0, 0, 0)));
        Assert.That(KeyCounts(store), Is.EqualTo(new[]
        {
            ("call:main/INV-1", 1L), ("call:main/INV-2", 1L), ("dunning:main/INV-1:1", 1L), ("dunning:main/INV-2:1", 1L),
        }));
        Assert.That(store.Query<string>("SELECT business_key FROM outbox ORDER BY business_key"), Is.EqualTo(new[] { "dunning:main/INV-1:1", "dunning:main/INV-2:1" }));
        var call = store.Query<(string Status, string Kind, string Rule, string Manager)>(
            "SELECT status, kind, rule_name, manager FROM reminders WHERE reminder_key = 'call:main/INV-1'").Single();
        Assert.That(call, Is.EqualTo(("open", "task", "Reminders.CallRule", "Иванова")));
        Assert.That(store.Scalar<string>("SELECT kind FROM reminders WHERE reminder_key = 'dunning:main/INV-1:1'"), Is.EqualTo("mail"));
        Assert.That(first.Plugins.Single(), Has.Property("PluginId").EqualTo("Test.Reminders").And.Property("NewReminders").EqualTo(4));
    }

    [Test]
    public async Task RunRemindersAsync_InvoicePaid_CancelsOpenRemindersAndTheirQueuedMail()
    {
        using var root = new TempDirectory();
        var clock = MoscowMorning(2025, 3, 3);
        using var store = new TestStore(provider, clock);
        AddCounterparty(store, "C1", "Иванова");
        AddInvoice(store, "INV-1", "2025-02-01", 1_234_500);
        AddInvoice(store, "INV-2", "2025-02-20", 500_000);
        using var runtime = await LoadRemindersAsync(root, store);
        await runtime.RunRemindersAsync(Russia);
        using (var connection = store.Store.Open())
        {
            // INV-2's mail went out already; INV-1's is still queued.
            connection.Execute("UPDATE outbox SET status = 'sent' WHERE business_key = 'dunning:main/INV-2:1'");
        }

        Settle(store, "INV-1", "2025-03-03");
        Settle(store, "INV-2", "2025-03-03");
        clock.Advance(TimeSpan.FromHours(2));
        var after = await runtime.RunRemindersAsync(Russia);

        Assert.That((after.NewReminders, after.Cancelled, after.MailsCancelled), Is.EqualTo((0, 4, 1)));
        Assert.That(store.Query<string>("SELECT DISTINCT status FROM reminders"), Is.EqualTo(new[] { "cancelled" }));
        Assert.That(store.Query<(string Key, string Status)>("SELECT business_key, status FROM outbox ORDER BY business_key"),
            Is.EqualTo(new[] { ("dunning:main/INV-1:1", "cancelled"), ("dunning:main/INV-2:1", "sent") }));
        Assert.That(store.Query<string>("SELECT DISTINCT closed_by FROM reminders"), Is.EqualTo(new[] { "rule" }));
        Assert.That(store.Scalar<string>("SELECT closed_at FROM reminders WHERE reminder_key = 'call:main/INV-1'"), Is.EqualTo("2025-03-03T08:00:00.000Z"));
    }

    [Test]
    public async Task RunRemindersAsync_DoneAndDismissedByPeople_StayClosedAndAreNeverRecreated()
    {
        using var root = new TempDirectory();
        var clock = MoscowMorning(2025, 3, 3);
        using var store = new TestStore(provider, clock);
        AddCounterparty(store, "C1", "Иванова");
        AddInvoice(store, "INV-1", "2025-02-01", 1_234_500);
        AddInvoice(store, "INV-2", "2025-02-20", 500_000);
        using var runtime = await LoadRemindersAsync(root, store);
        await runtime.RunRemindersAsync(Russia);
        var book = new ReminderBook(store.Store, Russia);

        var done = book.Close("call:main/INV-1", null, ReminderStatus.Done, "Иванова", null);
        var dismissed = book.Close("call:main/INV-2", "Test.Reminders", ReminderStatus.Dismissed, "Петров", "клиент в отпуске");
        var again = book.Close("call:main/INV-1", null, ReminderStatus.Dismissed, "Петров", null);
        var unknown = book.Close("call:main/INV-9", null, ReminderStatus.Done, "Петров", null);
        Settle(store, "INV-1", "2025-03-04");
        clock.Advance(TimeSpan.FromDays(1));
        var after = await runtime.RunRemindersAsync(Russia);

        Assert.That((done.Outcome, dismissed.Outcome, again.Outcome, again.Status, unknown.Outcome),
            Is.EqualTo((CloseOutcome.Closed, CloseOutcome.Closed, CloseOutcome.AlreadyClosed, (ReminderStatus?)ReminderStatus.Done, CloseOutcome.NotFound)));
        Assert.That((after.NewReminders, after.Cancelled), Is.EqualTo((0, 1)), "only INV-1's open dunning reminder is cancelled");
        Assert.That(store.Query<(string Key, string Status, string? By, string? Note)>(
            "SELECT reminder_key, status, closed_by, note FROM reminders WHERE reminder_key LIKE 'call:%' ORDER BY reminder_key"), Is.EqualTo(new[]
        {
            ("call:main/INV-1", "done", (string?)"Иванова", (string?)null), ("call:main/INV-2", "dismissed", "Петров", "клиент в отпуске"),
        }));
        Assert.That(KeyCounts(store).Select(k => k.Count), Has.All.EqualTo(1));
    }

    [Test]
    public async Task RunRemindersAsync_HostDownForDays_ProducesWhatFellDueMeanwhileOnceAndTellsTheLastDay()
    {
        using var root = new TempDirectory();
        var clock = MoscowMorning(2025, 3, 3);
        using var store = new TestStore(provider, clock);
        AddCounterparty(store, "C1", "Иванова");
        AddInvoice(store, "INV-1", "2025-03-01", 100_000);
        AddInvoice(store, "INV-2", "2025-03-04", 200_000);
        AddInvoice(store, "INV-3", "2025-03-06", 300_000);
        AddInvoice(store, "INV-4", "2025-03-20", 400_000);
        using var runtime = await LoadRemindersAsync(root, store);
        var monday = await runtime.RunRemindersAsync(Russia);

        // Down from Monday morning to Saturday morning: INV-2 and INV-3 fell due meanwhile.
        clock.Advance(TimeSpan.FromDays(5));
        var saturday = await runtime.RunRemindersAsync(Russia);
        clock.Advance(TimeSpan.FromHours(3));
        var again = await runtime.RunRemindersAsync(Russia);

        Assert.That((monday.NewReminders, saturday.NewReminders, again.NewReminders), Is.EqualTo((2, 4, 0)));
        Assert.That(KeyCounts(store).Select(k => k.Key), Is.EqualTo(new[]
        {
            "call:main/INV-1", "call:main/INV-2", "call:main/INV-3", "dunning:main/INV-1:1", "dunning:main/INV-2:1", "dunning:main/INV-3:1",
        }));
        Assert.That(KeyCounts(store).Select(k => k.Count), Has.All.EqualTo(1));
        Assert.That(store.Scalar<string>("SELECT value FROM plugin_data WHERE data_key = 'call:last-evaluated'"), Is.EqualTo("2025-03-08"), "the last run was on Saturday");
        Assert.That(store.Query<(string Rule, string Day)>("SELECT rule_name, last_evaluated_on FROM reminder_runs ORDER BY rule_name"),
            Is.EqualTo(new[] { ("Reminders.CallRule", "2025-03-08"), ("Reminders.DunningRule", "2025-03-08") }));
    }

    [Test]
    public async Task RunRemindersAsync_HostDownForDays_RuleIsToldTheDayItLastRan()
    {
        using var root = new TempDirectory();
        var clock = MoscowMorning(2025, 3, 3);
        using var store = new TestStore(provider, clock);
        using var runtime = await LoadRemindersAsync(root, store);
        await runtime.RunRemindersAsync(Russia);
        var first = store.Scalar<string>("SELECT value FROM plugin_data WHERE data_key = 'call:last-evaluated'");

        clock.Advance(TimeSpan.FromDays(4));
        await runtime.RunRemindersAsync(Russia);

        Assert.That(first, Is.EqualTo("never"));
        Assert.That(store.Scalar<string>("SELECT value FROM plugin_data WHERE data_key = 'call:last-evaluated'"), Is.EqualTo("2025-03-03"));
        Assert.That(store.Scalar<string>("SELECT value FROM plugin_data WHERE data_key = 'call:today'"), Is.EqualTo("2025-03-07"));
    }

    [TestCase("UTC", "2025-03-01")]
    [TestCase("Europe/Moscow", "2025-03-02")]
    public async Task RunRemindersAsync_HalfPastMidnightInMoscow_TodayIsTheDayInTheConfiguredZone(string zone, string expectedToday)
    {
        using var root = new TempDirectory();
        // 21:30 UTC on 1 March is 00:30 on 2 March in Moscow.
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 3, 1, 21, 30, 0, TimeSpan.Zero));
        using var store = new TestStore(provider, clock);
        AddCounterparty(store, "C1", "Иванова");
        AddInvoice(store, "INV-1", "2025-03-01", 100_000);
        using var runtime = await LoadRemindersAsync(root, store);

        var summary = await runtime.RunRemindersAsync(new ReminderSettings { TimeZone = TimeZoneInfo.FindSystemTimeZoneById(zone) });

        Assert.That(summary.Today, Is.EqualTo(DateOnly.Parse(expectedToday, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.That(summary.NewReminders, Is.EqualTo(zone == "UTC" ? 0 : 2), "an invoice due on 1 March is overdue from 2 March");
    }

    [Test]
    public async Task Due_TasksDueOnWeekendsAndHolidays_AreShownOnTheNextWorkingDay()
    {
        using var root = new TempDirectory();
        var clock = MoscowMorning(2025, 6, 20);
        using var store = new TestStore(provider, clock);
        AddCounterparty(store, "C1", "Иванова");
        AddInvoice(store, "INV-SAT", "2025-05-31", 100_000);  // call due Saturday 7 June → Monday 9 June
        AddInvoice(store, "INV-HOL", "2025-06-05", 100_000);  // call due Thursday 12 June, Russia Day → Monday 16 June (Friday 13th moved off by decree)
        AddInvoice(store, "INV-WED", "2025-06-04", 100_000);  // call due Wednesday 11 June: a working day
        using var runtime = await LoadRemindersAsync(root, store);
        await runtime.RunRemindersAsync(Russia);
        var book = new ReminderBook(store.Store, Russia);

        var calls = book.List(ReminderStatus.Open).Where(r => r.Key.StartsWith("call:", StringComparison.Ordinal)).ToDictionary(r => r.Key);
        var dueOnSunday = book.Due(new DateOnly(2025, 6, 8)).Where(r => r.Kind == "task").Select(r => r.Key);
        var dueOnMonday = book.Due(new DateOnly(2025, 6, 9)).Where(r => r.Kind == "task").Select(r => r.Key);
        var dueOnHoliday = book.Due(new DateOnly(2025, 6, 12)).Where(r => r.Kind == "task").Select(r => r.Key);
        var dueAfterTheHolidays = book.Due(new DateOnly(2025, 6, 16)).Where(r => r.Kind == "task").Select(r => r.Key);

        Assert.That(calls["call:main/INV-SAT"].ShownDueOn, Is.EqualTo(new DateOnly(2025, 6, 9)));
        Assert.That(calls["call:main/INV-HOL"].ShownDueOn, Is.EqualTo(new DateOnly(2025, 6, 16)));
        Assert.That(calls["call:main/INV-WED"].ShownDueOn, Is.EqualTo(new DateOnly(2025, 6, 11)));
        Assert.That(calls["call:main/INV-HOL"].DueOn, Is.EqualTo(new DateOnly(2025, 6, 12)), "the rule's own day is kept");
        Assert.That(dueOnSunday, Is.Empty, "Saturday's task is shown on Monday");
        Assert.That(dueOnMonday, Is.EqualTo(new[] { "call:main/INV-SAT" }));
        Assert.That(dueOnHoliday, Is.EqualTo(new[] { "call:main/INV-SAT", "call:main/INV-WED" }), "the holiday's own task waits for the next working day");
        Assert.That(dueAfterTheHolidays, Is.EqualTo(new[] { "call:main/INV-SAT", "call:main/INV-WED", "call:main/INV-HOL" }));
    }

    [Test]
    public async Task RunRemindersAsync_TwoHostsEvaluatingAtOnce_StoreEachReminderAndMailOnce()
    {
        using var root = new TempDirectory();
        var clock = MoscowMorning(2025, 3, 3);
        using var store = new TestStore(provider, clock);
        AddCounterparty(store, "C1", "Иванова");
        for (var i = 0; i < 200; i++)
        {
            AddInvoice(store, "INV-" + i.ToString("000", System.Globalization.CultureInfo.InvariantCulture), "2025-02-01", 10_000 + i);
        }

        using var first = await LoadRemindersAsync(root, store);
        using var otherRoot = new TempDirectory();
        using var second = await PluginRuntime.LoadAsync(TestPlugins.Install(otherRoot, "Reminders"), store.Store);

        var runs = await Task.WhenAll(Enumerable.Range(0, 3).SelectMany(_ => new[]
        {
            Task.Run(() => first.RunRemindersAsync(Russia)), Task.Run(() => second.RunRemindersAsync(Russia)),
        }));

        Assert.That(runs.SelectMany(r => r.Problems), Is.Empty);
        Assert.That(runs.Sum(r => r.NewReminders), Is.EqualTo(400), "each new reminder counted by the host that stored it");
        Assert.That(runs.Sum(r => r.MailsQueued), Is.EqualTo(200));
        Assert.That(store.Scalar<long>("SELECT COUNT(*) FROM reminders"), Is.EqualTo(400));
        Assert.That(store.Scalar<long>("SELECT COUNT(DISTINCT reminder_key) FROM reminders"), Is.EqualTo(400));
        Assert.That(store.Scalar<long>("SELECT COUNT(*) FROM outbox"), Is.EqualTo(200));
    }
}
