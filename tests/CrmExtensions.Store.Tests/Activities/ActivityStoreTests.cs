using CrmExtensions.Store.Activities;
using CrmExtensions.Testing;
using Dapper;

namespace CrmExtensions.Store.Tests.Activities;

[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.All))]
public sealed class ActivityStoreTests(DatabaseProvider provider)
{
    private TestDatabase _database = null!;
    private CrmStore _store = null!;
    private ActivityStore _activities = null!;
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero));

    [SetUp]
    public void SetUp()
    {
        _database = TestDatabase.Create(provider);
        _store = TestStores.Create(_database, _clock);
        _store.Migrate();
        ClientFixtures.Seed(_store);
        _activities = new ActivityStore(_store);
    }

    [TearDown]
    public void TearDown() => _database?.Dispose(); // null when SetUp ignored the test (no PostgreSQL)

    private static ActivityEntry Entry(long client, string subject, DateTimeOffset at, string? manager = null) => new()
    {
        ClientId = client,
        Ledger = "main",
        CounterpartyId = client == 1 ? "1" : "3",
        Kind = ActivityKinds.Call,
        Subject = subject,
        OccurredAt = at,
        Source = "cli",
        Manager = manager,
    };

    [Test]
    public void ListForClient_SeveralClients_NewestFirstOnlyTheirsAndLimited()
    {
        var day = new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);
        _activities.Add(Entry(1, "second", day.AddDays(1)));
        _activities.Add(Entry(1, "first", day));
        _activities.Add(Entry(2, "other client", day.AddDays(2)));
        _activities.Add(Entry(1, "third", day.AddDays(2)));

        var last = _activities.ListForClient(1, 2);

        Assert.That(last.Select(a => a.Subject), Is.EqualTo(new[] { "third", "second" }));
        Assert.That(last[0].ClientName, Is.EqualTo("Acme Trading"));
        Assert.That(last[0].When, Is.EqualTo(day.AddDays(2)));
    }

    [Test]
    public void ListForClient_AnotherClientMergedIntoIt_IncludesItsActivities()
    {
        var day = new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);
        _activities.Add(Entry(2, "before the merge", day));
        using (var connection = _store.Open())
        {
            connection.Execute("UPDATE clients SET retired_at = '2026-11-21T00:00:00.000Z', merged_into = 1 WHERE client_id = 2");
        }

        Assert.That(_activities.ListForClient(1, 5).Select(a => a.Subject), Is.EqualTo(new[] { "before the merge" }));
    }

    [Test]
    public void Import_RepeatedKeys_StoresEachOnce()
    {
        var at = new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);
        var rows = new[] { Entry(1, "a", at) with { ImportKey = "k1" }, Entry(1, "a", at) with { ImportKey = "k1" }, Entry(2, "b", at) with { ImportKey = "k2" } };

        var first = _activities.Import(rows);
        var second = _activities.Import(rows);

        Assert.That(first, Is.EqualTo((2, 1)));
        Assert.That(second, Is.EqualTo((0, 3)));
        Assert.That(_activities.List(new ActivityFilter()), Has.Count.EqualTo(2));
    }

    [Test]
    public void List_ByManagerAndSince_Filters()
    {
        var at = new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);
        _activities.Add(Entry(1, "old", at, "Petrov"));
        _activities.Add(Entry(2, "new", at.AddDays(2), "PETROV P."));
        _activities.Add(Entry(2, "someone else", at.AddDays(2), "Sidorova"));

        var rows = _activities.List(new ActivityFilter { Manager = "petrov", Since = at.AddDays(1) });

        Assert.That(rows.Select(r => r.Subject), Is.EqualTo(new[] { "new" }));
    }

    [Test]
    public void AnchorAndFindContact_ClientWithBranch_PreferTheHeadAndFindTheBranchContact()
    {
        Assert.That(_activities.Anchor(1), Is.EqualTo(("main", "1")));
        Assert.That(_activities.FindContact(1, "K1"), Is.EqualTo(("main:K1", "main", "2")));
        Assert.That(_activities.FindContact(1, "main:K1"), Is.Not.Null);
        Assert.That(_activities.FindContact(2, "K1"), Is.Null, "not a contact of client 2");
        Assert.That(_activities.Anchor(99), Is.Null);
    }

    [Test]
    public void ImportRead_MalformedRows_ReportsEachAndKeepsTheGoodOnes()
    {
        var csv = "client;type;at;subject;contact\n" +
            "7707083893;call;2026-11-20 10:00;good;K1\n" +
            "Nobody Ltd;call;2026-11-20 10:00;x;\n" +
            "Beta;call;2026-13-40;x;\n" +
            "Beta;;2026-11-20;x;\n" +
            "Beta;note\n" +
            "2;заметка;20.11.2026 12:00;also good;\n";

        var plan = new ActivityImport(_store, TimeZoneInfo.Utc).Read(new StringReader(csv), "in.csv");

        Assert.That(plan.Rejects.Select(r => r.ToString()), Is.EqualTo(new[]
        {
            "in.csv:3: column 'client': no client matches 'Nobody Ltd'",
            "in.csv:4: column 'at': '2026-13-40' is not a date; use " + ActivityTime.Accepted,
            "in.csv:5: column 'type': empty; use one of call, meeting, letter-in, letter-out, email-in, email-out, web-form, note, complaint",
            "in.csv:6: expected 5 fields as in the header, found 2",
        }));
        Assert.That(plan.Entries.Select(e => (e.ClientId, e.Kind, e.Subject, e.CounterpartyId, e.ImportLine)), Is.EqualTo(new[]
        {
            (1L, "call", "good", "2", (long?)2),
            (2L, "note", "also good", "3", (long?)7),
        }));
        Assert.That(plan.Entries[0].ImportKey, Is.Not.EqualTo(plan.Entries[1].ImportKey));
    }
}
