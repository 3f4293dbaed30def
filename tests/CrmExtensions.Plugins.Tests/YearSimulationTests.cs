using System.Globalization;
using CrmExtensions.Runtime;
using CrmExtensions.Store;
using CrmExtensions.Testing;
using Dapper;
using Microsoft.Extensions.Time.Testing;

namespace CrmExtensions.Plugins.Tests;

/// <summary>
/// The three shipped plugins, loaded from their built folders by the real runtime, evaluated for every day of a year
/// over a store synced and unified from the sample ledgers, with a fake clock; once straight through, and once with the
/// runtime thrown away at day 180 and a new one loaded over the same store, as after a restart.
/// </summary>
[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.All))]
[NonParallelizable]
public sealed class YearSimulationTests(DatabaseProvider provider)
{
    private static readonly DateOnly First = new(2025, 1, 1);
    private static readonly DateOnly Last = new(2025, 12, 31);
    private static readonly int[] Levels = [1, 14, 30, 60];
    private const int LapseDays = 180;
    private const int RemindWithinDays = 90;

    private SampleWorkspace _straight = null!;
    private SampleWorkspace _restarted = null!;
    private TempDirectory _plugins = null!;

    [OneTimeSetUp]
    public async Task SimulateTheYearTwice()
    {
        _straight = SampleWorkspace.Create(provider, Last);
        _restarted = SampleWorkspace.Create(provider, Last, ledgersFrom: _straight.Path);
        _plugins = new TempDirectory();
        var plugins = ShippedPlugins.Install(_plugins.Path);

        await SimulateAsync(_straight, plugins, restartAfter: null);
        await SimulateAsync(_restarted, plugins, restartAfter: 180);
    }

    [OneTimeTearDown]
    public void TearDown()
    {
        _straight?.Dispose();
        _restarted?.Dispose();
        _plugins?.Dispose();
    }

