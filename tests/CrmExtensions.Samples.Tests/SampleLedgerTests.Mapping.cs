using System.Text.Json;

namespace CrmExtensions.Samples.Tests;

public sealed partial class SampleLedgerTests
{
    private static readonly Dictionary<string, (string[] Required, string[] Optional)> Canonical = new()
    {
        ["counterparties"] = (["ledger_id", "name"],
            ["tax_id", "branch_code", "registration_number", "parent_ledger_id", "address", "city", "region", "country", "phone", "email", "website", "manager", "birthday", "updated_at"]),
        ["invoices"] = (["ledger_id", "counterparty_id", "issued_on", "amount"], ["number", "due_on", "currency", "paid_amount", "manager", "updated_at"]),
        ["payments"] = (["ledger_id", "counterparty_id", "paid_on", "amount"], ["invoice_id", "currency", "updated_at"]),
        ["contacts"] = (["ledger_id", "counterparty_id", "full_name"], ["position", "email", "phone", "birthday", "updated_at"]),
        ["products"] = (["ledger_id", "name"], ["product_group", "unit", "updated_at"]),
        ["invoice_lines"] = (["ledger_id", "invoice_id", "product_id", "amount"], ["product_name", "quantity", "unit", "product_group", "updated_at"]),
        ["rates"] = (["ledger_id", "currency", "rate_on", "rate"], ["units", "updated_at"]),
    };

    [Test]
    public void Generate_MappingQueries_RunReadOnlyAndYieldCanonicalColumns()
    {
        var queries = TestLedger.Queries(_result.MappingPath);
        Assert.That(queries.Keys, Is.EquivalentTo(Canonical.Keys));

        foreach (var ledger in _result.Ledgers)
        {
            using var connection = TestLedger.OpenReadOnly(ledger.Path);
            foreach (var (kind, query) in queries)
            {
                using var command = connection.CreateCommand();
                command.CommandText = query;
                using var reader = command.ExecuteReader();
                var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToList();
                var (required, optional) = Canonical[kind];
                Assert.That(columns, Is.Unique, kind);
                Assert.That(columns, Is.SubsetOf(required.Concat(optional)), kind);
                Assert.That(columns, Is.SupersetOf(required), kind);
                var count = 0;
                while (reader.Read())
                {
                    foreach (var column in required)
                    {
                        Assert.That(reader[column], Is.Not.EqualTo(DBNull.Value), $"{kind}.{column}");
                    }

                    count++;
                }

                var expected = kind switch
                {
                    "counterparties" => ledger.Counterparties,
                    "invoices" => ledger.Invoices,
                    "payments" => ledger.Payments,
                    "invoice_lines" => ledger.InvoiceLines,
                    "products" or "rates" => count,
                    _ => ledger.Contacts,
                };
                Assert.That(count, Is.EqualTo(expected).And.GreaterThan(0), $"{ledger.Name}: {kind}");
            }
        }
    }

    [Test]
    public void Generate_MappingWatermarks_NameAnOutputColumn()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(_result.MappingPath), TestLedger.JsonOptions);
        foreach (var kind in document.RootElement.EnumerateObject())
        {
            // The register of rates keeps no change stamp: it is small, and read whole on every sync.
            Assert.That(kind.Value.TryGetProperty("watermark", out var watermark) ? watermark.GetString() : null, Is.EqualTo(kind.Name == "rates" ? null : "updated_at"), kind.Name);
        }
    }

    [Test]
    public void Generate_ReadOnlyOpening_CreatesNoSideFiles()
    {
        Assert.That(Directory.GetFiles(_directory).Select(Path.GetFileName), Is.EquivalentTo(new[] { "msk.db", "spb.db", "ekb.db", "truth.csv", "sample.map.json" }));
    }

    [Test]
    public void Generate_Mapping_IsTheRepositoryFile()
    {
        var root = TestLedger.RepositoryRoot();
        if (root is null)
        {
            if (Environment.GetEnvironmentVariable("CI") == "true")
            {
                Assert.Fail("The repository root (the folder holding CrmExtensions.sln) was not found above the test binaries.");
            }

            Assert.Ignore("The repository root (the folder holding CrmExtensions.sln) was not found above the test binaries.");
        }

        var source = File.ReadAllText(Path.Combine(root, "samples", "mappings", SampleLedger.MappingFileName));

        Assert.That(File.ReadAllText(_result.MappingPath), Is.EqualTo(source));
    }

    [Test]
    public void Generate_Ledger_HasTheTrapsOfARealOne()
    {
        using var connection = TestLedger.OpenReadOnly(_result.Ledgers[0].Path);
        string Scalar(string sql)
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            return Convert.ToString(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture)!;
        }

        Assert.Multiple(() =>
        {
            Assert.That(Scalar("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name LIKE '% %'"), Is.Not.EqualTo("0"), "a table name with a space");
            Assert.That(Scalar("SELECT count(*) FROM [Справочник Контрагенты] WHERE [Код] <> rtrim([Код])"), Is.Not.EqualTo("0"), "keys with trailing spaces");
            Assert.That(Scalar("SELECT DISTINCT typeof([СуммаДокумента]) FROM [Документ Реализация]"), Is.EqualTo("integer"), "invoice money in kopecks");
            Assert.That(Scalar("SELECT DISTINCT typeof([Сумма]) FROM [Документ Поступление Оплаты]"), Is.EqualTo("real"), "payment money in roubles");
            Assert.That(Scalar("SELECT count(*) FROM [Документ Реализация] WHERE [Дата] NOT GLOB '[0-3][0-9].[01][0-9].[12][0-9][0-9][0-9]'"), Is.EqualTo("0"), "invoice dates dd.MM.yyyy");
            Assert.That(Scalar("SELECT count(*) FROM [Документ Поступление Оплаты] WHERE [Дата] NOT GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'"), Is.EqualTo("0"), "payment dates ISO");
            Assert.That(Scalar("SELECT count(*) FROM [Документ Реализация] WHERE [Проведен] = 0"), Is.Not.EqualTo("0"), "unposted drafts");
            Assert.That(Scalar("SELECT count(*) FROM [Документ Поступление Оплаты] WHERE [ДокументРасчетов] IS NULL"), Is.Not.EqualTo("0"), "payments with no invoice");
            Assert.That(Scalar("SELECT count(*) FROM [Справочник Контрагенты] WHERE [Изменено] NOT GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9] [0-2][0-9]:[0-5][0-9]:[0-5][0-9]'"), Is.EqualTo("0"), "updated_at as ISO text");
            Assert.That(Scalar("SELECT max([Дата]) FROM [Документ Поступление Оплаты]"), Is.LessThanOrEqualTo("2026-06-30"), "nothing after AsOf");
        });
    }
}
