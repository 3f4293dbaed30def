using System.Globalization;
using CrmExtensions.Testing;
using Dapper;

namespace CrmExtensions.Host.Tests.Segments;

/// <summary>RFM scores in behaviour segments: the base's own quintiles on a larger base, the documented fixed cut-offs on a small one.</summary>
[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.All))]
public sealed class RfmSegmentTests(DatabaseProvider provider)
{
    private sealed record Buyer(long Client, string LastOn, long Invoices, long Revenue);

    private static DateOnly Today => DateOnly.FromDateTime(TimeProvider.System.GetLocalNow().DateTime);

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Each current client with an invoice by today: its last invoice, and its invoices and revenue in the twelve months to today.</summary>
    private static List<Buyer> Buyers(SyncedDemo demo)
    {
        using var connection = demo.OpenStore();
        return connection.Query<Buyer>("SELECT i.client_id AS Client, MAX(i.issued_on) AS LastOn, " +
            "CAST(SUM(CASE WHEN i.issued_on >= @from THEN 1 ELSE 0 END) AS BIGINT) AS Invoices, " +
            "CAST(SUM(CASE WHEN i.issued_on >= @from THEN COALESCE(i.base_amount, 0) ELSE 0 END) AS BIGINT) AS Revenue " +
            "FROM mirror_invoices i JOIN clients c ON c.client_id = i.client_id WHERE c.retired_at IS NULL AND i.vanished_at IS NULL " +
            "AND i.issued_on <= @today GROUP BY i.client_id", new { from = Day(Today.AddYears(-1).AddDays(1)), today = Day(Today) }).ToList();
    }

    private static List<long> Members(SyncedDemo demo, string name, string rule)
    {
        demo.Succeed("segment", "add", name, rule, "--replace");
        var lines = demo.Succeed("segment", "count", name, "--list").Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length < 2 ? [] : lines[1].Split(' ').Select(s => long.Parse(s, CultureInfo.InvariantCulture)).ToList();
    }

    /// <summary>The value at <paramref name="k"/> fifths of a sorted list, nearest rank.</summary>
    private static T Cut<T>(IReadOnlyList<T> sorted, int k) => sorted[(int)Math.Ceiling(k * sorted.Count / 5.0) - 1];

    [Test]
    public void RfmScores_LargerBase_AreTheBasesOwnQuintiles()
    {
        using var demo = SyncedDemo.Create(provider, counterparties: 300, seed: 5);
        var buyers = Buyers(demo);
        Assert.That(buyers, Has.Count.GreaterThanOrEqualTo(50), "a base with quintiles");
        var revenue = buyers.Select(b => b.Revenue).Order().ToList();
        var last = buyers.Select(b => b.LastOn).Order(StringComparer.Ordinal).ToList();

        var topMoney = Members(demo, "top-money", "rfm.m >= 4");
        var recentTopMoney = Members(demo, "recent-top-money", "rfm.r = 5 and rfm.m >= 4");

        var expectedMoney = buyers.Where(b => b.Revenue > Cut(revenue, 3)).Select(b => b.Client).Order().ToList();
        Assert.That(topMoney, Is.EqualTo(expectedMoney));
        Assert.That(topMoney, Is.Not.Empty);
        Assert.That(topMoney, Has.Count.LessThanOrEqualTo((int)Math.Ceiling(buyers.Count * 0.4)), "above the 60 % cut-off: at most two fifths");
        var expectedRecent = buyers.Where(b => b.Revenue > Cut(revenue, 3) && string.CompareOrdinal(b.LastOn, Cut(last, 4)) > 0).Select(b => b.Client).Order().ToList();
        Assert.That(recentTopMoney, Is.EqualTo(expectedRecent));
        var explain = demo.Succeed("segment", "explain", "top-money", topMoney[0].ToString(CultureInfo.InvariantCulture));
        Assert.That(explain.Out, Does.Contain($"quintiles of {buyers.Count.ToString("N0", CultureInfo.GetCultureInfo("ru-RU"))} clients with purchases").And.Contain("— yes"));
    }

    [Test]
    public void RfmScores_SmallBase_UseTheFixedCutOffs()
    {
        using var demo = SyncedDemo.Create(provider, counterparties: 100, seed: 7);
        using (var connection = demo.OpenStore())
        {
            // A small base: the invoices of all but twenty of the sample's buyers vanish from the mirror.
            var kept = Buyers(demo).Select(b => b.Client).Order().Take(20).ToList();
            connection.Execute("UPDATE mirror_invoices SET vanished_at = '2026-01-01T00:00:00.000Z' WHERE client_id IS NULL OR client_id NOT IN (SELECT client_id FROM clients WHERE client_id IN (" +
                string.Join(", ", kept) + "))");
        }

        var buyers = Buyers(demo);
        Assert.That(buyers, Has.Count.LessThan(50).And.Count.GreaterThan(0), "a base too small for quintiles");

        var members = Members(demo, "regulars", "rfm.f >= 3 or rfm.r >= 4");
        var money = Members(demo, "spenders", "rfm.m >= 3");

        // Frequency cut-offs 0, 1, 3, 7 invoices: 3 or more is two invoices or more. Recency 365, 180, 90, 30 days: 4 or more is within 90 days.
        var expected = buyers.Where(b => b.Invoices >= 2 || string.CompareOrdinal(b.LastOn, Day(Today.AddDays(-90))) >= 0).Select(b => b.Client).Order().ToList();
        Assert.That(members, Is.EqualTo(expected));
        Assert.That(members, Is.Not.Empty.And.Count.LessThan(buyers.Count), "the cut-offs split this base");
        // Monetary cut-offs 0, 50 000, 250 000, 1 000 000: 3 or more is more than 50 000 (stored in ten-thousandths).
        Assert.That(money, Is.EqualTo(buyers.Where(b => b.Revenue > 50_000L * 10_000).Select(b => b.Client).Order().ToList()));
        var anyBuyer = buyers[0].Client.ToString(CultureInfo.InvariantCulture);
        Assert.That(demo.Succeed("segment", "explain", "spenders", anyBuyer).Out, Does.Contain($"fixed cut-offs: {buyers.Count} clients with purchases are fewer than 50"));
    }
}
