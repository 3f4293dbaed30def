using System.Globalization;
using CrmExtensions.Mail.Campaigns;
using CrmExtensions.Mail.Model;
using CrmExtensions.Reports.Builtin;
using CrmExtensions.Sdk.Reports;
using CrmExtensions.Store;
using CrmExtensions.Store.Mirror;
using CrmExtensions.Testing;
using Dapper;
using Microsoft.Data.Sqlite;

namespace CrmExtensions.Host.Tests.Commands;

/// <summary>
/// A ledger with invoices and payments in roubles, dollars and euros, with and without its register of rates: no total the
/// product makes adds a dollar to a rouble. With rates every total equals a hand computation over the ledger's rows; a
/// currency without a rate (euros always, dollars without the register) is its own total, said to be not converted.
/// </summary>
[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.All))]
public sealed class CurrencyTests(DatabaseProvider provider)
{
    private static readonly DateOnly Today = DateOnly.FromDateTime(DateTime.Today);

    /// <summary>The ledger's invoices: id, counterparty, days before today issued, due in days, amount, paid, currency as written.</summary>
    private static readonly (string Id, string Cp, int Ago, int Term, decimal Amount, decimal Paid, string? Currency)[] Invoices =
    [
        ("I1", "1", 200, 30, 1000m, 0m, "RUB"),
        ("I2", "2", 150, 30, 100m, 0m, "USD"),
        ("I3", "2", 40, 30, 50m, 50m, "$"),
        ("I4", "3", 160, 30, 300m, 100m, "643"),
        ("I5", "1", 20, 60, 20m, 0m, "EUR"),
        ("I6", "2", 10, 30, 100m, 0m, null),
    ];

    /// <summary>The ledger's payments: id, counterparty, days before today, amount, invoice, currency as written.</summary>
    private static readonly (string Id, string Cp, int Ago, decimal Amount, string? Invoice, string? Currency)[] Payments =
    [
        ("P1", "2", 39, 50m, "I3", "USD"),
        ("P2", "3", 150, 100m, "I4", "руб."),
        ("P3", "1", 190, 200m, null, ""),
    ];

    /// <summary>The register of rates: currency, days before today it starts, roubles per unit.</summary>
    private static readonly (string Currency, int Ago, decimal Rate)[] Rates = [("840", 400, 90m), ("840", 60, 92.5m), ("KZT", 100, 0.18m)];

    private static readonly ReportRequest Year = new() { From = Today.AddYears(-1).AddDays(1), To = Today, AsOf = Today };

    private TempDirectory _folder = null!;
    private TestDatabase _store = null!;

    [SetUp]
    public void Create()
    {
        _folder = new TempDirectory();
        _store = TestDatabase.Create(provider);
    }

    [TearDown]
    public void Clean()
    {
        _store?.Dispose();
        _folder?.Dispose();
    }

