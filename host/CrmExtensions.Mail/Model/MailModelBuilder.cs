using System.Data.Common;
using System.Globalization;
using CrmExtensions.Sdk.Shared;
using CrmExtensions.Store;
using CrmExtensions.Store.Mirror;
using CrmExtensions.Store.Reporting;
using Dapper;

namespace CrmExtensions.Mail.Model;

/// <summary>Builds the mail model of a client from the store: clients, members, the mirrored invoices, payments and contacts.</summary>
/// <remarks>
/// The recipient is a contact person with an address (a director first, then by name), else the head entity's own
/// address in the ledger, else none (the campaign reports the client as skipped). Our manager is the head
/// entity's <c>manager</c> column. Money is read by the client it carries (migration 9), and many clients are read in
/// batches of six statements (<see cref="BuildMany"/>). Thread-safe: every call opens its own connection unless given one.
/// </remarks>
internal sealed class MailModelBuilder(CrmStore store, MailSender sender, Func<long, string, string> unsubscribeUrl)
{
    // Each statement reads a batch of clients at once (@ids, expanded by Dapper): a campaign to 100,000 clients sends six
    // statements per batch, not six per client.
    internal const string ClientSql = "SELECT client_id AS ClientId, display_name AS Name FROM clients WHERE client_id IN @ids AND retired_at IS NULL";

    internal const string MembersSql =
        "SELECT m.client_id AS ClientId, m.ledger AS Ledger, m.ledger_id AS LedgerId, m.legal_entity AS LegalEntity, m.entity_name AS EntityName, m.tax_id AS TaxId, " +
        "m.role AS Role, m.branch_code AS BranchCode, m.city AS City, m.region AS Region, c.name AS Name, c.email AS Email, c.manager AS Manager " +
        "FROM client_members m LEFT JOIN mirror_counterparties c ON c.ledger = m.ledger AND c.ledger_id = m.ledger_id " +
        "WHERE m.client_id IN @ids ORDER BY m.client_id, m.legal_entity, m.ledger, m.ledger_id";

    internal const string UnpaidSql =
        "SELECT i.client_id AS ClientId, i.ledger AS Ledger, i.ledger_id AS LedgerId, i.number AS Number, i.issued_on AS IssuedOn, i.due_on AS DueOn, i.amount AS Amount, " +
        "i.currency AS Currency, i.base_amount AS BaseAmount, COALESCE(i.paid_amount, 0) AS PaidAmount, " +
        "(SELECT COALESCE(SUM(p.amount), 0) FROM mirror_payments p WHERE p.ledger = i.ledger AND p.invoice_id = i.ledger_id AND p.vanished_at IS NULL) AS PaidByPayments " +
        "FROM mirror_invoices i " +
        "WHERE i.client_id IN @ids AND i.settled_on IS NULL AND i.vanished_at IS NULL AND i.amount > 0 " +
        "ORDER BY i.client_id, i.issued_on, i.ledger, i.ledger_id";

    /// <summary>Each client's latest invoice (the latest issued, then the greatest ledger id).</summary>
    internal const string LastPurchaseSql =
        "SELECT x.client_id AS ClientId, x.number AS Number, x.ledger_id AS LedgerId, x.issued_on AS IssuedOn, x.amount AS Amount FROM (" +
        "SELECT i.client_id, i.number, i.ledger_id, i.issued_on, i.amount, ROW_NUMBER() OVER (PARTITION BY i.client_id ORDER BY i.issued_on DESC, i.ledger_id DESC) AS n " +
        "FROM mirror_invoices i WHERE i.client_id IN @ids AND i.vanished_at IS NULL) x WHERE x.n = 1";

    internal const string RevenueSql =
        "SELECT i.client_id AS ClientId, CAST(COALESCE(SUM(i.base_amount), 0) AS BIGINT) AS Amount FROM mirror_invoices i " +
        "WHERE i.client_id IN @ids AND " + ClientMoneySql.InvoicesInWindow + " GROUP BY i.client_id";

    internal const string ContactsSql =
        "SELECT m.client_id AS ClientId, ct.full_name AS Name, ct.position AS Position, ct.email AS Email, ct.phone AS Phone " +
        "FROM mirror_contacts ct JOIN client_members m ON m.ledger = ct.ledger AND m.ledger_id = ct.counterparty_id " +
        "WHERE m.client_id IN @ids AND ct.vanished_at IS NULL ORDER BY m.client_id, ct.full_name, ct.ledger, ct.ledger_id";

    /// <summary>Each client's stored recommendations (migration 23), best first.</summary>
    internal const string RecommendationsSql =
        "SELECT " + Store.Recommendations.ProductRecommendations.StoredColumns + " FROM client_recommendations WHERE client_id IN @ids ORDER BY client_id, place";

