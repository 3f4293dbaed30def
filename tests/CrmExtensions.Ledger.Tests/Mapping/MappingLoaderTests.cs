using CrmExtensions.Ledger.Mapping;
using CrmExtensions.Store.Mirror;

namespace CrmExtensions.Ledger.Tests.Mapping;

public sealed class MappingLoaderTests
{
    private static (LedgerMapping? Mapping, List<LedgerProblem> Problems) Parse(string json)
    {
        var problems = new List<LedgerProblem>();
        return (MappingLoader.Parse("main", "main.map.json", json, problems), problems);
    }

    [Test]
    public void Parse_CommentsAndTrailingCommas_AreAccepted()
    {
        var (mapping, problems) = Parse("""
            // the ledger's clients
            { "counterparties": { "query": "SELECT 1 AS ledger_id, 'x' AS name", /* block */ "watermark": "updated_at", }, }
            """);

        Assert.That(problems, Is.Empty);
        Assert.That(mapping!.For(MirrorSchema.Counterparties)!.Watermark, Is.EqualTo("updated_at"));
    }

    [Test]
    public void Parse_KindsInAnyOrder_AreReturnedInSyncOrder()
    {
        var (mapping, _) = Parse("""
            { "payments": { "query": "SELECT 1" }, "counterparties": { "query": "SELECT 1" }, "invoices": { "query": "SELECT 1" } }
            """);

        Assert.That(mapping!.Kinds.Select(k => k.Kind.Name), Is.EqualTo(new[] { "counterparties", "invoices", "payments" }));
    }

    [Test]
    public void Parse_MisspeltKind_SuggestsTheRightOne()
    {
        var (mapping, problems) = Parse("""{ "counterparties": { "query": "SELECT 1" }, "invoice": { "query": "SELECT 1" } }""");

        Assert.That(mapping, Is.Null);
        Assert.That(problems.Single().ToString(), Does.Contain("unknown kind 'invoice'").And.Contain("did you mean 'invoices'"));
    }

    [TestCase("\"руб.\"", "RUB")]
    [TestCase("\"usd\"", "USD")]
    public void Parse_LedgerCurrency_IsKeptAsItsCode(string currency, string code)
    {
        var (mapping, problems) = Parse($$"""{ "currency": {{currency}}, "counterparties": { "query": "SELECT 1" } }""");

        Assert.That(problems, Is.Empty);
        Assert.That(mapping!.Currency, Is.EqualTo(code));
    }

    [TestCase("\"dollars\"")]
    [TestCase("840.5")]
    public void Parse_LedgerCurrencyNotACurrency_SaysSo(string currency)
    {
        var (mapping, problems) = Parse($$"""{ "currency": {{currency}}, "counterparties": { "query": "SELECT 1" } }""");

        Assert.That(mapping, Is.Null);
        Assert.That(problems.Single().ToString(), Does.Contain("\"currency\" must name the ledger's currency").And.Contain(currency));
    }

    [Test]
    public void Parse_WithoutCounterparties_SaysItIsRequired()
    {
        var (_, problems) = Parse("""{ "invoices": { "query": "SELECT 1" } }""");

        Assert.That(problems.Single().Message, Does.Contain("'counterparties' is required"));
    }

    [Test]
    public void Parse_InvalidJson_GivesFileLineAndColumn()
    {
        var (_, problems) = Parse("{\n  \"counterparties\": { \"query\": \"SELECT 1\" \n  \"x\": 1 }\n}");

        Assert.That(problems.Single().ToString(), Does.StartWith("ledger 'main' (main.map.json): main.map.json(3,").And.Contain("not valid JSON"));
    }

    [Test]
    public void Parse_EveryProblem_IsReportedAtOnce()
    {
        var (_, problems) = Parse("""
            { "counterparties": { "query": "", "watermak": "updated_at" }, "contacts": { "query": "SELECT 1", "watermark": "changed" } }
            """);

        Assert.That(problems.Select(p => p.Message), Has.Some.Contains("\"query\" is missing")
            .And.Some.Contains("unknown property \"watermak\"")
            .And.Some.Contains("watermark 'changed' is not a column of contacts"));
    }

    [Test]
    public void Load_MissingFile_NamesIt()
    {
        var problems = new List<LedgerProblem>();

        var mapping = MappingLoader.Load("main", "no-such.map.json", problems);

        Assert.That(mapping, Is.Null);
        Assert.That(problems.Single().Message, Does.Contain("mapping file not found").And.Contain("no-such.map.json"));
    }
}
