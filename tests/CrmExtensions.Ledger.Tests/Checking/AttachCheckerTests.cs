using CrmExtensions.Ledger.Checking;
using CrmExtensions.Ledger.Connections;
using CrmExtensions.Testing;

namespace CrmExtensions.Ledger.Tests.Checking;

public sealed class AttachCheckerTests
{
    private static LedgerDefinition Shipped(string name)
    {
        var problems = new List<LedgerProblem>();
        var ledgers = LedgerCatalog.Resolve(
            [new LedgerOptions { Name = name, Provider = "sqlite", ConnectionString = $"Data Source={TestEnvironment.SharedDataFile($"ledgers/{name}.sqlite")}", Mapping = $"samples/mappings/{name}.map.json" }],
            TestEnvironment.RepoRoot, problems);
        Assert.That(problems, Is.Empty);
        return ledgers.Single();
    }

    private static AttachCheckResult CheckWithMapping(TestLedger ledger, string mapping)
    {
        File.WriteAllText(ledger.MappingPath, mapping);
        return AttachChecker.Check([ledger.Definition()], 100);
    }

    [TestCase("northwind", 5)]
    [TestCase("chinook", 5)]
    public void Check_RealLedgerWithShippedMapping_Passes(string name, int kinds)
    {
        var result = AttachChecker.Check([Shipped(name)], 1_000);

        Assert.That(result.Problems, Is.Empty);
        Assert.That(result.Warnings.Where(w => w.Kind == "invoice_lines"), Is.Empty, "the shipped mappings' lines add up to their invoices");
        Assert.That(result.Kinds, Has.Count.EqualTo(kinds));
        Assert.That(result.Kinds.Select(k => k.SampledRows), Has.All.GreaterThan(0));
    }

    [Test]
    public void Check_CleanTestLedger_Passes()
    {
        using var ledger = new TestLedger();

        var result = AttachChecker.Check([ledger.Definition()], 100);

        Assert.That(result.Passed, Is.True, string.Join("\n", result.Problems));
        Assert.That(result.Kinds.Select(k => k.Kind), Is.EqualTo(new[] { "counterparties", "invoices", "payments" }));
    }

