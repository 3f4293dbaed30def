using CrmExtensions.Sdk.Facts;
using CrmExtensions.Sdk.Workspace;

namespace HelloPlugin;

/// <summary>
/// A panel on the web workspace's client card (SDK 1.2): the client's invoices more than 30 days overdue, over all its
/// legal entities and branches — the same invoices <see cref="OverdueInvoiceReminder"/> asks someone to call about.
/// </summary>
public sealed class OverduePanel(ICrmFacts facts, TimeProvider time) : IClientPanel
{
    /// <inheritdoc />
    public string Title => "Hello: long overdue";

    /// <inheritdoc />
    public string Template => "panel";

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<string, object?>?> GetDataAsync(string clientId, CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var overdue = await facts.GetClientOverdueInvoicesAsync(clientId, today, cancellationToken);
        return new Dictionary<string, object?>
        {
            ["grace_days"] = OverdueInvoiceReminder.GraceDays,
            ["invoices"] = overdue.Where(i => i.DaysOverdue > OverdueInvoiceReminder.GraceDays).Select(i => new
            {
                Number = i.Invoice.Number ?? i.Invoice.Key.Id,
                Counterparty = i.CounterpartyName,
                i.Outstanding,
                Currency = i.Invoice.Currency ?? "RUB",
                i.Invoice.DueOn,
            }).ToList(),
        };
    }
}
