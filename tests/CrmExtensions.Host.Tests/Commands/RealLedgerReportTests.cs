using CrmExtensions.Reports.Builtin;
using CrmExtensions.Sdk.Reports;
using CrmExtensions.Store;
using CrmExtensions.Store.Mirror;
using CrmExtensions.Testing;
using Dapper;
using Microsoft.Data.Sqlite;

namespace CrmExtensions.Host.Tests.Commands;

/// <summary>The reports on Northwind and Chinook, attached through their shipped mappings; totals checked against the ledger files.</summary>
public sealed class RealLedgerReportTests
{
    private static readonly ReportRequest AllTime = new() { From = new DateOnly(1990, 1, 1), To = new DateOnly(2030, 12, 31), AsOf = new DateOnly(2030, 12, 31) };

    private static string SharedLedger(string name)
    {
        var file = TestEnvironment.SharedDataFile($"ledgers/{name}.sqlite");
        var mapping = Path.Combine(TestEnvironment.RepoRoot, "samples", "mappings", $"{name}.map.json");
        return $$"""{ "name": "{{name}}", "provider": "sqlite", "connectionString": "Data Source={{file}}", "mapping": "{{mapping}}" }""";
    }

    /// <summary>Each order's or invoice's amount as the ledger computes it, in stored ten-thousandths.</summary>
    private static long LedgerTotal(string name, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={TestEnvironment.SharedDataFile($"ledgers/{name}.sqlite")};Mode=ReadOnly");
        return connection.Query<double>(sql).Sum(x => Money.ToStored((decimal)x));
    }

    private const string NorthwindOrders =
        "SELECT COALESCE((SELECT SUM(d.UnitPrice * d.Quantity * (1 - d.Discount)) FROM \"Order Details\" d WHERE d.OrderID = o.OrderID), 0) + COALESCE(o.Freight, 0) FROM Orders o";

    /// <remarks>Both shipped mappings write 'USD': the store's base currency is the dollar, so every order is in the totals.</remarks>
    [Test]
    public void Reports_NorthwindAndChinook_TotalsEqualTheLedgers()
    {
        using var folder = new TempDirectory();
        File.WriteAllText(Path.Combine(folder.Path, "crmx.json"), $$"""
            { "ledgers": [{{SharedLedger("northwind")}}, {{SharedLedger("chinook")}}], "store": { "provider": "sqlite", "connectionString": "Data Source=crm.db", "baseCurrency": "USD" } }
            """);
        Assert.That(Crmx.Run(folder.Path, "sync").ExitCode, Is.Zero);
        Assert.That(Crmx.Run(folder.Path, "unify").ExitCode, Is.Zero);
        var store = new CrmStore(CrmExtensions.Store.Providers.DatabaseProvider.Sqlite, $"Data Source={Path.Combine(folder.Path, "crm.db")}", TimeProvider.System);
        var northwind = LedgerTotal("northwind", NorthwindOrders);
        var chinook = LedgerTotal("chinook", "SELECT Total FROM Invoice");

        var pareto = new ParetoReport(store);
        var clients = pareto.Clients(AllTime, 1000);
        var entities = pareto.Entities(AllTime, 1000);
        var aging = new AgingReport(store).Compute(AllTime, 5);
        var months = new DynamicsReport(store).Compute(AllTime);
        var managers = new ManagersReport(store).Compute(AllTime);

        // Each order is rounded to ten-thousandths once, on either side: they may differ by one unit per order at most.
        Assert.That(clients.Total, Is.EqualTo(northwind + chinook).Within(830 + 412));
        Assert.That(entities.Total, Is.EqualTo(clients.Total));
        Assert.That(entities.Top.Where(r => r.Key!.StartsWith("chinook:", StringComparison.Ordinal)).Sum(r => r.Amount), Is.EqualTo(chinook).Within(412));
        Assert.That(entities.Count, Is.EqualTo(89 + 59), "Northwind customers with orders, and every Chinook customer");
        Assert.That(clients.Classes.Single(c => c.Class == "A").Count, Is.GreaterThan(0).And.LessThan(clients.Count / 2));
        Assert.That(months.Sum(m => m.Revenue), Is.EqualTo(clients.Total));
        Assert.That(months.First(m => m.Revenue > 0).Month, Is.EqualTo("1996-07"));
        Assert.That(aging.Totals.Total - aging.Totals.NotDue, Is.GreaterThan(0), "Northwind keeps no payments: every order is open and long overdue");
        Assert.That(aging.Totals.Invoices, Is.EqualTo(830), "Chinook's invoices are paid at once");
        Assert.That(managers.Sum(m => m.Revenue), Is.EqualTo(clients.Total));
        Assert.That(managers.Where(m => m.Manager is not null).Select(m => m.Manager), Is.EquivalentTo(new[] { "Jane Peacock", "Margaret Park", "Steve Johnson" }),
            "Chinook's support representatives; Northwind maps no manager for its customers");
    }

    [TestCase("USD")]
    [TestCase("RUB")]
    public void Dossier_ChinookInDollars_PrintsDollarsNeverRoubles(string baseCurrency)
    {
        using var folder = new TempDirectory();
        File.WriteAllText(Path.Combine(folder.Path, "crmx.json"), $$"""
            { "ledgers": [{{SharedLedger("chinook")}}], "store": { "provider": "sqlite", "connectionString": "Data Source=crm.db", "baseCurrency": "{{baseCurrency}}" } }
            """);
        Assert.That(Crmx.Run(folder.Path, "sync").ExitCode, Is.Zero);
        Assert.That(Crmx.Run(folder.Path, "unify").ExitCode, Is.Zero);
        using var connection = new SqliteConnection($"Data Source={TestEnvironment.SharedDataFile("ledgers/chinook.sqlite")};Mode=ReadOnly");
        var (invoices, total) = connection.QuerySingle<(long, double)>("SELECT COUNT(*), SUM(Total) FROM Invoice WHERE CustomerId = 2");
        var amount = Currency.Format(Money.FromStored(connection.Query<double>("SELECT Total FROM Invoice WHERE CustomerId = 2").Sum(x => Money.ToStored((decimal)x))),
            "USD", System.Globalization.CultureInfo.GetCultureInfo("ru-RU"));

        var show = Crmx.Run(folder.Path, "clients", "show", "chinook:2");

        Assert.That(show.ExitCode, Is.Zero, show.Error);
        Assert.That(total, Is.GreaterThan(0));
        Assert.That(show.Out, Does.Not.Contain("₽"), "a ledger in dollars, with no rates, is never shown in roubles");
        Assert.That(show.Out, Does.Contain(baseCurrency == "USD"
            ? $"  Invoices: {invoices} for {amount};"
            : $"  Invoices in USD, not converted (no rate): {invoices} for {amount};"));
    }
}