    private static string Day(int ago) => Today.AddDays(-ago).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Writes the ledger, its mapping (with the rates kind or without) and crmx.json, then syncs and unifies.</summary>
    private CrmStore SyncedStore(bool withRates)
    {
        using (var connection = new SqliteConnection($"Data Source={Path.Combine(_folder.Path, "ledger.db")};Pooling=False"))
        {
            connection.Open();
            connection.Execute("""
                CREATE TABLE cp (id TEXT PRIMARY KEY, name TEXT NOT NULL, inn TEXT);
                CREATE TABLE inv (id TEXT PRIMARY KEY, cp TEXT NOT NULL, issued TEXT NOT NULL, due TEXT, amount REAL NOT NULL, paid REAL, cur TEXT);
                CREATE TABLE pay (id TEXT PRIMARY KEY, cp TEXT NOT NULL, paid_on TEXT NOT NULL, amount REAL NOT NULL, inv TEXT, cur TEXT);
                CREATE TABLE kurs (cur TEXT NOT NULL, since TEXT NOT NULL, rate REAL NOT NULL, mult INTEGER NOT NULL);
                INSERT INTO cp VALUES ('1', 'ООО «Ромашка»', '7707083893'), ('2', 'Acme Trading Ltd', NULL), ('3', 'АО «Вектор»', '7736050003');
                """);
            foreach (var i in Invoices)
            {
                connection.Execute("INSERT INTO inv VALUES (@Id, @Cp, @issued, @due, @Amount, @Paid, @Currency)",
                    new { i.Id, i.Cp, issued = Day(i.Ago), due = Day(i.Ago - i.Term), Amount = (double)i.Amount, Paid = (double)i.Paid, i.Currency });
            }

            foreach (var p in Payments)
            {
                connection.Execute("INSERT INTO pay VALUES (@Id, @Cp, @day, @Amount, @Invoice, @Currency)",
                    new { p.Id, p.Cp, day = Day(p.Ago), Amount = (double)p.Amount, p.Invoice, p.Currency });
            }

            foreach (var r in Rates)
            {
                // 1C keeps the price of a multiple of units for cheap currencies: 18 roubles per 100 tenge.
                var mult = r.Rate < 1 ? 100 : 1;
                connection.Execute("INSERT INTO kurs VALUES (@Currency, @since, @rate, @mult)", new { r.Currency, since = Day(r.Ago), rate = (double)(r.Rate * mult), mult });
            }
        }

        var rates = withRates
            ? """, "rates": { "query": "SELECT cur || '/' || since AS ledger_id, cur AS currency, since AS rate_on, rate, mult AS units FROM kurs" }"""
            : "";
        File.WriteAllText(Path.Combine(_folder.Path, "ledger.map.json"), $$"""
            {
              "counterparties": { "query": "SELECT id AS ledger_id, name, inn AS tax_id FROM cp" },
              "invoices": { "query": "SELECT id AS ledger_id, cp AS counterparty_id, issued AS issued_on, due AS due_on, amount, paid AS paid_amount, cur AS currency FROM inv" },
              "payments": { "query": "SELECT id AS ledger_id, cp AS counterparty_id, paid_on, amount, inv AS invoice_id, cur AS currency FROM pay" }{{rates}}
            }
            """);
        File.WriteAllText(Path.Combine(_folder.Path, "crmx.json"), """
            { "ledgers": [ { "name": "main", "provider": "sqlite", "connectionString": "Data Source=ledger.db", "mapping": "ledger.map.json" } ] }
            """);
        Assert.That(Run("sync").ExitCode, Is.Zero);
        Assert.That(Run("unify").ExitCode, Is.Zero);
        return Store();
    }

    private CrmStore Store() => TestStores.Open(_store);

    private CrmxResult Run(params string[] args) => Crmx.Run(_folder.Path, new Dictionary<string, string>
    {
        ["CRMX__store__provider"] = provider == DatabaseProvider.Postgres ? "postgres" : "sqlite",
        ["CRMX__store__connectionString"] = _store.ConnectionString,
    }, args);

    /// <summary>By hand: an amount of a day in roubles at the register's last rate on or before that day; null without one.</summary>
    private static long? InRoubles(decimal amount, string? currency, int ago, bool withRates)
    {
        var code = currency switch { null or "" or "RUB" or "643" or "руб." => "RUB", "USD" or "$" => "840", _ => currency };
        if (code == "RUB")
        {
            return Money.ToStored(amount);
        }

        var rate = withRates ? Rates.Where(r => r.Currency == code && r.Ago >= ago).OrderBy(r => r.Ago).Select(r => (decimal?)r.Rate).FirstOrDefault() : null;
        return rate is { } perUnit ? Money.ToStored(amount * perUnit) : null;
    }

    private static string CodeOf(string? currency) => currency switch { "$" or "USD" => "USD", "EUR" => "EUR", _ => "RUB" };

