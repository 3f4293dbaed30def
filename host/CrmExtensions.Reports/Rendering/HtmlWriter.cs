using System.Text;
using CrmExtensions.Formats;
using CrmExtensions.Sdk.Reports;

namespace CrmExtensions.Reports.Rendering;

/// <summary>A self-contained HTML page: inline styles, an inline SVG chart, the table with its totals, the notes.</summary>
/// <remarks>No scripts and nothing fetched: the file opens the same offline, in a mail client or a headless browser.</remarks>
internal static class HtmlWriter
{
    private const string Style =
        """
        body { font-family: "DejaVu Sans", Arial, sans-serif; margin: 24px; color: #222; }
        h1 { font-size: 20px; margin: 0 0 4px; }
        h2 { font-size: 16px; margin: 24px 0 8px; }
        p.sub { color: #666; margin: 0 0 16px; }
        svg { display: block; max-width: 1000px; margin-bottom: 16px; }
        table { border-collapse: collapse; font-size: 13px; }
        th, td { padding: 3px 8px; border-bottom: 1px solid #ddd; }
        th { background: #f2f2f2; text-align: left; }
        td.n, th.n { text-align: right; white-space: nowrap; }
        tr.total td { font-weight: bold; border-top: 2px solid #999; }
        ul.notes { color: #444; font-size: 13px; }
        """;

    public static string Write(IReadOnlyList<ReportSection> sections, RenderOptions options)
    {
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"ru\">\n<head>\n<meta charset=\"utf-8\">\n<title>").Append(Html.Escape(options.Title)).Append("</title>\n<style>\n")
            .Append(Style).Append("</style>\n</head>\n<body>\n<h1>").Append(Html.Escape(options.Title)).Append("</h1>\n<p class=\"sub\">").Append(Html.Escape(options.Subtitle)).Append("</p>\n");
        foreach (var section in sections)
        {
            if (section.Caption is { } caption)
            {
                sb.Append("<h2>").Append(Html.Escape(caption)).Append("</h2>\n");
            }

            Section(sb, section.Table, options);
        }

        return sb.Append("</body>\n</html>\n").ToString();
    }

    private static void Section(StringBuilder sb, ReportTable table, RenderOptions options)
    {
        if (table.Chart is { } chart)
        {
            sb.Append(SvgChart.Render(table, chart, options)).Append('\n');
        }

        sb.Append("<table>\n<thead><tr>");
        for (var i = 0; i < table.Columns.Count; i++)
        {
            sb.Append(Numeric(table, i) ? "<th class=\"n\">" : "<th>").Append(Html.Escape(table.Columns[i])).Append("</th>");
        }

        sb.Append("</tr></thead>\n<tbody>\n");
        foreach (var row in table.Rows)
        {
            Row(sb, table, row, options, "");
        }

        if (table.Totals is { } totals)
        {
            Row(sb, table, totals, options, " class=\"total\"");
        }

        sb.Append("</tbody>\n</table>\n");
        if (table.Notes.Count > 0)
        {
            sb.Append("<ul class=\"notes\">\n");
            foreach (var note in table.Notes)
            {
                sb.Append("<li>").Append(Html.Escape(note)).Append("</li>\n");
            }

            sb.Append("</ul>\n");
        }
    }

    private static void Row(StringBuilder sb, ReportTable table, IReadOnlyList<string> row, RenderOptions options, string attributes)
    {
        sb.Append("<tr").Append(attributes).Append('>');
        for (var i = 0; i < table.Columns.Count; i++)
        {
            var cell = i < row.Count ? ReportRenderer.Display(row[i], ReportRenderer.KindOf(table, i), options) : "";
            sb.Append(Numeric(table, i) ? "<td class=\"n\">" : "<td>").Append(Html.Escape(cell)).Append("</td>");
        }

        sb.Append("</tr>\n");
    }

    private static bool Numeric(ReportTable table, int i) => ReportRenderer.KindOf(table, i) != ReportColumnKind.Text;
}
