using System.Globalization;
using System.Text;
using CrmExtensions.Sdk.Reports;

namespace CrmExtensions.Reports.Rendering;

/// <summary>An aligned text table: text left, numbers right, long text cut with an ellipsis, totals under a rule.</summary>
internal static class TableWriter
{
    private const int MaxWidth = 36;

    public static string Write(IReadOnlyList<ReportSection> sections, RenderOptions options)
    {
        var sb = new StringBuilder();
        sb.AppendLine(options.Title).AppendLine(options.Subtitle);
        foreach (var section in sections)
        {
            sb.AppendLine();
            if (section.Caption is { } caption)
            {
                sb.AppendLine(caption).AppendLine();
            }

            Section(sb, section.Table, options);
        }

        return sb.ToString();
    }

    private static void Section(StringBuilder sb, ReportTable table, RenderOptions options)
    {
        var columns = table.Columns.Count;
        var body = table.Rows.Select(r => Cells(table, r, options)).ToList();
        var totals = table.Totals is null ? null : Cells(table, table.Totals, options);
        var widths = new int[columns];
        foreach (var row in body.Append(table.Columns.Select(c => Cut(c)).ToArray()).Concat(totals is null ? [] : [totals]))
        {
            for (var i = 0; i < columns; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }

        Line(sb, table, table.Columns.Select(c => Cut(c)).ToArray(), widths);
        sb.AppendLine(new string('─', widths.Sum() + (2 * (columns - 1))));
        foreach (var row in body)
        {
            Line(sb, table, row, widths);
        }

        if (totals is not null)
        {
            sb.AppendLine(new string('─', widths.Sum() + (2 * (columns - 1))));
            Line(sb, table, totals, widths);
        }

        if (table.Notes.Count > 0)
        {
            sb.AppendLine();
            foreach (var note in table.Notes)
            {
                sb.AppendLine(note);
            }
        }
    }

    private static string[] Cells(ReportTable table, IReadOnlyList<string> row, RenderOptions options) =>
        Enumerable.Range(0, table.Columns.Count).Select(i => Cut(ReportRenderer.Display(i < row.Count ? row[i] : "", ReportRenderer.KindOf(table, i), options))).ToArray();

    private static string Cut(string text) =>
        new StringInfo(text).LengthInTextElements <= MaxWidth ? text : new StringInfo(text).SubstringByTextElements(0, MaxWidth - 1) + "…";

    private static void Line(StringBuilder sb, ReportTable table, string[] cells, int[] widths)
    {
        var line = new StringBuilder();
        for (var i = 0; i < cells.Length; i++)
        {
            if (i > 0)
            {
                line.Append("  ");
            }

            var right = ReportRenderer.KindOf(table, i) != ReportColumnKind.Text;
            line.Append(right ? cells[i].PadLeft(widths[i]) : cells[i].PadRight(widths[i]));
        }

        sb.AppendLine(line.ToString().TrimEnd());
    }
}