    [TestCase(true)]
    [TestCase(false)]
    public void Reports_RoublesDollarsAndEuros_SumOnlyRoublesAndListTheRestPerCurrency(bool withRates)
    {
        var store = SyncedStore(withRates);
        var converted = Invoices.Select(i => (i, Base: InRoubles(i.Amount, i.Currency, i.Ago, withRates))).ToList();
        var revenue = converted.Sum(c => c.Base ?? 0);
        var notConverted = converted.Where(c => c.Base is null).GroupBy(c => CodeOf(c.i.Currency))
            .Select(g => new NotConvertedTotal(g.Key, g.Sum(c => Money.ToStored(c.i.Amount)), g.Count())).OrderBy(n => n.Currency).ToList();
        var open = converted.Where(c => c.i.Paid < c.i.Amount && c.Base is not null)
            .Sum(c => c.Base!.Value - InRoubles(c.i.Paid, c.i.Currency, c.i.Ago, withRates)!.Value);

        var pareto = new ParetoReport(store);
        var aging = new AgingReport(store);
        var managers = new ManagersReport(store).Compute(Year);
        var months = new DynamicsReport(store).Compute(Year);

        Assert.That(notConverted.Select(n => n.Currency), withRates ? Is.EqualTo(new[] { "EUR" }) : Is.EqualTo(new[] { "EUR", "USD" }), "the case this test is about");
        Assert.That(pareto.Clients(Year, 10).Total, Is.EqualTo(revenue));
        Assert.That(pareto.Entities(Year, 10).Total, Is.EqualTo(revenue));
        Assert.That(months.Sum(m => m.Revenue), Is.EqualTo(revenue));
        Assert.That(managers.Sum(m => m.Revenue), Is.EqualTo(revenue));
        Assert.That(pareto.NotConverted(Year), Is.EqualTo(notConverted));
        Assert.That(aging.Compute(Year, 10).Totals.Total, Is.EqualTo(open));
        Assert.That(aging.NotConverted(Year).Select(n => n.Currency), Is.EqualTo(notConverted.Select(n => n.Currency)), "an open invoice of each");

        var table = Run("report", "pareto", "--from", Year.From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), "--to", Year.To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Assert.That(table.ExitCode, Is.Zero, table.Error);
        foreach (var n in notConverted)
        {
            Assert.That(table.Out, Does.Contain($"{n.Currency} {Money.FromStored(n.Amount).ToString("0.00", CultureInfo.InvariantCulture)} not converted: no rate"));
        }
    }

    [TestCase(true)]
    [TestCase(false)]
    public void Dossier_ClientInDollars_TotalsInRoublesOrItsOwnCurrencyNeverMixed(bool withRates)
    {
        var store = SyncedStore(withRates);
        var acme = Invoices.Where(i => i.Cp == "2").Select(i => (i, Base: InRoubles(i.Amount, i.Currency, i.Ago, withRates))).ToList();
        var ru = CultureInfo.GetCultureInfo("ru-RU");

        var show = Run("clients", "show", "Acme");

        Assert.That(show.ExitCode, Is.Zero, show.Error);
        var roubles = acme.Where(a => a.Base is not null).ToList();
        Assert.That(show.Out, Does.Contain($"  Invoices: {roubles.Count} for {Currency.Format(Money.FromStored(roubles.Sum(a => a.Base!.Value)), "RUB", ru)};"));
        var dollars = acme.Where(a => a.Base is null).ToList();
        if (dollars.Count > 0)
        {
            Assert.That(show.Out, Does.Contain($"  Invoices in USD, not converted (no rate): {dollars.Count} for {Currency.Format(dollars.Sum(a => a.i.Amount), "USD", ru)};"));
            Assert.That(show.Out, Does.Contain("$"));
        }
        else
        {
            Assert.That(show.Out, Does.Not.Contain("not converted"));
        }

        using var connection = store.Open();
        var clientId = connection.ExecuteScalar<long>("SELECT client_id FROM client_members WHERE ledger = 'main' AND ledger_id = '2'");
        var mail = new MailModelBuilder(store, new MailSender("Поставщик", "crm@example.com", null, null), (_, _) => "").Build(clientId, Today)!;
        var unpaid = acme.Where(a => a.i.Paid < a.i.Amount).ToList();
        Assert.That(mail.Totals.Unpaid, Is.EqualTo(unpaid.Where(a => a.Base is not null).Sum(a => Money.FromStored(a.Base!.Value))), "the mail model's total is in roubles");
        Assert.That(mail.Totals.RevenueLastYear, Is.EqualTo(acme.Sum(a => Money.FromStored(a.Base ?? 0))));
        Assert.That(mail.Totals.NotConverted?.Select(n => (n.Currency, n.Unpaid)) ?? [],
            Is.EqualTo(unpaid.Where(a => a.Base is null).GroupBy(a => CodeOf(a.i.Currency)).Select(g => (g.Key, g.Sum(a => a.i.Amount)))));
        Assert.That(mail.Invoices.Select(i => i.Currency), Is.EquivalentTo(unpaid.Select(a => CodeOf(a.i.Currency))), "each invoice keeps its own currency");
    }

