using System.Data.Common;
using System.Globalization;
using System.Text;
using CrmExtensions.Ledger.Checking;
using CrmExtensions.Ledger.Connections;
using CrmExtensions.Testing;

namespace CrmExtensions.Ledger.Tests.Checking;

/// <summary>
/// Issue 15, item 6: attach --check finds, over the whole result and not only the sampled rows, a ledger_id returned
/// more than once (orders joined to their lines without GROUP BY) and invoices or payments whose counterparty is not
/// mapped — on SQLite and a real PostgreSQL ledger.
/// </summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.Postgres)]
public sealed class WholeResultChecksTests(DatabaseProvider provider)
{
    private const int Orders = 150;

    private const string Counterparties = """ "counterparties": { "query": "SELECT id AS ledger_id, name FROM cp" } """;

    private const string JoinedToLines = """
        "invoices": { "query": "SELECT o.id AS ledger_id, o.cp AS counterparty_id, o.issued AS issued_on, l.qty * 10.0 AS amount FROM orders o JOIN lines l ON l.order_id = o.id ORDER BY o.id" }
        """;

    private const string Grouped = """
        "invoices": { "query": "SELECT o.id AS ledger_id, o.cp AS counterparty_id, o.issued AS issued_on, SUM(l.qty) * 10.0 AS amount FROM orders o JOIN lines l ON l.order_id = o.id GROUP BY o.id, o.cp, o.issued" },
        "payments": { "query": "SELECT id AS ledger_id, cp AS counterparty_id, paid AS paid_on, amount FROM pay" }
        """;

    private TestDatabase _database = null!;
    private TempDirectory _folder = null!;

    [SetUp]
    public void SetUp()
    {
        _database = TestDatabase.Create(provider);
        _folder = new TempDirectory();
        var sql = new StringBuilder("""
            CREATE TABLE cp (id text PRIMARY KEY, name text);
            CREATE TABLE orders (id int PRIMARY KEY, cp text, issued text);
            CREATE TABLE lines (id int PRIMARY KEY, order_id int, qty int);
            CREATE TABLE pay (id int PRIMARY KEY, cp text, paid text, amount numeric);
            INSERT INTO cp VALUES ('A1', 'Ромашка'), ('B2', 'Acme Trading');
            """);
        var line = 0;
        for (var order = 1; order <= Orders; order++)
        {
            // The last order has three lines; the last two name a counterparty the counterparties query does not return.
            var party = order > Orders - 2 ? "X9" : order % 2 == 0 ? "A1" : "B2";
            sql.Append(CultureInfo.InvariantCulture, $"INSERT INTO orders VALUES ({order}, '{party}', '2024-03-01');\n");
            for (var l = 0; l < (order == Orders ? 3 : 1); l++)
            {
                sql.Append(CultureInfo.InvariantCulture, $"INSERT INTO lines VALUES ({++line}, {order}, 2);\n");
            }
        }

        sql.Append("INSERT INTO pay VALUES (1, 'A1', '2024-03-05', 20), (2, 'Z0', '2024-03-06', 30);");
        Execute(sql.ToString());
    }

    [TearDown]
    public void TearDown()
    {
        _folder?.Dispose();
        _database?.Dispose();
    }