    /// <summary>Clients per batch: few enough for every database's limit on parameters (SQL Server, where each id is one: 2,100).</summary>
    internal const int BatchSize = 500;

    /// <summary>Every statement this class sends, with @ids as Dapper expands it, for the T-SQL check.</summary>
    internal static IEnumerable<string> Statements() =>
        new[] { ClientSql, MembersSql, UnpaidSql, LastPurchaseSql, RevenueSql, ContactsSql, RecommendationsSql }.Select(Store.Providers.StoreDialect.ExpandedLists);

    /// <summary>The model of a client as of <paramref name="today"/>, or null when there is no such (current) client.</summary>
    public MailModel? Build(long clientId, DateOnly today)
    {
        using var connection = store.Open();
        return Build(connection, clientId, today);
    }

    /// <inheritdoc cref="Build(long, DateOnly)"/>
    public MailModel? Build(DbConnection connection, long clientId, DateOnly today) => BuildMany(connection, [clientId], today).Single().Model;

    /// <summary>The models of many clients as of <paramref name="today"/>, in the order given, read in batches; a null model
    /// for an id that is no current client.</summary>
    public IEnumerable<(long ClientId, MailModel? Model)> BuildMany(DbConnection connection, IReadOnlyList<long> clientIds, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(clientIds);
        var window = ReportingWindow.TwelveMonthsTo(today);
        // client.recommendations: the stored lists, made current with the settings they were last computed with.
        Store.Recommendations.RecommendationWriter.EnsureCurrent(store, connection, null);
        foreach (var batch in clientIds.Chunk(BatchSize))
        {
            var args = new { ids = store.Dialect.List(batch), from = window.FromText, to = window.ToText };
            var clients = connection.Query<ClientRow>(store.Dialect.InLists(ClientSql), args).ToDictionary(c => c.ClientId);
            var members = connection.Query<MemberRow>(store.Dialect.InLists(MembersSql), args).ToLookup(m => m.ClientId);
            var invoices = connection.Query<InvoiceRow>(store.Dialect.InLists(UnpaidSql), args).ToLookup(i => i.ClientId);
            var revenue = connection.Query<(long ClientId, long Amount)>(store.Dialect.InLists(RevenueSql), args).ToDictionary(r => r.ClientId, r => r.Amount);
            var last = connection.Query<PurchaseRow>(store.Dialect.InLists(LastPurchaseSql), args).ToDictionary(p => p.ClientId);
            var contacts = connection.Query<ContactRow>(store.Dialect.InLists(ContactsSql), args).ToLookup(c => c.ClientId);
            var recommended = connection.Query<Store.Recommendations.StoredRecommendation>(store.Dialect.InLists(RecommendationsSql), args).ToLookup(r => r.ClientId, r => r.ToRecommendation());
            foreach (var id in batch)
            {
                yield return (id, clients.TryGetValue(id, out var client)
                    ? Assemble(client, [.. members[id]], [.. invoices[id]], revenue.GetValueOrDefault(id), last.GetValueOrDefault(id), [.. contacts[id]], today, recommended[id])
                    : null);
            }
        }
    }

