using System.Globalization;
using CrmExtensions.Reports.Dossier;

namespace CrmExtensions.Host.Rendering;

/// <summary>Prints a client's dossier for <c>crmx clients show</c>, one small method per section.</summary>
internal static class DossierWriter
{
    private static readonly CultureInfo Ru = CultureInfo.GetCultureInfo("ru-RU");

    /// <summary>How many days ahead a birthday is called out.</summary>
    private const int BirthdaysAhead = 30;

    public static void Write(TextWriter output, ClientDossier d)
    {
        Header(output, d);
        Entities(output, d);
        Contacts(output, d);
        Money(output, d);
        Deals(output, d);
        Reminders(output, d);
        Links(output, d);
    }

    /// <summary>Every tag plugins put on the client, <c>name=value</c> with the plugin that wrote it; nothing when there are none.</summary>
    public static void Tags(TextWriter output, IReadOnlyList<CrmExtensions.Store.Clients.ClientTagRow> tags)
    {
        if (tags.Count == 0)
        {
            return;
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  Tags ({tags.Count}):"));
        foreach (var t in tags)
        {
            output.WriteLine($"    {t.Name}={t.Value}  (by {t.PluginId})");
        }
    }

    private static void Header(TextWriter output, ClientDossier d)
    {
        var c = d.Client;
        output.WriteLine($"Client {c.ClientId}: {c.DisplayName}");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {c.LegalEntities:N0} legal entities, {c.Branches:N0} branches, {c.Members:N0} ledger rows; manager: {d.Manager ?? "—"}; stage: {d.LifecycleStage ?? "—"}"));
    }

    private static void Entities(TextWriter output, ClientDossier d)
    {
        foreach (var entity in d.Entities.GroupBy(e => e.LegalEntity))
        {
            var first = entity.First();
            output.WriteLine($"  {first.EntityName}{(first.TaxId is null ? "" : $"  ИНН {first.TaxId}")}");
            foreach (var m in entity)
            {
                var where = string.Join(", ", new[] { m.City, m.Region }.Where(x => !string.IsNullOrEmpty(x)));
                output.WriteLine($"    {m.Role,-6} {m.Ledger}:{m.LedgerId}  {m.Name}{(m.BranchCode is null ? "" : $"  КПП {m.BranchCode}")}{(where.Length == 0 ? "" : $"  ({where})")}");
            }
        }
    }

    private static void Contacts(TextWriter output, ClientDossier d)
    {
        if (d.Contacts.Count == 0)
        {
            return;
        }

        output.WriteLine($"  Contact persons ({d.Contacts.Count}):");
        foreach (var p in d.Contacts.Take(20))
        {
            var details = string.Join(", ", new[] { p.Position, p.Phone, p.Email }.Where(x => !string.IsNullOrEmpty(x)));
            output.WriteLine($"    {p.FullName}{(details.Length == 0 ? "" : "  " + details)}{Birthday(p.Birthday, d.AsOf)}");
        }
    }

    /// <summary>The birthday as дд.ММ, with how soon it is when within <see cref="BirthdaysAhead"/> days.</summary>
    internal static string Birthday(string? birthday, DateOnly asOf)
    {
        if (birthday is null || !DateOnly.TryParseExact(birthday, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var born))
        {
            return "";
        }

        var next = NextAnniversary(born, asOf);
        var days = next.DayNumber - asOf.DayNumber;
        var soon = days switch
        {
            0 => " — today!",
            1 => " — tomorrow",
            <= BirthdaysAhead => string.Create(CultureInfo.InvariantCulture, $" — in {days} days"),
            _ => "",
        };
        return $"  birthday {born.ToString("dd.MM", CultureInfo.InvariantCulture)}{soon}";
    }

    private static DateOnly NextAnniversary(DateOnly born, DateOnly asOf)
    {
        for (var year = asOf.Year; ; year++)
        {
            // 29 February falls on 28 February in other years.
            var day = Math.Min(born.Day, DateTime.DaysInMonth(year, born.Month));
            var candidate = new DateOnly(year, born.Month, day);
            if (candidate >= asOf)
            {
                return candidate;
            }
        }
    }

    /// <summary>Totals in the base currency; then, per currency without a rate, its own totals, never added to them.</summary>
    private static void Money(TextWriter output, ClientDossier d)
    {
        if (d.Invoices.Invoices > 0 || d.InvoicesNotConverted.Count == 0)
        {
            output.WriteLine("  Invoices: " + InvoiceTotals(d.Invoices, d.BaseCurrency, d.AsOf));
        }

        foreach (var i in d.InvoicesNotConverted)
        {
            output.WriteLine($"  Invoices in {i.Currency}, not converted (no rate): " + InvoiceTotals(i, i.Currency!, d.AsOf));
        }

        foreach (var o in d.OverdueInvoices)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"    overdue {o.Ledger}:{o.LedgerId} №{o.Number ?? o.LedgerId} of {o.IssuedOn}, due {o.DueOn}: {Amount(o.OpenAmount, o.Currency)} open"));
        }

        if (d.Payments.Payments > 0 || d.PaymentsNotConverted.Count == 0)
        {
            output.WriteLine("  Payments: " + PaymentTotals(d.Payments, d.BaseCurrency));
        }

        foreach (var p in d.PaymentsNotConverted)
        {
            output.WriteLine($"  Payments in {p.Currency}, not converted (no rate): " + PaymentTotals(p, p.Currency!));
        }
    }

    private static string InvoiceTotals(DossierInvoices i, string currency, DateOnly asOf) =>
        string.Create(CultureInfo.InvariantCulture, $"{i.Invoices:N0} for {Amount(i.Amount, currency)}; paid {i.Paid:N0} ({Amount(i.PaidAmount, currency)}), " +
            $"unpaid not yet due {i.Unpaid:N0} ({Amount(i.UnpaidAmount, currency)}), overdue {i.Overdue:N0} ({Amount(i.OverdueAmount, currency)}) as of {asOf:yyyy-MM-dd}");

    private static string PaymentTotals(DossierPayments p, string currency) => p.Payments == 0
        ? "none"
        : string.Create(CultureInfo.InvariantCulture, $"{p.Payments:N0} for {Amount(p.Amount, currency)}{(p.LastPaidOn is null ? "" : $", the last on {p.LastPaidOn}")}");

    private static void Deals(TextWriter output, ClientDossier d)
    {
        if (d.Deals.Count == 0)
        {
            return;
        }

        output.WriteLine("  Deals:");
        foreach (var deal in d.Deals)
        {
            output.WriteLine($"    {deal.Title}  [{deal.Pipeline}: {deal.Stage}]{(deal.Amount is { } a ? "  " + Amount(a, d.BaseCurrency) : "")}  updated {deal.UpdatedAt}");
        }
    }

    private static void Reminders(TextWriter output, ClientDossier d)
    {
        if (d.Reminders.Count == 0)
        {
            return;
        }

        output.WriteLine("  Reminders:");
        foreach (var r in d.Reminders)
        {
            var late = string.CompareOrdinal(r.DueOn, d.AsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)) < 0 ? " (overdue)" : "";
            output.WriteLine($"    {r.DueOn}{late}  {r.Title}  [{r.PluginId}]");
        }
    }

    private static void Links(TextWriter output, ClientDossier d)
    {
        if (d.Links.Count == 0)
        {
            return;
        }

        output.WriteLine($"  Why these are one client ({d.Links.Count} links):");
        foreach (var l in d.Links.Take(20))
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {l.FromLedger}:{l.FromId} ↔ {l.ToLedger}:{l.ToId}  {UnifyText.Rule(l.LinkRule)}: {l.Evidence}"));
        }

        if (d.Links.Count > 20)
        {
            output.WriteLine("    … 'crmx clients explain' lists every link.");
        }
    }

    private static string Amount(long stored, string? currency) => Store.Mirror.Currency.Format(Store.Mirror.Money.FromStored(stored), currency, Ru);
}
