using System.Globalization;
using CrmExtensions.Sdk.Facts;
using CrmExtensions.Sdk.Model;

namespace CrmExtensions.Plugins.Receivables;

/// <summary>Words and template models for dunning letters and reminders, in Russian with Russian money and dates.</summary>
internal static class Letters
{
    private static readonly CultureInfo Ru = CultureInfo.GetCultureInfo("ru-RU");

    public static string Degree(int level) => level switch
    {
        1 => "Напоминание",
        2 => "Повторное напоминание",
        3 => "Требование",
        _ => "Эскалация",
    };

    public static string Money(decimal amount, string? currency) =>
        amount.ToString("N2", Ru) + " " + (currency is null or "RUB" ? "₽" : currency);

    /// <summary>What a client owes on several invoices: the sum in the CRM's base currency, and the invoices in a currency
    /// without a rate as their own currency's sums after it (never added to the base one).</summary>
    public static string Total(IReadOnlyCollection<OverdueInvoice> invoices)
    {
        // One pass for the common case, every invoice with a rate (the rule totals every overdue client's debts).
        string? baseCurrency = null;
        var inBase = 0m;
        var withoutRate = false;
        foreach (var invoice in invoices)
        {
            baseCurrency ??= invoice.BaseCurrency;
            inBase += invoice.OutstandingInBase ?? 0;
            withoutRate |= invoice.OutstandingInBase is null;
        }

        if (!withoutRate)
        {
            return Money(inBase, baseCurrency);
        }

        var parts = new List<string> { Money(inBase, baseCurrency) };
        parts.AddRange(invoices.Where(i => i.OutstandingInBase is null).GroupBy(i => i.Invoice.Currency, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => Money(g.Sum(i => i.Outstanding), g.Key) + " (без курса)"));
        return string.Join(" и ", parts);
    }

    /// <summary>The sum in the CRM's base currency of what is owed; invoices in a currency without a rate add nothing.</summary>
    public static decimal BaseTotal(IEnumerable<OverdueInvoice> invoices) => invoices.Sum(i => i.OutstandingInBase ?? 0);

    /// <summary>Which of the client's entities was invoiced: its name, and for a branch where it is.</summary>
    public static string Where(OverdueInvoice overdue) =>
        overdue.Role == ClientMemberRole.Branch
            ? $"филиалу «{overdue.CounterpartyName}»{(overdue.City is { } city ? " (" + city + ")" : "")}"
            : $"«{overdue.CounterpartyName}»";

    public static string Line(OverdueInvoice overdue) => string.Create(Ru,
        $"№ {overdue.Invoice.Number ?? overdue.Invoice.Key.Id} от {overdue.Invoice.IssuedOn:dd.MM.yyyy} ({Where(overdue)}), срок {overdue.Invoice.DueOn:dd.MM.yyyy}: {Money(overdue.Outstanding, overdue.Invoice.Currency)}");

    public static Dictionary<string, object?> Model(OverdueInvoice overdue, string clientTotal, IReadOnlyList<object?> clientInvoices, string sender) => new()
    {
        ["client_name"] = overdue.ClientName,
        ["counterparty_name"] = overdue.CounterpartyName,
        ["invoice_number"] = overdue.Invoice.Number ?? overdue.Invoice.Key.Id,
        ["issued_on"] = overdue.Invoice.IssuedOn.ToString("dd.MM.yyyy", Ru),
        ["due_on"] = overdue.Invoice.DueOn?.ToString("dd.MM.yyyy", Ru) ?? "",
        ["amount"] = Money(overdue.Invoice.Amount, overdue.Invoice.Currency),
        ["outstanding"] = Money(overdue.Outstanding, overdue.Invoice.Currency),
        ["days_overdue"] = overdue.DaysOverdue,
        ["client_total"] = clientTotal,
        ["invoices"] = clientInvoices,
        ["manager"] = overdue.Manager ?? "",
        ["sender"] = sender,
    };
}