    private MailModel Assemble(ClientRow client, List<MemberRow> members, List<InvoiceRow> unpaid, long revenueStored, PurchaseRow? last, List<ContactRow> contacts, DateOnly today,
        IEnumerable<Store.Recommendations.ClientRecommendation> recommended)
    {
        var clientId = client.ClientId;
        var head = members.FirstOrDefault(m => m.Role == "head") ?? members.FirstOrDefault();
        var entities = members.GroupBy(m => m.LegalEntity)
            .Select(g => g.FirstOrDefault(m => m.Role == "head") ?? g.First())
            .Select(m => new MailLegalEntity(m.EntityName ?? m.Name ?? client.Name, m.TaxId, m.BranchCode))
            .ToList();
        var branches = members.Where(m => m.Role != "head")
            .Select(m => new MailBranch(m.Name ?? m.EntityName ?? client.Name, m.BranchCode, m.City, m.Region))
            .ToList();

        // Each invoice keeps its own amounts and currency; the totals are in the base currency: an invoice's due amount is
        // converted at the rate its base amount was converted at, and one without a base amount is left to its own total.
        var rows = unpaid.Select(i => (Row: i, Invoice: Invoice(i, today))).Where(r => r.Invoice.Due > 0).ToList();
        var invoices = rows.Select(r => r.Invoice).ToList();
        var converted = rows.Where(r => r.Row.BaseAmount is not null)
            .Select(r => (r.Invoice.Overdue, Due: r.Row.Amount == 0 ? 0 : Math.Round(r.Invoice.Due * r.Row.BaseAmount!.Value / r.Row.Amount, 4, MidpointRounding.AwayFromZero)))
            .ToList();
        var notConverted = rows.Where(r => r.Row.BaseAmount is null).GroupBy(r => r.Invoice.Currency, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new MailCurrencyTotal(g.Key, g.Sum(r => r.Invoice.Due), g.Count(), g.Where(r => r.Invoice.Overdue).Sum(r => r.Invoice.Due), g.Count(r => r.Invoice.Overdue)))
            .ToList();
        var revenue = Money.FromStored(revenueStored);

        // The recipient is the SDK's rule (plugins get the same one from ICrmReader.GetRecipientAsync and ClientFacts).
        var chosen = RecipientRule.Choose(contacts.Select(c => new RecipientRule.Person(c.Name, c.Position, c.Email)),
            RecipientRule.HeadEmail(members.Select(m => (m.Role == "head", m.Email))), client.Name);
        var addressed = contacts.Where(c => !string.IsNullOrWhiteSpace(c.Email)).OrderBy(c => RecipientRule.IsDirector(c.Position) ? 0 : 1).FirstOrDefault();
        var contact = addressed ?? contacts.OrderBy(c => RecipientRule.IsDirector(c.Position) ? 0 : 1).FirstOrDefault();
        MailRecipient? recipient = chosen is null ? null : new MailRecipient(chosen.Address, chosen.Name);

        return new MailModel(
            clientId,
            new MailClient(clientId.ToString(CultureInfo.InvariantCulture), client.Name, head?.Region, head?.City, entities, branches)
            {
                Recommendations = recommended.Select(r => new MailRecommendation(r.Product, r.Name, r.Reason, r.BecauseName, r.Together, r.BecauseClients)).ToList(),
            },
            contact is null ? null : new MailPerson(contact.Name, contact.Position, contact.Email, contact.Phone),
            string.IsNullOrWhiteSpace(head?.Manager) ? null : new MailPerson(head.Manager.Trim(), null, null, null),
            invoices,
            new MailTotals(converted.Sum(c => c.Due), converted.Count, converted.Where(c => c.Overdue).Sum(c => c.Due), converted.Count(c => c.Overdue), revenue)
            {
                Currency = store.BaseCurrency,
                NotConverted = notConverted.Count == 0 ? null : notConverted,
            },
            last is null ? null : new MailPurchase(last.Number ?? last.LedgerId, ParseDate(last.IssuedOn), Money.FromStored(last.Amount)),
            sender,
            recipient is null ? "" : unsubscribeUrl(clientId, recipient.Address),
            today,
            recipient);
    }

    private MailInvoice Invoice(InvoiceRow row, DateOnly today)
    {
        var amount = Money.FromStored(row.Amount);
        var paid = Money.FromStored(Math.Max(row.PaidAmount, row.PaidByPayments));
        DateOnly? due = row.DueOn is null ? null : ParseDate(row.DueOn);
        var daysOverdue = due is { } d && d < today ? today.DayNumber - d.DayNumber : 0;
        return new MailInvoice(row.Number ?? row.LedgerId, row.Ledger, ParseDate(row.IssuedOn), due, amount, paid, Math.Max(0, amount - paid),
            string.IsNullOrWhiteSpace(row.Currency) ? store.BaseCurrency : row.Currency.Trim(), daysOverdue > 0, daysOverdue);
    }

    internal static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateOnly ParseDate(string text) => DateOnly.ParseExact(text.Length > 10 ? text[..10] : text, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private sealed class ClientRow
    {
        public long ClientId { get; set; }

        public string Name { get; set; } = "";
    }

    private sealed class MemberRow
    {
        public long ClientId { get; set; }

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
        public long ClientId { get; set; }

        public string Ledger { get; set; } = "";

        public string LedgerId { get; set; } = "";

        public string? Number { get; set; }

        public string IssuedOn { get; set; } = "";

        public string? DueOn { get; set; }

        public long Amount { get; set; }

        public string? Currency { get; set; }

        public long? BaseAmount { get; set; }

        public long PaidAmount { get; set; }

        public long PaidByPayments { get; set; }
    }

    private sealed class PurchaseRow
    {
        public long ClientId { get; set; }

        public string? Number { get; set; }

        public string LedgerId { get; set; } = "";

        public string IssuedOn { get; set; } = "";

        public long Amount { get; set; }
    }

    private sealed class ContactRow
    {
        public long ClientId { get; set; }

        public string Name { get; set; } = "";

        public string? Position { get; set; }

        public string? Email { get; set; }

        public string? Phone { get; set; }
    }
}
