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

    /// <summary>Which of the client's entities was invoiced: its name, and for a branch where it is.</summary>
    public static string Where(OverdueInvoice overdue) =>
        overdue.Role == ClientMemberRole.Branch
            ? $"филиалу «{overdue.CounterpartyName}»{(overdue.City is { } city ? " (" + city + ")" : "")}"
            : $"«{overdue.CounterpartyName}»";

    public static string Line(OverdueInvoice overdue) => string.Create(Ru,
        $"№ {overdue.Invoice.Number ?? overdue.Invoice.Key.Id} от {overdue.Invoice.IssuedOn:dd.MM.yyyy} ({Where(overdue)}), срок {overdue.Invoice.DueOn:dd.MM.yyyy}: {Money(overdue.Outstanding, overdue.Invoice.Currency)}");

    public static Dictionary<string, object?> Model(OverdueInvoice overdue, decimal clientTotal, IReadOnlyList<object?> clientInvoices, string sender) => new()
    {
        ["client_name"] = overdue.ClientName,
        ["counterparty_name"] = overdue.CounterpartyName,
        ["invoice_number"] = overdue.Invoice.Number ?? overdue.Invoice.Key.Id,
        ["issued_on"] = overdue.Invoice.IssuedOn.ToString("dd.MM.yyyy", Ru),
        ["due_on"] = overdue.Invoice.DueOn?.ToString("dd.MM.yyyy", Ru) ?? "",
        ["amount"] = Money(overdue.Invoice.Amount, overdue.Invoice.Currency),
        ["outstanding"] = Money(overdue.Outstanding, overdue.Invoice.Currency),
        ["days_overdue"] = overdue.DaysOverdue,
        ["client_total"] = Money(clientTotal, overdue.Invoice.Currency),
        ["invoices"] = clientInvoices,
        ["manager"] = overdue.Manager ?? "",
        ["sender"] = sender,
    };
}