    private static async Task SimulateAsync(SampleWorkspace workspace, string plugins, int? restartAfter)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(First.ToDateTime(new TimeOnly(9, 0)), TimeSpan.Zero));
        clock.SetLocalTimeZone(TimeZoneInfo.Utc);
        var store = workspace.OpenStore(clock);
        var runtime = await PluginRuntime.LoadAsync(plugins, store);
        try
        {
            Assert.That(runtime.Plugins.Select(p => (p.Id, p.State)), Has.Exactly(ShippedPlugins.All.Count).Matches<(string?, PluginState)>(p => p.Item2 == PluginState.Loaded),
                string.Join("; ", runtime.Plugins.Select(p => p.Id + ": " + p.Reason)));
            for (var day = First; day <= Last; day = day.AddDays(1))
            {
                clock.SetUtcNow(new DateTimeOffset(day.ToDateTime(new TimeOnly(9, 0)), TimeSpan.Zero));
                var summary = await runtime.RunRemindersAsync(day);
                Assert.That(summary.Problems, Is.Empty, $"on {day}");
                if (day.DayNumber - First.DayNumber + 1 == restartAfter)
                {
                    runtime.Dispose();
                    runtime = await PluginRuntime.LoadAsync(plugins, workspace.OpenStore(clock));
                }
            }
        }
        finally
        {
            runtime.Dispose();
        }
    }

    private List<T> Query<T>(string sql) => Query<T>(_straight.Store, sql);

    private static List<T> Query<T>(CrmStore store, string sql)
    {
        using var connection = store.Open();
        return connection.Query<T>(sql).ToList();
    }

    private static DateOnly Day(string text) => DateOnly.ParseExact(text[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Reminder key → day it was stored, of one plugin.</summary>
    private Dictionary<string, DateOnly> Reminders(string pluginId) =>
        Query<(string Key, string CreatedAt)>($"SELECT reminder_key, created_at FROM reminders WHERE plugin_id = '{pluginId}'")
            .ToDictionary(r => r.Key, r => Day(r.CreatedAt));

    /// <summary>Outbox business key → day it was queued, for keys starting with a prefix.</summary>
    private Dictionary<string, DateOnly> Mails(string prefix) =>
        Query<(string Key, string CreatedAt)>($"SELECT business_key, created_at FROM outbox WHERE business_key LIKE '{prefix}%'")
            .ToDictionary(r => r.Key, r => Day(r.CreatedAt));

    [Test]
    public void Greetings_EveryBirthdayOfTheYear_GreetedOnceOnTheDay()
    {
        var contacts = Query<(string Ledger, string Id, string Name, string? Email, string Birthday, long Client)>(
            "SELECT ct.ledger, ct.ledger_id, ct.full_name, ct.email, ct.birthday, cm.client_id FROM mirror_contacts ct " +
            "JOIN client_members cm ON cm.ledger = ct.ledger AND cm.ledger_id = ct.counterparty_id WHERE ct.birthday IS NOT NULL");
        // One person may be a contact of several counterparties of one client (a director of a duplicate or a branch).
        var people = contacts
            .Select(c => (c.Ledger, c.Id, c.Email, Person: (c.Client, string.Join(' ', c.Name.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToUpperInvariant().Replace('Ё', 'Е'), Day(c.Birthday)), Since: Day(c.Birthday)))
            .GroupBy(c => c.Person)
            .Select(g => (Keys: g.Select(c => $"birthday:{c.Ledger}/{c.Id}:2025").ToList(), HasEmail: g.Any(c => c.Email is not null), On: OnIn2025(g.Key.Item3)))
            .Where(p => p.On is not null)
            .ToList();
        var mails = Mails("birthday:");

        Assert.That(people.Count(p => p.HasEmail), Is.GreaterThan(20), "the sample must have birthdays to greet");
        Assert.That(people.Where(p => p.HasEmail).Select(p => p.Keys.Count(mails.ContainsKey)), Has.All.EqualTo(1), "each person greeted exactly once");
        Assert.That(people.Where(p => !p.HasEmail).SelectMany(p => p.Keys).Where(mails.ContainsKey), Is.Empty, "no address, no mail");
        Assert.That(people.Where(p => p.HasEmail).Select(p => mails[p.Keys.First(mails.ContainsKey)] == p.On), Has.All.True, "greeted on the day");
        Assert.That(mails.Keys.Where(k => k.EndsWith(":2025", StringComparison.Ordinal)).Count(), Is.EqualTo(people.Count(p => p.HasEmail)));
    }

    private static DateOnly? OnIn2025(DateOnly since)
    {
        var date = new DateOnly(2025, since.Month, Math.Min(since.Day, DateTime.DaysInMonth(2025, since.Month)));
        return date > since ? date : null;
    }

    [Test]
    public void Receivables_EveryOverdueInvoice_DunnedOnceAtEachLevelAndNeverAfterItIsPaid()
    {
        var invoices = Query<(string Ledger, string Id, string? DueOn, long Amount, long? PaidAmount, string? SettledOn)>(
            "SELECT ledger, ledger_id, due_on, amount, paid_amount, settled_on FROM mirror_invoices WHERE vanished_at IS NULL AND due_on IS NOT NULL");
        var payments = Query<(string Ledger, string InvoiceId, string PaidOn, long Amount)>(
            "SELECT ledger, invoice_id, paid_on, amount FROM mirror_payments WHERE invoice_id IS NOT NULL AND vanished_at IS NULL")
            .ToLookup(p => (p.Ledger, p.InvoiceId));
        var expected = new Dictionary<string, DateOnly>();
        var paidOn = new Dictionary<string, DateOnly?>();
        foreach (var invoice in invoices)
        {
            var due = Day(invoice.DueOn!);
            var mine = payments[(invoice.Ledger, invoice.Id)].Select(p => (On: Day(p.PaidOn), p.Amount)).OrderBy(p => p.On).ToList();
            var key = $"{invoice.Ledger}/{invoice.Id}";
            var settled = invoice.SettledOn is null ? (DateOnly?)null : Day(invoice.SettledOn);
            paidOn[key] = mine.Count > 0 && mine.Sum(p => p.Amount) >= invoice.Amount ? mine[^1].On : settled;
            for (var level = 1; level <= Levels.Length; level++)
            {
                // Paying only ever goes forward: the level is warranted on its first day in the year or never.
                var day = First > due.AddDays(Levels[level - 1]) ? First : due.AddDays(Levels[level - 1]);
                var byDay = mine.Where(p => p.On <= day).ToList();
                var paid = byDay.Count > 0 ? byDay.Sum(p => p.Amount) : settled is null ? invoice.PaidAmount ?? 0 : 0;
                // Escalation supersedes: a level reached on the same day as a higher one (catching up at the start) is skipped.
                var higherSameDay = level < Levels.Length && (First > due.AddDays(Levels[level]) ? First : due.AddDays(Levels[level])) == day;
                if (day <= Last && !(settled <= day) && invoice.Amount - paid > 0 && !higherSameDay)
                {
                    expected[$"dunning:{key}:{level}"] = day;
                }
            }
        }

        var reminders = Reminders("CrmExtensions.Receivables");
        var mails = Mails("dunning:");

        Assert.That(expected, Has.Count.GreaterThan(30), "the sample must have overdue invoices in the year");
        Assert.That(reminders, Is.EqualTo(expected), "one reminder per invoice and level reached, on the day it was reached, the firmest only when several are reached at once");
        Assert.That(mails.Keys, Is.SubsetOf(reminders.Keys));
        Assert.That(mails.Where(m => paidOn[m.Key[8..m.Key.LastIndexOf(':')]] is { } paid && m.Value >= paid), Is.Empty, "no letter on or after payment");
        Assert.That(mails.Select(m => m.Value == reminders[m.Key]), Has.All.True);
    }

    [Test]
    public void Lifecycle_LapsingClients_FlaggedAndRemindedOncePerLapse()
    {
        var invoices = Query<(long Client, string IssuedOn)>(
            "SELECT cm.client_id, i.issued_on FROM mirror_invoices i JOIN client_members cm ON cm.ledger = i.ledger AND cm.ledger_id = i.counterparty_id " +
            "WHERE i.vanished_at IS NULL")
            .GroupBy(i => i.Client)
            .ToDictionary(g => g.Key, g => g.Select(i => Day(i.IssuedOn)).Order().ToList());
        var expected = new Dictionary<string, DateOnly>();
        foreach (var (client, days) in invoices)
        {
            for (var day = First; day <= Last; day = day.AddDays(1))
            {
                var last = days.LastOrDefault(d => d <= day);
                var since = day.DayNumber - last.DayNumber;
                if (last != default && since >= LapseDays && since < LapseDays + RemindWithinDays)
                {
                    expected.TryAdd($"lapse:{client}:{last:yyyy-MM-dd}", day);
                }
            }
        }

        var reminders = Reminders("CrmExtensions.Lifecycle");
        var atRisk = Query<long>("SELECT client_id FROM client_tags WHERE name = 'lifecycle.at_risk' AND value = 'true'").ToHashSet();
        var lapsedAtEnd = invoices.Where(c => Last.DayNumber - c.Value[^1].DayNumber >= LapseDays).Select(c => c.Key).ToHashSet();
        var stages = Query<(long Client, string Stage)>("SELECT client_id, value FROM client_tags WHERE name = 'lifecycle.stage'");

        Assert.That(expected, Has.Count.GreaterThan(5), "the sample must have clients that lapse in the year");
        Assert.That(reminders, Is.EqualTo(expected));
        Assert.That(atRisk, Is.EquivalentTo(lapsedAtEnd));
        Assert.That(stages.Select(s => s.Client), Is.EquivalentTo(Query<long>("SELECT client_id FROM clients WHERE retired_at IS NULL")));
        Assert.That(stages.Select(s => s.Stage).Distinct(), Is.SubsetOf(new[] { "awareness", "exploration", "expansion", "commitment", "dissolution" }));
    }

    [Test]
    public void Restart_InTheMiddleOfTheYear_DuplicatesAndLosesNothing()
    {
        const string reminders = "SELECT plugin_id, reminder_key, title, due_on, created_at FROM reminders";
        const string outbox = "SELECT business_key, plugin_id, template, to_address, subject, body, created_at FROM outbox";
        const string tags = "SELECT client_id, name, value, plugin_id, updated_at FROM client_tags";

        foreach (var sql in new[] { reminders, outbox, tags })
        {
            var straight = Snapshot(_straight.Store, sql);
            var restarted = Snapshot(_restarted.Store, sql);
            Assert.That(straight, Is.Not.Empty, sql);
            Assert.That(restarted, Is.EqualTo(straight), sql);
        }
    }

    private static List<string> Snapshot(CrmStore store, string sql)
    {
        using var connection = store.Open();
        return connection.Query(sql).Select(r => string.Join(" | ", ((IDictionary<string, object?>)r).Values.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture))))
            .Order(StringComparer.Ordinal).ToList();
    }
}
