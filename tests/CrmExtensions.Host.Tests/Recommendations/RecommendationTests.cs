using System.Globalization;
using CrmExtensions.Mail.Campaigns;
using CrmExtensions.Samples;
using CrmExtensions.Store;
using CrmExtensions.Store.Recommendations;
using CrmExtensions.Testing;
using Dapper;

namespace CrmExtensions.Host.Tests.Recommendations;

/// <summary>
/// Cross-sell on the sample ledgers synced and unified into a real store (SQLite and PostgreSQL): the planted pairs are
/// found, the reasons' counts are the mirror's, the evaluation beats popularity, segments select by product, and a
/// recomputation after unification changed clients equals one from scratch.
/// </summary>
[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.All))]
public sealed class RecommendationTests(DatabaseProvider provider)
{
    private SyncedDemo _demo = null!;
    private CrmStore _store = null!;
    private IReadOnlyList<PlantedPair> _planted = null!;

    /// <summary>Clients' distinct products, read from the mirror independently of the recommender's tables.</summary>
    private Dictionary<long, HashSet<string>> _bought = null!;

    [OneTimeSetUp]
    public void BuildTheSampleAndItsStore()
    {
        _demo = SyncedDemo.Create(provider, counterparties: 1500, seed: 5);
        _store = _demo.Store();
        using var truth = new TempDirectory();
        _planted = SampleLedger.Generate(truth.Path, new SampleLedgerOptions { Counterparties = 100, Seed = 5, AsOf = new DateOnly(2026, 1, 1) }).PlantedPairs;
        _bought = Bought();
    }

    private Dictionary<long, HashSet<string>> Bought()
    {
        using var connection = _store.Open();
        return connection.Query<(long Client, string Product)>(
                "SELECT DISTINCT i.client_id, l.product_id FROM mirror_invoice_lines l JOIN mirror_invoices i ON i.ledger = l.ledger AND i.ledger_id = l.invoice_id " +
                "WHERE l.vanished_at IS NULL AND i.vanished_at IS NULL AND i.client_id IS NOT NULL AND l.amount > 0")
            .GroupBy(r => r.Client).ToDictionary(g => g.Key, g => g.Select(r => r.Product).ToHashSet(StringComparer.Ordinal));
    }

    [OneTimeTearDown]
    public void Clean() => _demo?.Dispose();

    [Test]
    public void For_SampleLedger_RecommendsEachPlantedFollowUpToTheBuyersOfItsFirstProduct()
    {
        Assume.That(_planted, Is.Not.Empty);
        var recommendations = new ProductRecommendations(_store);
        foreach (var pair in _planted)
        {
            var buyers = _bought.Where(b => b.Value.Contains(pair.ProductId) && !b.Value.Contains(pair.ThenProductId)).Select(b => b.Key).ToList();
            Assert.That(buyers, Is.Not.Empty, $"{pair.ProductName}: the sample has buyers still to buy {pair.ThenProductName}");
            var lists = buyers.Select(recommendations.For).ToList();
            var offered = lists.Count(l => l.Any(r => r.Product == pair.ThenProductId));
            var because = lists.Count(l => l.Any(r => r.Product == pair.ThenProductId && r.Because == pair.ProductId));
            Assert.That(offered, Is.GreaterThanOrEqualTo(buyers.Count * 0.9), $"{pair.ProductName} → {pair.ThenProductName}: offered to {offered} of {buyers.Count}");
            Assert.That(because, Is.GreaterThan(buyers.Count / 2), $"{pair.ProductName} → {pair.ThenProductName}: the reason for {because} of {buyers.Count}");
        }
    }

    [Test]
    public void For_SampleLedger_ReasonsCountTheClientsOfTheMirror()
    {
        var recommendations = new ProductRecommendations(_store);
        var checkedReasons = 0;
        foreach (var client in _bought.Keys.Order().Take(60))
        {
            foreach (var r in recommendations.For(client))
            {
                Assert.That(_bought[client], Does.Contain(r.Because).And.Not.Contain(r.Product));
                var both = _bought.Values.Count(s => s.Contains(r.Because) && s.Contains(r.Product));
                var cause = _bought.Values.Count(s => s.Contains(r.Because));
                Assert.That((r.Together, r.BecauseClients), Is.EqualTo((both, cause)), $"client {client}: {r.Reason}");
                Assert.That(r.Reason, Is.EqualTo($"bought by {both} of the {cause} clients who bought {r.BecauseName}"));
                checkedReasons++;
            }
        }

        Assert.That(checkedReasons, Is.GreaterThan(100));
    }