    [Test]
    public void Check_DatesTwoThousandYearsAhead_WarnsOnceAColumnWithTheFix()
    {
        // A 1C infobase on SQL Server, its offset kept: 2024 is written 4024.
        using var ledger = new TestLedger();
        ledger.Execute("UPDATE invoice SET issued = '4024-02-06', due = '4024-03-06'; UPDATE payment SET paid = '4024-02-10'");

        var result = AttachChecker.Check([ledger.Definition()], 100);

        var ahead = result.Warnings.Where(w => w.Message.Contains("DATEADD(year, -2000", StringComparison.Ordinal)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(result.Problems, Is.Empty);
            Assert.That(ahead.Select(w => (w.Kind, w.Column)), Is.EquivalentTo(new[] { ("invoices", "issued_on"), ("invoices", "due_on"), ("payments", "paid_on") }));
            Assert.That(ahead.Select(w => w.Message), Has.Some.Contains("4024-02-06"));
        });
    }

    [Test]
    public void Check_MisspeltColumn_NamesLedgerKindColumnAndFile()
    {
        using var ledger = new TestLedger();

        var result = CheckWithMapping(ledger, """{ "counterparties": { "query": "SELECT code AS ledger_id, title AS nme FROM \"Counter Party\"" } }""");

        Assert.That(result.Problems.Select(p => p.ToString()), Has.Some.EqualTo(
            "ledger 'main', counterparties.nme (main.map.json): unknown column 'nme' (did you mean 'name'?); counterparties columns are: ledger_id, name, tax_id, branch_code, registration_number, parent_ledger_id, address, city, region, country, phone, email, website, manager, birthday, updated_at"));
    }

    [Test]
    public void Check_MissingRequiredColumn_SaysWhichOne()
    {
        using var ledger = new TestLedger();

        var result = CheckWithMapping(ledger, """
            { "counterparties": { "query": "SELECT code AS ledger_id, title AS name FROM \"Counter Party\"" },
              "invoices": { "query": "SELECT id AS ledger_id, party AS counterparty_id, issued AS issued_on FROM invoice" } }
            """);

        Assert.That(result.Problems.Single().ToString(),
            Is.EqualTo("ledger 'main', invoices.amount (main.map.json): required column 'amount' is missing from the query"));
    }

    [Test]
    public void Check_QueryThatDoesNotParse_GivesTheDatabaseError()
    {
        using var ledger = new TestLedger();

        var result = CheckWithMapping(ledger, """{ "counterparties": { "query": "SELECT code AS ledger_id, title AS name FROM \"Counter Party\" WHER code > 0" } }""");

        var problem = result.Problems.Single();
        Assert.That(problem.Kind, Is.EqualTo("counterparties"));
        Assert.That(problem.ToString(), Does.StartWith("ledger 'main', counterparties (main.map.json): query does not run: ").And.Contain("syntax error"));
        Assert.That(problem.ToString(), Does.Not.Contain('\n'));
    }

    [Test]
    public void Check_ValueOfTheWrongType_NamesRowColumnAndValue()
    {
        using var ledger = new TestLedger();

        var result = CheckWithMapping(ledger, """
            { "counterparties": { "query": "SELECT code AS ledger_id, title AS name FROM \"Counter Party\"" },
              "invoices": { "query": "SELECT id AS ledger_id, party AS counterparty_id, due AS issued_on, issued AS amount FROM invoice" } }
            """);

        Assert.That(result.Problems.Select(p => p.ToString()), Has.Some.EqualTo(
            "ledger 'main', invoices.amount (main.map.json): row ledger_id=1: value '05.02.2024' not an amount of money"));
    }

    [Test]
    public void Check_EveryProblem_IsListedAtOnce()
    {
        using var ledger = new TestLedger();
        using var other = new TestLedger("other");
        File.WriteAllText(other.MappingPath, """{ "counterparties": { "query": "SELECT code AS ledger_id FROM \"Counter Party\"" } }""");

        var result = CheckWithMapping(ledger, """
            { "counterparties": { "query": "SELECT code AS ledger_idd, title AS name FROM \"Counter Party\"" },
              "payments": { "query": "SELECT nope FROM payment" } }
            """);
        var both = AttachChecker.Check([ledger.Definition(), other.Definition()], 10);

        Assert.That(result.Problems, Has.Count.EqualTo(3));
        Assert.That(both.Problems.Select(p => p.Ledger).Distinct(), Is.EquivalentTo(new[] { "main", "other" }));
    }

    [Test]
    public void Resolve_UnknownProvider_ListsTheValidOnes()
    {
        var problems = new List<LedgerProblem>();

        LedgerCatalog.Resolve([new LedgerOptions { Name = "erp", Provider = "oracle", ConnectionString = "x", Mapping = "m.json" }], ".", problems);

        Assert.That(problems.Select(p => p.ToString()), Has.Some.EqualTo("ledger 'erp': unknown provider 'oracle'; use one of: sqlite, postgres, sqlserver"));
    }

    [Test]
    public void Check_LedgerFileThatDoesNotExist_SaysItCannotBeReached()
    {
        using var ledger = new TestLedger();
        var definition = ledger.Definition() with { ConnectionString = $"Data Source={Path.Combine(ledger.Directory, "gone.db")}" };

        var result = AttachChecker.Check([definition], 10);

        Assert.That(result.Problems.Single().ToString(), Does.StartWith("ledger 'main': cannot reach the ledger: the SQLite file ").And.EndWith("gone.db does not exist"));
        Assert.That(File.Exists(Path.Combine(ledger.Directory, "gone.db")), Is.False, "checking must not create the ledger file");
    }

    [Test]
    public void Check_PostgresServerThatDoesNotAnswer_SaysItCannotBeReached()
    {
        using var ledger = new TestLedger();
        var definition = ledger.Definition() with
        {
            Provider = Store.Providers.DatabaseProvider.PostgreSql,
            ConnectionString = "Host=127.0.0.1;Port=1;Username=x;Password=y;Database=ledger;Timeout=3",
        };

        var result = AttachChecker.Check([definition], 10);

        Assert.That(result.Problems.Single().ToString(), Does.StartWith("ledger 'main': cannot reach the ledger (postgres 127.0.0.1:1/ledger): "));
    }
}
