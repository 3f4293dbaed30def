using System.Text;
using CrmExtensions.Sdk.Reports;

namespace CrmExtensions.Reports.Rendering;

/// <summary>RFC 4180: CRLF line ends, fields with a comma, quote or line break quoted, quotes doubled.</summary>
internal static class CsvWriter
{
    public static string Write(ReportTable table)
    {
        var sb = new StringBuilder();
        Line(sb, table.Columns);
        foreach (var row in table.Rows)
        {
            Line(sb, row);
        }

        return sb.ToString();
    }

    private static void Line(StringBuilder sb, IReadOnlyList<string> cells)
    {
        for (var i = 0; i < cells.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(',');
            }

            sb.Append(Field(cells[i]));
        }

        sb.Append("\r\n");
    }

    internal static string Field(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}