    [TestCase(true)]
    [TestCase(false)]
    public void RevenueSegment_DollarsWithoutRate_AreNeverAddedToRoubles(bool withRates)
    {
        var store = SyncedStore(withRates);
        var byCounterparty = Invoices.GroupBy(i => i.Cp).ToDictionary(g => g.Key, g => g.Sum(i => InRoubles(i.Amount, i.Currency, i.Ago, withRates) ?? 0));
        // Acme's roubles alone are below the threshold, its dollars as written would cross it, converted they do.
        var threshold = 200m;
        using var connection = store.Open();
        var members = connection.Query<(string LedgerId, long ClientId)>("SELECT ledger_id, client_id FROM client_members").ToDictionary(m => m.LedgerId, m => m.ClientId);

        var add = Run("segment", "add", "big", "revenue >= " + threshold.ToString(CultureInfo.InvariantCulture));
        Assert.That(add.ExitCode, Is.Zero, add.Error);

        var selected = Segment.SelectClients(connection, [Segment.Parse("segment=big")], Today, store: store);

        var expected = byCounterparty.Where(c => c.Value >= Money.ToStored(threshold)).Select(c => members[c.Key]).ToList();
        Assert.That(selected, Is.EquivalentTo(expected));
        Assert.That(selected.Contains(members["2"]), Is.EqualTo(withRates), "Acme is in the segment only when its dollars are converted");
    }

    [Test]
    public void Sync_LedgerInDollarsGainsThenCorrectsARate_ConvertsItsInvoicesAgain()
    {
        // A ledger whose rows name no currency: the mapping says it keeps dollars. Its register of rates starts empty.
        using (var connection = new SqliteConnection($"Data Source={Path.Combine(_folder.Path, "ledger.db")};Pooling=False"))
        {
            connection.Open();
            connection.Execute("""
                CREATE TABLE cp (id TEXT PRIMARY KEY, name TEXT NOT NULL);
                CREATE TABLE inv (id TEXT PRIMARY KEY, cp TEXT NOT NULL, issued TEXT NOT NULL, amount REAL NOT NULL);
                CREATE TABLE kurs (cur TEXT NOT NULL, since TEXT NOT NULL, rate REAL NOT NULL);
                INSERT INTO cp VALUES ('1', 'Acme Trading Ltd');
                """);
            connection.Execute("INSERT INTO inv VALUES ('I1', '1', @day, 100.5), ('I2', '1', @later, 10)", new { day = Day(30), later = Day(5) });
        }

        File.WriteAllText(Path.Combine(_folder.Path, "ledger.map.json"), """
            {
              "currency": "USD",
              "counterparties": { "query": "SELECT id AS ledger_id, name FROM cp" },
              "invoices": { "query": "SELECT id AS ledger_id, cp AS counterparty_id, issued AS issued_on, amount FROM inv" },
              "rates": { "query": "SELECT cur || '/' || since AS ledger_id, cur AS currency, since AS rate_on, rate FROM kurs" }
            }
            """);
        File.WriteAllText(Path.Combine(_folder.Path, "crmx.json"), """
            { "ledgers": [ { "name": "main", "provider": "sqlite", "connectionString": "Data Source=ledger.db", "mapping": "ledger.map.json" } ] }
            """);
        var store = Store();
        var pareto = new ParetoReport(store);
        void Kurs(string sql, object? args = null)
        {
            using var connection = new SqliteConnection($"Data Source={Path.Combine(_folder.Path, "ledger.db")};Pooling=False");
            connection.Execute(sql, args);
        }

        Assert.That(Run("sync").ExitCode, Is.Zero);
        Assert.That(Run("unify").ExitCode, Is.Zero);
        var before = (pareto.Clients(Year, 5).Total, pareto.NotConverted(Year));
        Kurs("INSERT INTO kurs VALUES ('USD', @since, 90.25)", new { since = Day(60) });
        Assert.That(Run("sync").ExitCode, Is.Zero);
        var converted = (pareto.Clients(Year, 5).Total, pareto.NotConverted(Year));
        Kurs("UPDATE kurs SET rate = 91");
        Kurs("INSERT INTO kurs VALUES ('USD', @since, 95)", new { since = Day(10) });
        Assert.That(Run("sync").ExitCode, Is.Zero);
        var corrected = pareto.Clients(Year, 5).Total;

        Assert.That(before.Item1, Is.Zero, "dollars without a rate are in no rouble total");
        Assert.That(before.Item2, Is.EqualTo(new[] { new NotConvertedTotal("USD", Money.ToStored(110.5m), 2) }), "the mapping's currency, for rows that name none");
        Assert.That(converted.Item1, Is.EqualTo(Money.ToStored(110.5m * 90.25m)));
        Assert.That(converted.Item2, Is.Empty);
        Assert.That(corrected, Is.EqualTo(Money.ToStored(100.5m * 91m) + Money.ToStored(10m * 95m)), "each invoice at the rate of its day, as corrected");
    }
}
