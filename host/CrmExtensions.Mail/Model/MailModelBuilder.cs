using System.Data.Common;
using System.Globalization;
using CrmExtensions.Store;
using CrmExtensions.Store.Mirror;
using CrmExtensions.Store.Reporting;
using Dapper;

namespace CrmExtensions.Mail.Model;

/// <summary>Builds the mail model of a client from the store: clients, members, the mirrored invoices, payments and contacts.</summary>
/// <remarks>
/// The recipient is a contact person with an address (a director first, then by name), else the head entity's own
/// address in the ledger, else none (the campaign reports the client as skipped). Our manager is the head
/// entity's <c>manager</c> column. Thread-safe: every call opens its own connection unless given one.
/// </remarks>
internal sealed class MailModelBuilder(CrmStore store, MailSender sender, Func<long, string, string> unsubscribeUrl)
{
    internal const string ClientSql = "SELECT client_id AS ClientId, display_name AS Name FROM clients WHERE client_id = @client AND retired_at IS NULL";

    internal const string MembersSql =
        "SELECT m.ledger AS Ledger, m.ledger_id AS LedgerId, m.legal_entity AS LegalEntity, m.entity_name AS EntityName, m.tax_id AS TaxId, " +
        "m.role AS Role, m.branch_code AS BranchCode, m.city AS City, m.region AS Region, c.name AS Name, c.email AS Email, c.manager AS Manager " +
        "FROM client_members m LEFT JOIN mirror_counterparties c ON c.ledger = m.ledger AND c.ledger_id = m.ledger_id " +
        "WHERE m.client_id = @client ORDER BY m.legal_entity, m.ledger, m.ledger_id";

    internal const string UnpaidSql =
        "SELECT i.ledger AS Ledger, i.ledger_id AS LedgerId, i.number AS Number, i.issued_on AS IssuedOn, i.due_on AS DueOn, i.amount AS Amount, " +
        "i.currency AS Currency, COALESCE(i.paid_amount, 0) AS PaidAmount, " +
        "(SELECT COALESCE(SUM(p.amount), 0) FROM mirror_payments p WHERE p.ledger = i.ledger AND p.invoice_id = i.ledger_id AND p.vanished_at IS NULL) AS PaidByPayments " +
        "FROM mirror_invoices i " +
        "WHERE i.client_id = @client AND i.settled_on IS NULL AND i.vanished_at IS NULL AND i.amount > 0 " +
        "ORDER BY i.issued_on, i.ledger, i.ledger_id";

    internal const string LastPurchaseSelect =
        "SELECT i.number AS Number, i.ledger_id AS LedgerId, i.issued_on AS IssuedOn, i.amount AS Amount " +
        "FROM mirror_invoices i " +
        "WHERE i.client_id = @client AND i.vanished_at IS NULL ORDER BY i.issued_on DESC, i.ledger_id DESC";

    internal const string RevenueSql =
        "SELECT COALESCE(SUM(i.amount), 0) FROM mirror_invoices i " +
        "WHERE i.client_id = @client AND i.vanished_at IS NULL AND i.issued_on >= @from AND i.issued_on <= @to";

    internal const string ContactsSql =
        "SELECT ct.full_name AS Name, ct.position AS Position, ct.email AS Email, ct.phone AS Phone " +
        "FROM mirror_contacts ct JOIN client_members m ON m.ledger = ct.ledger AND m.ledger_id = ct.counterparty_id " +
        "WHERE m.client_id = @client AND ct.vanished_at IS NULL ORDER BY ct.full_name, ct.ledger, ct.ledger_id";

    /// <summary>Every statement this class sends, for the T-SQL check.</summary>
    internal static IEnumerable<string> Statements(Store.Providers.StoreDialect d) =>
        [ClientSql, MembersSql, UnpaidSql, d.Top(LastPurchaseSelect, 1), RevenueSql, ContactsSql];

    /// <summary>The model of a client as of <paramref name="today"/>, or null when there is no such (current) client.</summary>
    public MailModel? Build(long clientId, DateOnly today)
    {
        using var connection = store.Open();
        return Build(connection, clientId, today);
    }

