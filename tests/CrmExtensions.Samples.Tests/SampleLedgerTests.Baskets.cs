using System.Globalization;

namespace CrmExtensions.Samples.Tests;

public sealed partial class SampleLedgerTests
{
    private sealed record MappedLine(string Ledger, string InvoiceId, string ProductId, decimal Amount);

    private List<MappedLine> ReadLines()
    {
        var query = TestLedger.Queries(_result.MappingPath)["invoice_lines"];
        var lines = new List<MappedLine>();
        foreach (var ledger in _result.Ledgers)
        {
            using var connection = TestLedger.OpenReadOnly(ledger.Path);
            using var command = connection.CreateCommand();
            command.CommandText = query;
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                lines.Add(new MappedLine(ledger.Name, Convert.ToString(reader["invoice_id"], CultureInfo.InvariantCulture)!,
                    (string)reader["product_id"], Convert.ToDecimal(reader["amount"], CultureInfo.InvariantCulture)));
            }
        }

        return lines;
    }

    [Test]
    public void Generate_InvoiceLines_AddUpToEveryPostedInvoice()
    {
        var sums = ReadLines().GroupBy(l => (l.Ledger, l.InvoiceId)).ToDictionary(g => g.Key, g => g.Sum(l => l.Amount));
        var query = TestLedger.Queries(_result.MappingPath)["invoices"];
        var invoices = 0;
        foreach (var ledger in _result.Ledgers)
        {
            using var connection = TestLedger.OpenReadOnly(ledger.Path);
            using var command = connection.CreateCommand();
            command.CommandText = query;
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                invoices++;
                var id = Convert.ToString(reader["ledger_id"], CultureInfo.InvariantCulture)!;
                Assert.That(sums.TryGetValue((ledger.Name, id), out var sum), Is.True, $"{ledger.Name}: invoice {id} has lines");
                Assert.That(sum, Is.EqualTo(Convert.ToDecimal(reader["amount"], CultureInfo.InvariantCulture)).Within(0.001m), $"{ledger.Name}: invoice {id}");
            }
        }

        Assert.That(sums, Has.Count.EqualTo(invoices), "no line of a draft or of a missing invoice is mapped");
    }

    [Test]
    public void Generate_PlantedPairs_AreFollowedFarMoreOftenThanChance()
    {
        // The ground truth per counterparty: which products each bought, over all its posted invoices.
        var invoiceOwner = new Dictionary<(string, string), string>();
        foreach (var ledger in _result.Ledgers)
        {
            using var connection = TestLedger.OpenReadOnly(ledger.Path);
            using var command = connection.CreateCommand();
            command.CommandText = """SELECT "Ссылка", "Контрагент" FROM "Документ Реализация" WHERE "Проведен" = 1""";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                invoiceOwner[(ledger.Name, reader.GetInt64(0).ToString(CultureInfo.InvariantCulture))] = ledger.Name + "/" + reader.GetString(1);
            }
        }

        var bought = ReadLines().GroupBy(l => invoiceOwner[(l.Ledger, l.InvoiceId)]).Select(g => g.Select(l => l.ProductId).ToHashSet()).ToList();
        Assert.That(_result.PlantedPairs, Is.Not.Empty);
        foreach (var pair in _result.PlantedPairs)
        {
            var first = bought.Count(b => b.Contains(pair.ProductId));
            var then = bought.Count(b => b.Contains(pair.ThenProductId));
            var both = bought.Count(b => b.Contains(pair.ProductId) && b.Contains(pair.ThenProductId));
            Assert.That(first, Is.GreaterThan(0), pair.ProductName);

            // Confidence of "bought the first → bought the second" far above the second's base rate.
            var confidence = (double)both / first;
            var baseRate = (double)then / bought.Count;
            Assert.That(confidence, Is.GreaterThan(3 * baseRate), $"{pair.ProductName} → {pair.ThenProductName}: {both}/{first} against {then}/{bought.Count}");
        }
    }

    [Test]
    public void Generate_Products_NameEveryProductTheLinesSell()
    {
        var query = TestLedger.Queries(_result.MappingPath)["products"];
        using var connection = TestLedger.OpenReadOnly(_result.Ledgers[0].Path);
        using var command = connection.CreateCommand();
        command.CommandText = query;
        var catalogue = new HashSet<string>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                catalogue.Add((string)reader["ledger_id"]);
            }
        }

        Assert.That(ReadLines().Select(l => l.ProductId).Distinct(), Is.SubsetOf(catalogue));
    }
}
