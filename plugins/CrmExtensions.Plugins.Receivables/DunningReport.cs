using System.Globalization;
using CrmExtensions.Sdk;
using CrmExtensions.Sdk.Facts;
using CrmExtensions.Sdk.Reports;

namespace CrmExtensions.Plugins.Receivables;

/// <summary>Overdue debt by dunning level on a day: how many invoices and clients sit at each level, and how much they owe.</summary>
/// <remarks>The levels are the dunning rule's (<c>levels</c> in the plugin's settings), so the report shows the escalation
/// the managers' tasks and letters follow. Debt overdue fewer days than the first level is shown as "before level 1".</remarks>
internal sealed class DunningReport(ICrmFacts facts, IPluginSettings settings) : IRangeReport
{
    public string Name => "dunning";

    public string Title => "Overdue debt by dunning level";

    public async Task<ReportTable> RunAsync(ReportRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var levels = ReceivablesOptions.From(settings).Levels;
        var invoices = new int[levels.Count + 1];
        var amounts = new decimal[levels.Count + 1];
        var clients = Enumerable.Range(0, levels.Count + 1).Select(_ => new HashSet<string>(StringComparer.Ordinal)).ToArray();
        var notConverted = new SortedDictionary<string, (decimal Amount, int Invoices)>(StringComparer.Ordinal);
        await foreach (var overdue in facts.StreamOverdueInvoicesAsync(request.AsOf, cancellationToken).ConfigureAwait(false))
        {
            var level = levels.Count(days => overdue.DaysOverdue >= days);
            invoices[level]++;
            // Amounts are summed in the CRM's base currency; an invoice in a currency without a rate is its own currency's line.
            if (overdue.OutstandingInBase is { } inBase)
            {
                amounts[level] += inBase;
            }
            else
            {
                var (amount, count) = notConverted.GetValueOrDefault(overdue.Invoice.Currency ?? "");
                notConverted[overdue.Invoice.Currency ?? ""] = (amount + overdue.Outstanding, count + 1);
            }

            clients[level].Add(overdue.ClientId ?? overdue.Invoice.Counterparty.ToString());
        }

        var rows = new List<IReadOnlyList<string>>();
        for (var level = 0; level <= levels.Count; level++)
        {
            rows.Add(
            [
                level == 0 ? "before level 1" : level.ToString(CultureInfo.InvariantCulture),
                level == 0 ? "" : levels[level - 1].ToString(CultureInfo.InvariantCulture),
                invoices[level].ToString(CultureInfo.InvariantCulture),
                clients[level].Count.ToString(CultureInfo.InvariantCulture),
                amounts[level].ToString(CultureInfo.InvariantCulture),
            ]);
        }

        return new ReportTable
        {
            Columns = ["level", "from days overdue", "invoices", "clients", "outstanding"],
            Kinds = [ReportColumnKind.Text, ReportColumnKind.Number, ReportColumnKind.Number, ReportColumnKind.Number, ReportColumnKind.Money],
            Rows = rows,
            Totals = ["total", "", invoices.Sum().ToString(CultureInfo.InvariantCulture), clients.SelectMany(c => c).Distinct(StringComparer.Ordinal).Count().ToString(CultureInfo.InvariantCulture),
                amounts.Sum().ToString(CultureInfo.InvariantCulture)],
            Notes =
            [
                string.Create(CultureInfo.InvariantCulture, $"As of {request.AsOf:yyyy-MM-dd}; levels (days overdue) from the plugin's settings: {string.Join(";", levels)}."),
                .. notConverted.Select(n => string.Create(CultureInfo.InvariantCulture,
                    $"{n.Key} {n.Value.Amount:0.00} not converted: no rate ({n.Value.Invoices} invoices in {n.Key}, in no total above).")),
            ],
            Chart = new ReportChart { Kind = ReportChartKind.Bar, LabelColumn = "level", ValueColumns = ["outstanding"] },
        };
    }
}