    /// <inheritdoc cref="Build(long, DateOnly)"/>
    public MailModel? Build(DbConnection connection, long clientId, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var args = new { client = clientId };
        var client = connection.QuerySingleOrDefault<ClientRow>(ClientSql, args);
        if (client is null)
        {
            return null;
        }

        var members = connection.Query<MemberRow>(MembersSql, args).ToList();
        var head = members.FirstOrDefault(m => m.Role == "head") ?? members.FirstOrDefault();
        var entities = members.GroupBy(m => m.LegalEntity)
            .Select(g => g.FirstOrDefault(m => m.Role == "head") ?? g.First())
            .Select(m => new MailLegalEntity(m.EntityName ?? m.Name ?? client.Name, m.TaxId, m.BranchCode))
            .ToList();
        var branches = members.Where(m => m.Role != "head")
            .Select(m => new MailBranch(m.Name ?? m.EntityName ?? client.Name, m.BranchCode, m.City, m.Region))
            .ToList();

        var invoices = connection.Query<InvoiceRow>(UnpaidSql, args).Select(i => Invoice(i, today)).Where(i => i.Due > 0).ToList();
        var overdue = invoices.Where(i => i.Overdue).ToList();
        var window = ReportingWindow.TwelveMonthsTo(today);
        var revenue = Money.FromStored(connection.ExecuteScalar<long>(RevenueSql, new { client = clientId, from = window.FromText, to = window.ToText }));
        var last = connection.QueryFirstOrDefault<PurchaseRow>(store.Dialect.Top(LastPurchaseSelect, 1), args);
        var contacts = connection.Query<ContactRow>(ContactsSql, args).ToList();

        var addressed = contacts.Where(c => !string.IsNullOrWhiteSpace(c.Email)).OrderBy(c => IsDirector(c.Position) ? 0 : 1).FirstOrDefault();
        var contact = addressed ?? contacts.OrderBy(c => IsDirector(c.Position) ? 0 : 1).FirstOrDefault();
        MailRecipient? recipient = addressed is not null ? new MailRecipient(addressed.Email!.Trim(), addressed.Name)
            : !string.IsNullOrWhiteSpace(head?.Email) ? new MailRecipient(head.Email.Trim(), client.Name)
            : null;

        return new MailModel(
            clientId,
            new MailClient(clientId.ToString(CultureInfo.InvariantCulture), client.Name, head?.Region, head?.City, entities, branches),
            contact is null ? null : new MailPerson(contact.Name, contact.Position, contact.Email, contact.Phone),
            string.IsNullOrWhiteSpace(head?.Manager) ? null : new MailPerson(head.Manager.Trim(), null, null, null),
            invoices,
            new MailTotals(invoices.Sum(i => i.Due), invoices.Count, overdue.Sum(i => i.Due), overdue.Count, revenue),
            last is null ? null : new MailPurchase(last.Number ?? last.LedgerId, ParseDate(last.IssuedOn), Money.FromStored(last.Amount)),
            sender,
            recipient is null ? "" : unsubscribeUrl(clientId, recipient.Address),
            today,
            recipient);
    }

    private static MailInvoice Invoice(InvoiceRow row, DateOnly today)
    {
        var amount = Money.FromStored(row.Amount);
        var paid = Money.FromStored(Math.Max(row.PaidAmount, row.PaidByPayments));
        DateOnly? due = row.DueOn is null ? null : ParseDate(row.DueOn);
        var daysOverdue = due is { } d && d < today ? today.DayNumber - d.DayNumber : 0;
        return new MailInvoice(row.Number ?? row.LedgerId, row.Ledger, ParseDate(row.IssuedOn), due, amount, paid, Math.Max(0, amount - paid),
            string.IsNullOrWhiteSpace(row.Currency) ? "RUB" : row.Currency.Trim(), daysOverdue > 0, daysOverdue);
    }

    private static bool IsDirector(string? position) => position is not null &&
        (position.Contains("директор", StringComparison.OrdinalIgnoreCase) || position.Contains("director", StringComparison.OrdinalIgnoreCase)
         || position.Contains("руководител", StringComparison.OrdinalIgnoreCase));

    internal static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateOnly ParseDate(string text) => DateOnly.ParseExact(text.Length > 10 ? text[..10] : text, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private sealed class ClientRow
    {
        public long ClientId { get; set; }

        public string Name { get; set; } = "";
    }

    private sealed class MemberRow
    {
        public string Ledger { get; set; } = "";

        public string LedgerId { get; set; } = "";

        public string LegalEntity { get; set; } = "";

        public string? EntityName { get; set; }

        public string? TaxId { get; set; }

        public string Role { get; set; } = "";

        public string? BranchCode { get; set; }

        public string? City { get; set; }

        public string? Region { get; set; }

        public string? Name { get; set; }

        public string? Email { get; set; }

        public string? Manager { get; set; }
    }

    private sealed class InvoiceRow
    {
        public string Ledger { get; set; } = "";

        public string LedgerId { get; set; } = "";

        public string? Number { get; set; }

        public string IssuedOn { get; set; } = "";

        public string? DueOn { get; set; }

        public long Amount { get; set; }

        public string? Currency { get; set; }

        public long PaidAmount { get; set; }

        public long PaidByPayments { get; set; }
    }

    private sealed class PurchaseRow
    {
        public string? Number { get; set; }

        public string LedgerId { get; set; } = "";

        public string IssuedOn { get; set; } = "";

        public long Amount { get; set; }
    }

    private sealed class ContactRow
    {
        public string Name { get; set; } = "";

        public string? Position { get; set; }

        public string? Email { get; set; }

        public string? Phone { get; set; }
    }
}
