namespace CrmExtensions.Sdk.Reports;

/// <summary>How a host draws a report's table as a chart.</summary>
public enum ReportChartKind
{
    /// <summary>One bar per row for each value column.</summary>
    Bar,

    /// <summary>One line per value column, rows in order along the axis (months, days).</summary>
    Line,

    /// <summary>Bars of the first value column, largest first, with the cumulative share drawn as a line.</summary>
    Pareto,

    /// <summary>One bar per row, the value columns stacked in it.</summary>
    StackedBar,
}

/// <summary>A chart hint: which column labels the rows and which columns hold the values.</summary>
public sealed class ReportChart
{
    /// <summary>Gets the kind of chart.</summary>
    public required ReportChartKind Kind { get; init; }

    /// <summary>Gets the header of the column that labels each row.</summary>
    public required string LabelColumn { get; init; }

    /// <summary>Gets the headers of the columns drawn; their cells are invariant numbers.</summary>
    public required IReadOnlyList<string> ValueColumns { get; init; }
}

/// <summary>What a column's cells hold, so hosts can align and format them.</summary>
public enum ReportColumnKind
{
    /// <summary>Free text, left-aligned.</summary>
    Text,

    /// <summary>An invariant number (<c>1234.5</c>), right-aligned.</summary>
    Number,

    /// <summary>An invariant amount of money (<c>1234567.89</c>), shown in the reader's culture with two decimals.</summary>
    Money,
}
