using CrmExtensions.Sdk.Reports;

namespace CrmExtensions.Reports.Rendering;

/// <summary>One table of a report's answer, under its caption: most reports answer with one table, the Pareto report
/// with two rankings that must not be read side by side.</summary>
/// <param name="Caption">What the table is, shown above it; null for a report's only table.</param>
/// <param name="Table">The table.</param>
public sealed record ReportSection(string? Caption, ReportTable Table);
