using System.Globalization;

namespace CrmExtensions.Formats.Tests;

public sealed class CsvWriterTests
{
    private static string Write(char separator, string newLine, params string?[][] records)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        var csv = new CsvWriter(text, separator, newLine);
        foreach (var record in records)
        {
            csv.WriteRecord(record);
        }

        return text.ToString();
    }

    [TestCase("ООО Ромашка", "ООО Ромашка")]
    [TestCase("", "")]
    [TestCase(null, "")]
    [TestCase("a,b", "\"a,b\"")]
    [TestCase("ООО \"Ромашка\"", "\"ООО \"\"Ромашка\"\"\"")]
    [TestCase("line\nbreak", "\"line\nbreak\"")]
    [TestCase("cr\r", "\"cr\r\"")]
    [TestCase("a;b", "a;b")]
    public void Field_Value_QuotedOnlyWhenRfc4180AsksForIt(string? value, string expected) =>
        Assert.That(CsvWriter.Field(value), Is.EqualTo(expected));

    [Test]
    public void Field_SemicolonSeparator_QuotesSemicolonsNotCommas()
    {
        Assert.That(CsvWriter.Field("a;b", ';'), Is.EqualTo("\"a;b\""));
        Assert.That(CsvWriter.Field("a,b", ';'), Is.EqualTo("a,b"));
    }

    [Test]
    public void WriteRecord_Records_SeparatedByCommasEndedByCrlf() =>
        Assert.That(Write(',', "\r\n", ["id", "name"], ["1", "Ромашка, ООО"], ["2", null]),
            Is.EqualTo("id,name\r\n1,\"Ромашка, ООО\"\r\n2,\r\n"));

    [Test]
    public void WriteRecord_SpanOfFields_SameAsTheEnumerable()
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        var csv = new CsvWriter(text, ';', "\n");

        csv.WriteRecord("a", "b;c", null);
        csv.WriteRecord(new List<string?> { "a", "b;c", null });

        Assert.That(text.ToString(), Is.EqualTo("a;\"b;c\";\na;\"b;c\";\n"));
    }

    [Test]
    public void WriteRecord_ReadBackByCsvReader_SameFields()
    {
        string?[][] records = [["client", "subject", "note"], ["7707083893", "Счёт \"42\", оплата", "строка 1\nстрока 2"], ["msk:C1", "", "x"]];

        foreach (var separator in new[] { ',', ';' })
        {
            var read = CsvReader.Read(new StringReader(Write(separator, "\r\n", records))).Select(r => r.Fields.ToArray()).ToArray();

            Assert.That(read, Is.EqualTo(records), $"separator '{separator}'");
        }
    }
}
