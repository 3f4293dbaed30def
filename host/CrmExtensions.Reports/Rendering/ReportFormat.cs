using System.Globalization;
using CrmExtensions.Formats;
using CrmExtensions.Sdk.Reports;

namespace CrmExtensions.Reports.Rendering;

/// <summary>How a report is written: a terminal table, CSV or a self-contained HTML page.</summary>
public enum ReportFormat
{
    /// <summary>An aligned text table for the terminal, numbers in the reader's culture.</summary>
    Table,

    /// <summary>RFC 4180 CSV with a header row and invariant numbers; the rows only, no totals or notes.</summary>
    Csv,

    /// <summary>One HTML file with its styles and an inline SVG chart; no scripts, nothing fetched.</summary>
    Html,
}

/// <summary>What a renderer needs besides the table.</summary>
/// <param name="Title">The report's title.</param>
/// <param name="Subtitle">The range and the as-of day, for people.</param>
/// <param name="Culture">How numbers and money are written in tables and HTML (CSV is always invariant).</param>
/// <param name="Currency">Written after money amounts in tables and HTML; empty for none.</param>
public sealed record RenderOptions(string Title, string Subtitle, CultureInfo Culture, string Currency)
{
    /// <summary>Russian writing: <c>1 234 567,89 ₽</c>, or the sign of another base currency (<c>1 234 567,89 $</c>).</summary>
    /// <param name="title">The report's title.</param>
    /// <param name="subtitle">The range and the as-of day.</param>
    /// <param name="baseCurrency">The store's base currency, which the built-in reports' money is in.</param>
    public static RenderOptions Russian(string title, string subtitle, string baseCurrency = Store.Mirror.Currency.DefaultBase) =>
        new(title, subtitle, CultureInfo.GetCultureInfo("ru-RU"), Store.Mirror.Currency.Symbol(baseCurrency));
}

/// <summary>Writes a report table in one of the <see cref="ReportFormat"/>s.</summary>
public static class ReportRenderer
{
    /// <summary>Renders <paramref name="table"/>.</summary>
    public static string Render(ReportTable table, ReportFormat format, RenderOptions options)
    {
        ArgumentNullException.ThrowIfNull(table);
        return Render([new ReportSection(null, table)], format, options);
    }

    /// <summary>Renders every table of a report, each under its caption.</summary>
    public static string Render(IReadOnlyList<ReportSection> sections, ReportFormat format, RenderOptions options)
    {
        ArgumentNullException.ThrowIfNull(sections);
        ArgumentNullException.ThrowIfNull(options);
        return format switch
        {
            ReportFormat.Csv => Csv(sections),
            ReportFormat.Html => HtmlWriter.Write(sections, options),
            _ => TableWriter.Write(sections, options),
        };
    }

    /// <summary>The table drawn as an inline SVG chart from its <see cref="ReportTable.Chart"/> hint; empty without one or without rows.</summary>
    /// <remarks>Every text in it is escaped; it holds no script and no style attribute.</remarks>
    public static string Chart(ReportTable table, RenderOptions options)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(options);
        return table.Chart is { } chart ? SvgChart.Render(table, chart, options) : "";
    }

    /// <summary>The header row, then every row (no totals or notes), RFC 4180. Several tables are written one after the other
    /// under the first's header, each row led by a <c>table</c> column holding its table's caption.</summary>
    private static string Csv(IReadOnlyList<ReportSection> sections)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        var csv = new CsvWriter(text);
        var several = sections.Count > 1;
        csv.WriteRecord(several ? ["table", .. sections[0].Table.Columns] : sections[0].Table.Columns);
        foreach (var section in sections)
        {
            foreach (var row in section.Table.Rows)
            {
                csv.WriteRecord(several ? [section.Caption ?? "", .. row] : row);
            }
        }

        return text.ToString();
    }

    /// <summary>Parses <c>table</c>, <c>csv</c> or <c>html</c>.</summary>
    public static bool TryParse(string? text, out ReportFormat format)
    {
        format = ReportFormat.Table;
        return text is null || Enum.TryParse(text, ignoreCase: true, out format) && Enum.IsDefined(format);
    }

    /// <summary>The kind of column <paramref name="index"/>: text when the table does not say.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="table"/> is null.</exception>
    public static ReportColumnKind KindOf(ReportTable table, int index)
    {
        ArgumentNullException.ThrowIfNull(table);
        return table.Kinds is { } kinds && index < kinds.Count ? kinds[index] : ReportColumnKind.Text;
    }

    /// <summary>A cell as people read it: money and numbers in the culture, text as it is.</summary>
    public static string Display(string cell, ReportColumnKind kind, RenderOptions options)
    {
        ArgumentNullException.ThrowIfNull(cell);
        ArgumentNullException.ThrowIfNull(options);
        if (kind == ReportColumnKind.Text || cell.Length == 0 || !decimal.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            return cell;
        }

        if (kind == ReportColumnKind.Money)
        {
            var amount = value.ToString("N2", options.Culture);
            return options.Currency.Length == 0 ? amount : amount + " " + options.Currency;
        }

        var decimals = cell.IndexOf('.', StringComparison.Ordinal) is var dot and >= 0 ? cell.Length - dot - 1 : 0;
        return value.ToString("N" + decimals.ToString(CultureInfo.InvariantCulture), options.Culture);
    }
}