    [TestCase(1, 2)]
    [TestCase(2, 3)]
    [TestCase(3, 4)]
    public void Evaluate_SampleLedger_BeatsPopularityThreeTimesForNewProducts(int numerator, int denominator)
    {
        var purchases = new ProductRecommendations(_store).Purchases();
        // Train on the first part of the history (one half, two thirds, three quarters), test on the 90 days after.
        var first = purchases.Min(p => p.Day).DayNumber;
        var until = DateOnly.FromDayNumber(first + ((purchases.Max(p => p.Day).DayNumber - first) * numerator / denominator));

        var e = RecommenderEvaluation.Run(purchases, until, 90, minSupport: null);

        var co = e.Methods.Single(m => m.Method == RecommenderEvaluation.CoPurchase);
        var popular = e.Methods.Single(m => m.Method == RecommenderEvaluation.Popularity);
        Assert.That(e.ClientsNew, Is.GreaterThan(50));
        Assert.That(co.HitRateNew, Is.GreaterThanOrEqualTo(3 * popular.HitRateNew),
            string.Create(CultureInfo.InvariantCulture, $"until {until:yyyy-MM-dd}: co-purchase {co.HitRateNew:P1}, popularity {popular.HitRateNew:P1} over {e.ClientsNew} clients"));
    }

    [Test]
    public void Evaluate_Command_PrintsEveryMethodInOneRun()
    {
        var purchases = new ProductRecommendations(_store).Purchases();
        var until = purchases.Max(p => p.Day).AddDays(-120).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        var result = _demo.Succeed("recommend", "evaluate", "--until", until);

        Assert.That(result.Out, Does.Contain(RecommenderEvaluation.CoPurchase).And.Contain(RecommenderEvaluation.Popularity).And.Contain(RecommenderEvaluation.OwnMostBought));
        Assert.That(result.Out, Does.Contain("hit@10 new").And.Contain("recall@10 new"));
        var missing = Crmx.Run(_demo.Folder, _demo.Environment, "recommend", "evaluate");
        Assert.That(missing.ExitCode, Is.EqualTo(2), "--until is required");
    }

    [Test]
    public void Show_Command_PrintsTheReasonsAndTheRepeatListApart()
    {
        var recommendations = new ProductRecommendations(_store);
        var client = _bought.Keys.Order().First(c => recommendations.For(c).Count > 0);
        var top = recommendations.For(client)[0];

        var result = _demo.Succeed("recommend", "show", client.ToString(CultureInfo.InvariantCulture));
        var dossier = _demo.Succeed("clients", "show", client.ToString(CultureInfo.InvariantCulture));

        Assert.That(result.Out, Does.Contain(top.Reason));
        Assert.That(dossier.Out, Does.Contain("Cross-sell").And.Contain(top.Reason));
        Assert.That(_demo.Succeed("recommend", "--help").Out, Does.Contain("evaluate"));
    }

    [Test]
    public void SelectClients_ProductSegments_AreTheBuyersNonBuyersAndRecommendedClients()
    {
        var recommendations = new ProductRecommendations(_store);
        var product = _planted[0].ThenProductId;
        using var connection = _store.Open();
        var live = connection.Query<long>("SELECT client_id FROM clients WHERE retired_at IS NULL").ToHashSet();
        var today = new DateOnly(2026, 1, 1);

        var bought = Segment.SelectClients(connection, [Segment.Parse("bought=" + product)], today, store: _store);
        var notBought = Segment.SelectClients(connection, [Segment.Parse("not_bought=" + product)], today, store: _store);
        var recommended = Segment.SelectClients(connection, [Segment.Parse("recommended=" + product)], today, store: _store);
        var injected = Segment.SelectClients(connection, [Segment.Parse("bought=x' OR 1=1 --; \"y\"")], today, store: _store);

        var buyers = _bought.Where(b => b.Value.Contains(product) && live.Contains(b.Key)).Select(b => b.Key).Order().ToList();
        Assert.That(bought, Is.EqualTo(buyers));
        Assert.That(notBought, Is.EqualTo(live.Except(buyers).Order()));
        Assert.That(recommended, Is.Not.Empty);
        Assert.That(recommended, Is.EqualTo(_bought.Keys.Where(c => live.Contains(c) && recommendations.For(c).Any(r => r.Product == product)).Order()));
        Assert.That(injected, Is.Empty, "a value is a value, not SQL");
    }