    private void Execute(string sql)
    {
        using DbConnection connection = provider == DatabaseProvider.Sqlite
            ? new Microsoft.Data.Sqlite.SqliteConnection(_database.ConnectionString)
            : new Npgsql.NpgsqlConnection(_database.ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private AttachCheckResult Check(string kinds, int sampleRows = 100)
    {
        File.WriteAllText(Path.Combine(_folder.Path, "erp.map.json"), "{" + kinds + "}");
        var problems = new List<LedgerProblem>();
        var ledgers = LedgerCatalog.Resolve(
            [new LedgerOptions { Name = "erp", Provider = provider == DatabaseProvider.Sqlite ? "sqlite" : "postgres", ConnectionString = _database.ConnectionString, Mapping = "erp.map.json" }],
            _folder.Path, problems);
        Assert.That(problems, Is.Empty);
        return AttachChecker.Check(ledgers, sampleRows);
    }

    [Test]
    public void Check_OrdersJoinedToTheirLines_IsAnErrorNamingKindAndId_EvenPastTheSampledRows()
    {
        var result = Check(Counterparties + "," + JoinedToLines);

        Assert.That(result.Problems.Select(p => p.ToString()), Is.EqualTo(new[]
        {
            "ledger 'erp', invoices.ledger_id (erp.map.json): the query returns ledger_id '150' 3 times. Each invoice must be one row: " +
            "sync would keep only one of them (a join to detail rows without GROUP BY does this)",
        }));
        Assert.That(result.Kinds.Single(k => k.Kind == "invoices").SampledRows, Is.LessThan(Orders), "the duplicate lies past the sampled rows");
    }

    [Test]
    public void Check_GroupedOrders_HaveNoDuplicates_AndRowsOfUnmappedCounterpartiesAreCounted()
    {
        var result = Check(Counterparties + "," + Grouped);

        Assert.That(result.Problems, Is.Empty, string.Join("\n", result.Problems));
        Assert.That(result.Warnings.Select(w => w.ToString()), Is.EqualTo(new[]
        {
            "ledger 'erp', invoices.counterparty_id (erp.map.json): 2 invoices name a counterparty that the counterparties query does not return " +
            "(e.g. counterparty_id 'X9'): their money belongs to no client until the counterparties query returns them",
            "ledger 'erp', payments.counterparty_id (erp.map.json): 1 payment names a counterparty that the counterparties query does not return " +
            "(e.g. counterparty_id 'Z0'): their money belongs to no client until the counterparties query returns them",
        }));
    }

    [Test]
    public void Check_DescribeOnly_ReadsNoWholeResult()
    {
        var result = Check(Counterparties + "," + JoinedToLines, sampleRows: 0);

        Assert.That(result.Passed, Is.True, "--sample 0 only describes the queries");
        Assert.That(result.Warnings, Is.Empty);
    }

    [Test]
    public void Check_InvoiceLines_AreReconciledWithTheirInvoices()
    {
        // Order 7 carries a charge outside its lines; order 151 has no lines; two lines name order 999, which no query returns.
        Execute("INSERT INTO orders VALUES (151, 'A1', '2024-03-02'); INSERT INTO lines VALUES (9001, 999, 1), (9002, 999, 4);");
        const string Kinds = """
            "invoices": { "query": "SELECT o.id AS ledger_id, o.cp AS counterparty_id, o.issued AS issued_on, COALESCE(SUM(l.qty), 0) * 10.0 + CASE WHEN o.id = 7 THEN 5.5 ELSE 0 END AS amount FROM orders o LEFT JOIN lines l ON l.order_id = o.id GROUP BY o.id, o.cp, o.issued" },
            "invoice_lines": { "query": "SELECT id AS ledger_id, order_id AS invoice_id, 'P' || id AS product_id, qty * 10.0 AS amount FROM lines" }
            """;

        var result = Check(Counterparties + "," + Kinds);

        Assert.That(result.Problems, Is.Empty, string.Join("\n", result.Problems));
        Assert.That(result.Warnings.Select(w => w.ToString()).Where(w => w.Contains("invoice_lines", StringComparison.Ordinal)), Is.EqualTo(new[]
        {
            "ledger 'erp', invoice_lines.invoice_id (erp.map.json): 2 invoice lines name an invoice that the invoices query does not return " +
            "(e.g. invoice_id '999'): what they sold belongs to no client",
            "ledger 'erp', invoice_lines.amount (erp.map.json): the lines of 1 of 150 invoices do not add up to the invoice's amount " +
            "(e.g. invoice '7': lines 20.00, invoice 25.50): a line missing from the query, or a charge outside the lines (freight, a discount) to map as a line",
            "ledger 'erp', invoice_lines.invoice_id (erp.map.json): 1 of 151 invoices have no lines (e.g. invoice '151'): what they sold is unknown to the recommendations",
        }));
    }

    [Test]
    public void Check_InvoiceLinesThatAddUp_WarnOfNothing()
    {
        const string Kinds = """
            "invoices": { "query": "SELECT o.id AS ledger_id, o.cp AS counterparty_id, o.issued AS issued_on, SUM(l.qty) * 10.0 AS amount FROM orders o JOIN lines l ON l.order_id = o.id GROUP BY o.id, o.cp, o.issued" },
            "invoice_lines": { "query": "SELECT id AS ledger_id, order_id AS invoice_id, 'P' AS product_id, qty * 10.0 AS amount FROM lines" }
            """;

        var result = Check(Counterparties + "," + Kinds);

        Assert.That(result.Problems, Is.Empty, string.Join("\n", result.Problems));
        Assert.That(result.Warnings.Where(w => w.ToString().Contains("invoice_lines", StringComparison.Ordinal)), Is.Empty);
    }
}
