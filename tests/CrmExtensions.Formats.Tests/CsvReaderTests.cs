namespace CrmExtensions.Formats.Tests;

public sealed class CsvReaderTests
{
    private static CsvRecord[] Read(string text) => [.. CsvReader.Read(new StringReader(text))];

    [Test]
    public void Read_SemicolonHeader_SplitsOnSemicolonsAndKeepsCommas()
    {
        var records = Read("client;subject\r\n1;Ромашка, ООО\r\n");

        Assert.That(records.Select(r => r.Fields), Is.EqualTo(new[] { new[] { "client", "subject" }, new[] { "1", "Ромашка, ООО" } }));
    }

    [Test]
    public void Read_QuotedLineBreakAndEmptyLines_OneRecordStartingOnItsLine()
    {
        var records = Read("a,b\n\n1,\"two\nlines\"\n3,\"say \"\"hi\"\"\"\n");

        Assert.That(records, Has.Length.EqualTo(3));
        Assert.That(records[1], Is.EqualTo(new CsvRecord(3, records[1].Fields)));
        Assert.That(records[1].Fields, Is.EqualTo(new[] { "1", "two\nlines" }));
        Assert.That(records[2].Line, Is.EqualTo(5));
        Assert.That(records[2].Fields, Is.EqualTo(new[] { "3", "say \"hi\"" }));
    }
}