    [Test]
    public void EnsureCurrent_AfterAMergeAndUnify_ComputesOnlyTheChangedClientsAndEqualsAFullRecompute()
    {
        var recommendations = new ProductRecommendations(_store);
        recommendations.Refresh();
        var a = _bought.Keys.Order().First();
        var b = _bought.Keys.Order().First(c => !_bought[c].SetEquals(_bought[a]));
        _demo.Succeed("clients", "merge", a.ToString(CultureInfo.InvariantCulture), b.ToString(CultureInfo.InvariantCulture));

        var (changed, incremental, all, full) = RecomputeIncrementallyThenFully(recommendations);

        Assert.That(changed, Is.GreaterThan(0).And.LessThan(all / 10), "only the clients the merge changed");
        Assert.That(incremental, Is.EqualTo(full));
        Assert.That(full.Count, Is.GreaterThan(_bought.Count));
    }

    [Test]
    public void EnsureCurrent_AfterASyncChangedLinesAndDates_ComputesOnlyTheirClientsAndEqualsAFullRecompute()
    {
        var recommendations = new ProductRecommendations(_store);
        recommendations.Refresh();
        // In the Moscow ledger, five posted documents sell another product on every line, and one is dated a month later;
        // their change stamp moves past every other, as the accounting system's would.
        using (var ledger = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(_demo.Folder, "msk.db")};Pooling=False"))
        {
            ledger.Open();
            var documents = ledger.Query<long>("SELECT \"Ссылка\" FROM \"Документ Реализация\" WHERE \"Проведен\" = 1 ORDER BY \"Ссылка\" LIMIT 5").ToList();
            var product = _planted[^1].ThenProductId;
            ledger.Execute("UPDATE \"Документ Реализация Товары\" SET \"Номенклатура\" = @product WHERE \"Ссылка\" IN @documents", new { product, documents });
            ledger.Execute("UPDATE \"Документ Реализация\" SET \"Изменено\" = '2099-01-01 00:00:00' WHERE \"Ссылка\" IN @documents", new { documents });
            var day = DateOnly.ParseExact(ledger.ExecuteScalar<string>("SELECT \"Дата\" FROM \"Документ Реализация\" WHERE \"Ссылка\" = @d", new { d = documents[0] })!,
                "dd.MM.yyyy", CultureInfo.InvariantCulture);
            ledger.Execute("UPDATE \"Документ Реализация\" SET \"Дата\" = @day WHERE \"Ссылка\" = @d",
                new { d = documents[0], day = day.AddDays(30).ToString("dd.MM.yyyy", CultureInfo.InvariantCulture) });
        }

        _demo.Succeed("sync");
        var (changed, incremental, all, full) = RecomputeIncrementallyThenFully(recommendations);

        Assert.That(changed, Is.GreaterThan(0).And.LessThanOrEqualTo(5), "the clients of the five documents");
        Assert.That(all, Is.GreaterThan(changed * 10));
        Assert.That(incremental, Is.EqualTo(full));
    }

    /// <summary>Makes the tables current from what changed, then again from scratch: how many clients each computed, and the
    /// tables' rows after each. The other tests then read the clients as they are now.</summary>
    private (int Changed, List<string> Incremental, int All, List<string> Full) RecomputeIncrementallyThenFully(ProductRecommendations recommendations)
    {
        var changed = recommendations.EnsureCurrent();
        var incremental = Snapshot();
        recommendations.Reset();
        var all = recommendations.EnsureCurrent();
        var full = Snapshot();
        _bought = Bought();
        return (changed, incremental, all, full);
    }

    /// <summary>Every row of the computed tables, as text, in one order.</summary>
    private List<string> Snapshot()
    {
        using var connection = _store.Open();
        var rows = new List<string>();
        rows.AddRange(connection.Query<(long, string, long, string, string, long)>("SELECT client_id, product_key, days, first_on, last_on, amount FROM product_purchases")
            .Select(r => $"purchase {r}"));
        rows.AddRange(connection.Query<(string, string, long)>("SELECT product_a, product_b, clients FROM product_pairs").Select(r => $"pair {r}"));
        rows.AddRange(connection.Query<(long, string)>("SELECT client_id, fingerprint FROM recommendation_clients").Select(r => $"fingerprint {r}"));
        rows.AddRange(connection.Query<(long, long, string, string, long, long)>(
            "SELECT client_id, place, product_key, because_key, together, because_clients FROM client_recommendations").Select(r => $"recommendation {r}"));
        rows.Sort(StringComparer.Ordinal);
        return rows;
    }
}
