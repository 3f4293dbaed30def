namespace CrmExtensions.Sdk.Reports;

/// <summary>A report a plugin contributes; registered with <see cref="IPluginBuilder.AddReport{TReport}"/>.</summary>
public interface IReport
{
    /// <summary>Gets the report's name, unique within the plugin, such as <c>overdue-by-manager</c>.</summary>
    string Name { get; }

    /// <summary>Runs the report.</summary>
    /// <param name="asOf">The day the report is for.</param>
    /// <param name="cancellationToken">Cancelled when the report's time budget is spent.</param>
    /// <returns>The report's table.</returns>
    Task<ReportTable> RunAsync(DateOnly asOf, CancellationToken cancellationToken);
}

/// <summary>A report's result: a header and rows of text cells.</summary>
public sealed class ReportTable
{
    /// <summary>Gets the column headers.</summary>
    public required IReadOnlyList<string> Columns { get; init; }

    /// <summary>Gets the rows; each has one cell per column.</summary>
    public required IReadOnlyList<IReadOnlyList<string>> Rows { get; init; }

    /// <summary>Gets what each column holds, one per column; added in SDK 1.1.</summary>
    /// <value>Null: every column is text.</value>
    public IReadOnlyList<ReportColumnKind>? Kinds { get; init; }

    /// <summary>Gets a totals row, one cell per column, shown under the rows; added in SDK 1.1.</summary>
    /// <value>Null: no totals row.</value>
    public IReadOnlyList<string>? Totals { get; init; }

    /// <summary>Gets lines of text shown under the table (definitions, caveats); added in SDK 1.1.</summary>
    /// <value>Empty by default.</value>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>Gets how to draw the table as a chart; added in SDK 1.1.</summary>
    /// <value>Null: no chart.</value>
    public ReportChart? Chart { get; init; }
}
