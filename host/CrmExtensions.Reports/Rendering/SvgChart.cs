using System.Globalization;
using System.Text;
using CrmExtensions.Formats;
using CrmExtensions.Sdk.Reports;

namespace CrmExtensions.Reports.Rendering;

/// <summary>Draws a report table as an inline SVG chart from its <see cref="ReportChart"/> hint.</summary>
/// <remarks>
/// Pareto: bars of the first value column with the second (a cumulative percentage) as a line on a 0–100 % axis and
/// the 80 % mark. Stacked bars: one horizontal bar per row, the value columns stacked. Lines: one small panel per value
/// column, so that money and counts each get their own scale. Bars: grouped vertical bars.
/// </remarks>
internal static class SvgChart
{
    private const int Width = 1000;
    private static readonly string[] Palette = ["#4472c4", "#ed7d31", "#a5a5a5", "#ffc000", "#c0392b", "#70ad47"];

    public static string Render(ReportTable table, ReportChart chart, RenderOptions options)
    {
        var label = IndexOf(table, chart.LabelColumn);
        var values = chart.ValueColumns.Select(c => IndexOf(table, c)).Where(i => i >= 0).ToArray();
        if (label < 0 || values.Length == 0 || table.Rows.Count == 0)
        {
            return "";
        }

        var rows = table.Rows.Take(chart.Kind == ReportChartKind.Line ? 120 : 30).ToList();
        var labels = rows.Select(r => label < r.Count ? r[label] : "").ToList();
        var series = values.Select(v => rows.Select(r => Number(v < r.Count ? r[v] : "")).ToArray()).ToArray();
        var names = values.Select(v => table.Columns[v]).ToArray();
        return chart.Kind switch
        {
            ReportChartKind.Pareto => Pareto(labels, series, names, options),
            ReportChartKind.StackedBar => Stacked(labels, series, names, options),
            ReportChartKind.Line => Lines(labels, series, names, options),
            _ => Bars(labels, series, names, options),
        };
    }

    private static string Pareto(List<string> labels, double[][] series, string[] names, RenderOptions options)
    {
        const int height = 420, left = 90, right = 50, top = 30, bottom = 150;
        var plotW = Width - left - right;
        var plotH = height - top - bottom;
        var max = Math.Max(series[0].Max(), 1);
        var step = (double)plotW / labels.Count;
        var sb = Open(height, "Pareto chart: " + names[0]);
        Axis(sb, left, top, plotW, plotH, max, options);
        for (var i = 0; i < labels.Count; i++)
        {
            var h = plotH * Math.Max(series[0][i], 0) / max;
            Rect(sb, left + (i * step) + (step * 0.1), top + plotH - h, step * 0.8, h, Palette[0], labels[i] + ": " + Format(series[0][i], options));
            XLabel(sb, left + (i * step) + (step / 2), top + plotH + 8, labels[i]);
        }

        if (series.Length > 1)
        {
            var points = string.Join(' ', Enumerable.Range(0, labels.Count).Select(i => P(left + (i * step) + (step / 2)) + "," + P(top + plotH - (plotH * Math.Clamp(series[1][i], 0, 100) / 100))));
            sb.Append("<polyline fill=\"none\" stroke=\"").Append(Palette[1]).Append("\" stroke-width=\"2.5\" points=\"").Append(points).Append("\"/>\n");
            var y80 = top + (plotH * 0.2);
            sb.Append("<line x1=\"").Append(left).Append("\" x2=\"").Append(left + plotW).Append("\" y1=\"").Append(P(y80)).Append("\" y2=\"").Append(P(y80))
                .Append("\" stroke=\"").Append(Palette[4]).Append("\" stroke-dasharray=\"6 4\"/>\n");
            foreach (var pct in new[] { 0, 20, 40, 60, 80, 100 })
            {
                Text(sb, left + plotW + 6, top + plotH - (plotH * pct / 100.0) + 4, pct.ToString(CultureInfo.InvariantCulture) + " %", "start");
            }
        }

        Legend(sb, left, 16, series.Length > 1 ? [names[0], names[1]] : [names[0]]);
        return sb.Append("</svg>").ToString();
    }

