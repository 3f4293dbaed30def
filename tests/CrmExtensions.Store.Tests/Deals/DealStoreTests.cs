using CrmExtensions.Store.Deals;
using CrmExtensions.Testing;

namespace CrmExtensions.Store.Tests.Deals;

[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.All))]
public sealed partial class DealStoreTests(DatabaseProvider provider)
{
    private TestDatabase _database = null!;
    private CrmStore _store = null!;
    private DealStore _deals = null!;
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero));

    [SetUp]
    public void SetUp()
    {
        _database = TestDatabase.Create(provider);
        _store = TestStores.Create(_database, _clock);
        _store.Migrate();
        ClientFixtures.Seed(_store);
        _deals = new DealStore(_store);
    }

    [TearDown]
    public void TearDown() => _database?.Dispose(); // null when SetUp ignored the test (no PostgreSQL)

    private DealRow Open(string title, long client = 1) => _deals.Open(new DealEntry
    {
        PluginId = "Test.Guard",
        Pipeline = "sales",
        Stage = "lead",
        Title = title,
        ClientId = client,
        Ledger = "main",
        CounterpartyId = client == 1 ? "1" : "3",
        Amount = 1234.5678m,
        Owner = "Petrov",
        ExpectedClose = new DateOnly(2026, 12, 31),
    });

    [Test]
    public void Open_Twice_GivesIncreasingNumbersFoundByNumberIdAndPrefix()
    {
        var first = Open("pumps");
        _clock.Now = _clock.Now.AddMinutes(5);
        var second = Open("valves", client: 2);

        Assert.That((first.Number, second.Number), Is.EqualTo(((long?)1, (long?)2)));
        Assert.That(first.AmountValue, Is.EqualTo(1234.5678m));
        Assert.That(first.ExpectedClose, Is.EqualTo("2026-12-31"));
        Assert.That(_deals.Find("2")?.Title, Is.EqualTo("valves"));
        Assert.That(_deals.Find("#1")?.Title, Is.EqualTo("pumps"));
        Assert.That(_deals.Find(second.Id)?.Title, Is.EqualTo("valves"));
        Assert.That(_deals.Find(second.Id[..20])?.Title, Is.EqualTo("valves"));
        Assert.That(_deals.Find("zzzzzzzz"), Is.Null);
        Assert.That(_deals.List(new DealFilter { ClientId = 2 }).Select(d => d.ClientName), Is.EqualTo(new[] { "Beta Works" }));
    }

    [Test]
    public void Move_ToWonThenRefusal_HistoryKeepsBothInOrder()
    {
        var deal = Open("pumps");

        var moved = _deals.Move(deal.Id, "lead", "won", "Petrov", "won");
        _deals.RecordRefusal(deal.Id, "won", "lead", "Sidorova", "Test.Guard/OverdueGuard", "invoice 17 is overdue");

        Assert.That(moved, Is.True);
        var after = _deals.Get(deal.Id)!;
        Assert.That((after.Stage, after.Outcome, after.ClosedAt), Is.EqualTo(("won", "won", "2026-11-24T09:00:00.000Z")));
        var history = _deals.History(deal.Id);
        Assert.That(history.Select(h => (h.FromStage, h.ToStage, h.MovedBy, h.WasRefused, h.Guard, h.Reason)), Is.EqualTo(new[]
        {
            ("lead", "won", (string?)"Petrov", false, (string?)null, (string?)null),
            ("won", "lead", "Sidorova", true, "Test.Guard/OverdueGuard", "invoice 17 is overdue"),
        }));
        Assert.That(_deals.List(new DealFilter { Stage = "won", Owner = "petr" }), Has.Count.EqualTo(1));
    }

    [Test]
    public void Move_FromAStageTheDealLeft_WritesNothing()
    {
        var deal = Open("pumps");
        _deals.Move(deal.Id, "lead", "offer", "Petrov", null);

        var stale = _deals.Move(deal.Id, "lead", "lost", "Sidorova", "lost");

        Assert.That(stale, Is.False);
        Assert.That(_deals.Get(deal.Id)!.Stage, Is.EqualTo("offer"));
        Assert.That(_deals.History(deal.Id), Has.Count.EqualTo(1));
    }
}