    private static string Stacked(List<string> labels, double[][] series, string[] names, RenderOptions options)
    {
        const int left = 260, right = 30, top = 40, bar = 18, gap = 6;
        var height = top + (labels.Count * (bar + gap)) + 20;
        var plotW = Width - left - right;
        var max = Math.Max(Enumerable.Range(0, labels.Count).Max(i => series.Sum(s => Math.Max(s[i], 0))), 1);
        var sb = Open(height, "Stacked bar chart: " + string.Join(", ", names));
        for (var i = 0; i < labels.Count; i++)
        {
            var y = top + (i * (bar + gap));
            Text(sb, left - 8, y + bar - 4, Short(labels[i], 34), "end");
            var x = (double)left;
            for (var s = 0; s < series.Length; s++)
            {
                var w = plotW * Math.Max(series[s][i], 0) / max;
                Rect(sb, x, y, w, bar, Palette[s % Palette.Length], $"{labels[i]}, {names[s]}: {Format(series[s][i], options)}");
                x += w;
            }
        }

        Legend(sb, left, 20, names);
        return sb.Append("</svg>").ToString();
    }

    private static string Lines(List<string> labels, double[][] series, string[] names, RenderOptions options)
    {
        const int left = 90, right = 30, panel = 150, gap = 40, top = 20;
        var height = top + (series.Length * (panel + gap)) + 40;
        var plotW = Width - left - right;
        var step = labels.Count > 1 ? (double)plotW / (labels.Count - 1) : plotW;
        var sb = Open(height, "Line chart: " + string.Join(", ", names));
        for (var s = 0; s < series.Length; s++)
        {
            var y0 = top + (s * (panel + gap)) + 20;
            var max = Math.Max(series[s].Max(), 1);
            Text(sb, left, y0 - 6, names[s], "start");
            Axis(sb, left, y0, plotW, panel, max, options);
            var points = string.Join(' ', series[s].Select((v, i) => P(left + (i * step)) + "," + P(y0 + panel - (panel * Math.Max(v, 0) / max))));
            sb.Append("<polyline fill=\"none\" stroke=\"").Append(Palette[s % Palette.Length]).Append("\" stroke-width=\"2\" points=\"").Append(points).Append("\"/>\n");
            for (var i = 0; i < labels.Count; i++)
            {
                var x = left + (i * step);
                sb.Append("<circle cx=\"").Append(P(x)).Append("\" cy=\"").Append(P(y0 + panel - (panel * Math.Max(series[s][i], 0) / max)))
                    .Append("\" r=\"3\" fill=\"").Append(Palette[s % Palette.Length]).Append("\"><title>").Append(Html.Escape($"{labels[i]}: {Format(series[s][i], options)}")).Append("</title></circle>\n");
                if (s == series.Length - 1 && (labels.Count <= 24 || i % ((labels.Count / 24) + 1) == 0))
                {
                    Text(sb, x, y0 + panel + 16, labels[i], "middle");
                }
            }
        }

        return sb.Append("</svg>").ToString();
    }

    private static string Bars(List<string> labels, double[][] series, string[] names, RenderOptions options)
    {
        const int height = 400, left = 90, right = 30, top = 30, bottom = 130;
        var plotW = Width - left - right;
        var plotH = height - top - bottom;
        var max = Math.Max(series.Max(s => s.Max()), 1);
        var step = (double)plotW / labels.Count;
        var width = step * 0.8 / series.Length;
        var sb = Open(height, "Bar chart: " + string.Join(", ", names));
        Axis(sb, left, top, plotW, plotH, max, options);
        for (var i = 0; i < labels.Count; i++)
        {
            for (var s = 0; s < series.Length; s++)
            {
                var h = plotH * Math.Max(series[s][i], 0) / max;
                Rect(sb, left + (i * step) + (step * 0.1) + (s * width), top + plotH - h, width, h, Palette[s % Palette.Length], $"{labels[i]}, {names[s]}: {Format(series[s][i], options)}");
            }

            XLabel(sb, left + (i * step) + (step / 2), top + plotH + 8, labels[i]);
        }

        Legend(sb, left, 16, names);
        return sb.Append("</svg>").ToString();
    }

    private static StringBuilder Open(int height, string title) => new StringBuilder()
        .Append("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 0 ").Append(Width).Append(' ').Append(height)
        .Append("\" width=\"").Append(Width).Append("\" height=\"").Append(height).Append("\" font-family=\"DejaVu Sans, Arial, sans-serif\" font-size=\"11\">\n<title>")
        .Append(Html.Escape(title)).Append("</title>\n<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n");

    private static void Axis(StringBuilder sb, int left, int top, int width, int height, double max, RenderOptions options)
    {
        for (var k = 0; k <= 4; k++)
        {
            var y = top + height - (height * k / 4.0);
            sb.Append("<line x1=\"").Append(left).Append("\" x2=\"").Append(left + width).Append("\" y1=\"").Append(P(y)).Append("\" y2=\"").Append(P(y)).Append("\" stroke=\"#e0e0e0\"/>\n");
            Text(sb, left - 6, y + 4, Compact(max * k / 4, options), "end");
        }

        sb.Append("<line x1=\"").Append(left).Append("\" x2=\"").Append(left).Append("\" y1=\"").Append(top).Append("\" y2=\"").Append(top + height).Append("\" stroke=\"#888\"/>\n");
    }

    private static void Rect(StringBuilder sb, double x, double y, double w, double h, string fill, string tip) =>
        sb.Append("<rect x=\"").Append(P(x)).Append("\" y=\"").Append(P(y)).Append("\" width=\"").Append(P(w)).Append("\" height=\"").Append(P(h))
            .Append("\" fill=\"").Append(fill).Append("\"><title>").Append(Html.Escape(tip)).Append("</title></rect>\n");

    private static void Text(StringBuilder sb, double x, double y, string text, string anchor) =>
        sb.Append("<text x=\"").Append(P(x)).Append("\" y=\"").Append(P(y)).Append("\" text-anchor=\"").Append(anchor).Append("\">").Append(Html.Escape(text)).Append("</text>\n");

    private static void XLabel(StringBuilder sb, double x, double y, string text) =>
        sb.Append("<text transform=\"translate(").Append(P(x)).Append(',').Append(P(y)).Append(") rotate(50)\" text-anchor=\"start\">").Append(Html.Escape(Short(text, 22))).Append("</text>\n");

    private static void Legend(StringBuilder sb, int x, int y, string[] names)
    {
        for (var i = 0; i < names.Length; i++)
        {
            var at = x + (i * 150);
            sb.Append("<rect x=\"").Append(at).Append("\" y=\"").Append(y - 9).Append("\" width=\"10\" height=\"10\" fill=\"").Append(Palette[i % Palette.Length]).Append("\"/>\n");
            Text(sb, at + 14, y, names[i], "start");
        }
    }

    private static int IndexOf(ReportTable table, string column) =>
        table.Columns.ToList().IndexOf(column);

    private static double Number(string cell) => double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) ? x : 0;

    private static string Short(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    private static string Format(double value, RenderOptions options) => value.ToString(value % 1 == 0 ? "N0" : "N2", options.Culture);

    /// <summary>An axis figure: 1,2 млн style in the culture, without the currency.</summary>
    private static string Compact(double value, RenderOptions options) => value switch
    {
        >= 1e9 => (value / 1e9).ToString("0.#", options.Culture) + " G",
        >= 1e6 => (value / 1e6).ToString("0.#", options.Culture) + " M",
        >= 1e3 => (value / 1e3).ToString("0.#", options.Culture) + " k",
        _ => value.ToString("0.#", options.Culture),
    };

    private static string P(double x) => x.ToString("0.#", CultureInfo.InvariantCulture);
}
