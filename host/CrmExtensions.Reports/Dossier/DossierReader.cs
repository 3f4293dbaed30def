using System.Data.Common;
using CrmExtensions.Reports.Builtin;
using CrmExtensions.Store;
using CrmExtensions.Store.Clients;
using CrmExtensions.Store.Mirror;
using CrmExtensions.Store.Providers;
using Dapper;

namespace CrmExtensions.Reports.Dossier;

/// <summary>Reads a client's dossier: one small query per section.</summary>
/// <remarks>
/// Money (invoices, payments) carries its client and is read by client id from its index; the other sections join their
/// table to <c>client_members</c> by (ledger, counterparty id) and filter on the client id. Each walks indexes only, so the
/// cost follows the client's size, not the store's. Sections are separate methods so that a table gaining columns changes
/// one of them.
/// </remarks>
public sealed class DossierReader(CrmStore store)
{
    /// <summary>How many of the latest activities, deals, overdue invoices and reminders are listed.</summary>
    public const int ListLimit = 10;

    private readonly CrmStore _store = store ?? throw new ArgumentNullException(nameof(store));

    /// <summary>Reads the dossier of <paramref name="client"/> with balances as of <paramref name="asOf"/>.</summary>
    public ClientDossier Read(ClientRow client, DateOnly asOf)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var connection = _store.Open();
        var id = client.ClientId;
        var entities = Entities(connection, id);
        var invoices = Invoices(connection, id, asOf);
        var payments = Payments(connection, id);
        return new ClientDossier(client, asOf, Manager(entities), LifecycleStage(connection, id), entities, Contacts(connection, id), Deals(connection, id),
            invoices[0], OverdueInvoices(connection, id, asOf), payments[0],
            Reminders(connection, id), Links(connection, id))
        {
            BaseCurrency = _store.BaseCurrency,
            InvoicesNotConverted = invoices[1..],
            PaymentsNotConverted = payments[1..],
        };
    }

    private static List<DossierEntity> Entities(DbConnection connection, long id) =>
        connection.Query<DossierEntity>(EntitiesSql, new { id }).AsList();

    /// <summary>The manager of the client's head counterparties (the first by name when they differ), else of any.</summary>
    private static string? Manager(List<DossierEntity> entities) =>
        entities.Where(e => e.Role == "head" && e.Manager is not null).Select(e => e.Manager).Order(StringComparer.Ordinal).FirstOrDefault()
        ?? entities.Select(e => e.Manager).Where(m => m is not null).Order(StringComparer.Ordinal).FirstOrDefault();

    /// <summary>The lifecycle stage a plugin keeps as the client tag <c>lifecycle.stage</c>, or null.</summary>
    private static string? LifecycleStage(DbConnection connection, long id) =>
        connection.QueryFirstOrDefault<string?>(StageSql, new { id });

    // The same person often sits on every duplicate of a legal entity: listed once.
    private static List<DossierContact> Contacts(DbConnection connection, long id) =>
        [.. connection.Query<DossierContact>(ContactsSql, new { id }).DistinctBy(c => (c.FullName, c.Position, c.Phone, c.Email, c.Birthday))];

    private List<DossierDeal> Deals(DbConnection connection, long id) =>
        connection.Query<DossierDeal>(_store.Dialect.Top(DealsSql, ListLimit), new { id }).AsList();

    /// <summary>The client's invoices in the base currency first, then one row per currency that could not be converted.</summary>
    private static List<DossierInvoices> Invoices(DbConnection connection, long id, DateOnly asOf)
    {
        var rows = connection.Query<(string? Currency, long Invoices, long Amount, long Paid, long PaidAmount, long Unpaid, long UnpaidAmount, long Overdue, long OverdueAmount)>(
            InvoicesSql, new { id, asOf = ReportSql.Day(asOf) })
            .Select(r => new DossierInvoices(r.Invoices, r.Amount, r.Paid, r.PaidAmount, r.Unpaid, r.UnpaidAmount, r.Overdue, r.OverdueAmount) { Currency = r.Currency })
            .ToList();
        return [rows.Find(r => r.Currency is null) ?? new DossierInvoices(0, 0, 0, 0, 0, 0, 0, 0), .. rows.Where(r => r.Currency is not null).OrderBy(r => r.Currency, StringComparer.Ordinal)];
    }

    // Read as a tuple: Dapper maps a record's constructor by the reader's column types before the first row, and SQLite
    // types computed columns only once a row is read.
    private List<DossierOverdueInvoice> OverdueInvoices(DbConnection connection, long id, DateOnly asOf) =>
        connection.Query<(string Ledger, string LedgerId, string? Number, string IssuedOn, string DueOn, long OpenAmount, string? Currency)>(
            _store.Dialect.Top(OverdueSql, ListLimit), new { id, asOf = ReportSql.Day(asOf) })
            .Select(r => new DossierOverdueInvoice(r.Ledger, r.LedgerId, r.Number, r.IssuedOn, r.DueOn, r.OpenAmount) { Currency = r.Currency ?? _store.BaseCurrency }).ToList();

    /// <summary>The client's payments in the base currency first, then one row per currency that could not be converted.</summary>
    private static List<DossierPayments> Payments(DbConnection connection, long id)
    {
        var rows = connection.Query<(string? Currency, long Payments, long Amount, string? LastPaidOn)>(PaymentsSql, new { id })
            .Select(r => new DossierPayments(r.Payments, r.Amount, r.LastPaidOn) { Currency = r.Currency }).ToList();
        return [rows.Find(r => r.Currency is null) ?? new DossierPayments(0, 0, null), .. rows.Where(r => r.Currency is not null).OrderBy(r => r.Currency, StringComparer.Ordinal)];
    }

    private List<DossierReminder> Reminders(DbConnection connection, long id) =>
        connection.Query<DossierReminder>(_store.Dialect.Top(RemindersSql, ListLimit), new { id }).AsList();

    private static List<LinkRow> Links(DbConnection connection, long id) =>
        connection.Query<LinkRow>(LinksSql, new { id }).AsList();

    private static readonly string Open = MirrorSchema.OpenInvoice("i");

    internal const string EntitiesSql =
        "SELECT m.ledger AS Ledger, m.ledger_id AS LedgerId, m.legal_entity AS LegalEntity, m.entity_name AS EntityName, c.name AS Name, m.tax_id AS TaxId, " +
        "m.role AS Role, m.branch_code AS BranchCode, m.city AS City, m.region AS Region, c.manager AS Manager, c.birthday AS Birthday " +
        "FROM client_members m LEFT JOIN mirror_counterparties c ON c.ledger = m.ledger AND c.ledger_id = m.ledger_id " +
        "WHERE m.client_id = @id ORDER BY m.legal_entity, m.role DESC, m.ledger, m.ledger_id";

    internal const string ContactsSql =
        "SELECT p.ledger AS Ledger, p.counterparty_id AS CounterpartyId, p.full_name AS FullName, p.position AS Position, p.phone AS Phone, p.email AS Email, " +
        "p.birthday AS Birthday, p.ledger_id AS ContactId FROM client_members m JOIN mirror_contacts p ON p.ledger = m.ledger AND p.counterparty_id = m.ledger_id " +
        "WHERE m.client_id = @id AND p.vanished_at IS NULL ORDER BY p.full_name, p.ledger, p.ledger_id";

    internal const string StageSql = "SELECT value FROM client_tags WHERE client_id = @id AND name = 'lifecycle.stage'";

    // Deals carry the client they were recorded on (migration 4). The contact log is the section of 'clients show'
    // that ActivityStore.ListForClient reads.
    internal const string DealsSql =
        "SELECT d.deal_id AS DealId, d.pipeline AS Pipeline, d.stage AS Stage, d.title AS Title, d.amount AS Amount, d.updated_at AS UpdatedAt " +
        "FROM deals d WHERE d.client_id = @id ORDER BY d.updated_at DESC, d.deal_id";

    // Totals are in the base currency (base_amount, migration 27); invoices and payments in a currency without a rate are
    // never added to them: they come back as their own currency's row (Currency not null), summed in that currency.
    private static string Bucket(string alias) => $"CASE WHEN {alias}.base_amount IS NULL THEN {alias}.currency END";

    private static readonly string InvoiceBucket = Bucket("i");

    internal static readonly string InvoicesSql =
        "SELECT " + InvoiceBucket + " AS Currency, CAST(COUNT(*) AS BIGINT) AS Invoices, CAST(COALESCE(SUM(COALESCE(i.base_amount, i.amount)), 0) AS BIGINT) AS Amount, " +
        "CAST(COALESCE(SUM(CASE WHEN " + Open + " THEN 0 ELSE 1 END), 0) AS BIGINT) AS Paid, " +
        "CAST(COALESCE(SUM(CASE WHEN " + Open + " THEN 0 ELSE COALESCE(i.base_amount, i.amount) END), 0) AS BIGINT) AS PaidAmount, " +
        "CAST(COALESCE(SUM(CASE WHEN " + Open + " AND COALESCE(i.due_on, i.issued_on) >= @asOf THEN 1 ELSE 0 END), 0) AS BIGINT) AS Unpaid, " +
        "CAST(COALESCE(SUM(CASE WHEN " + Open + " AND COALESCE(i.due_on, i.issued_on) >= @asOf THEN " + OpenAmount + " ELSE 0 END), 0) AS BIGINT) AS UnpaidAmount, " +
        "CAST(COALESCE(SUM(CASE WHEN " + Open + " AND COALESCE(i.due_on, i.issued_on) < @asOf THEN 1 ELSE 0 END), 0) AS BIGINT) AS Overdue, " +
        "CAST(COALESCE(SUM(CASE WHEN " + Open + " AND COALESCE(i.due_on, i.issued_on) < @asOf THEN " + OpenAmount + " ELSE 0 END), 0) AS BIGINT) AS OverdueAmount " +
        "FROM mirror_invoices i WHERE i.client_id = @id AND i.vanished_at IS NULL GROUP BY " + InvoiceBucket;

    /// <summary>What is open on an invoice: in the base currency when it is converted, else in its own.</summary>
    private const string OpenAmount =
        "CASE WHEN i.base_amount IS NULL THEN i.amount - COALESCE(i.paid_amount, 0) ELSE i.base_amount - COALESCE(i.base_paid_amount, 0) END";

    // Money carries its client (migration 9): the client's invoices are one range of the index by client. Each is shown in
    // its own currency, as its document says.
    internal static readonly string OverdueSql =
        "SELECT i.ledger AS Ledger, i.ledger_id AS LedgerId, i.number AS Number, i.issued_on AS IssuedOn, COALESCE(i.due_on, i.issued_on) AS DueOn, " +
        "CAST(i.amount - COALESCE(i.paid_amount, 0) AS BIGINT) AS OpenAmount, i.currency AS Currency FROM mirror_invoices i " +
        "WHERE i.client_id = @id AND i.vanished_at IS NULL AND " + Open + " AND COALESCE(i.due_on, i.issued_on) < @asOf ORDER BY COALESCE(i.due_on, i.issued_on), i.ledger, i.ledger_id";

    private static readonly string PaymentBucket = Bucket("p");

    internal static readonly string PaymentsSql =
        "SELECT " + PaymentBucket + " AS Currency, CAST(COUNT(*) AS BIGINT) AS Payments, CAST(COALESCE(SUM(COALESCE(p.base_amount, p.amount)), 0) AS BIGINT) AS Amount, MAX(p.paid_on) AS LastPaidOn " +
        "FROM mirror_payments p WHERE p.client_id = @id AND p.vanished_at IS NULL GROUP BY " + PaymentBucket;

    internal const string RemindersSql =
        "SELECT r.plugin_id AS PluginId, r.title AS Title, r.due_on AS DueOn FROM client_members m " +
        "JOIN reminders r ON r.ledger = m.ledger AND r.counterparty_id = m.ledger_id WHERE m.client_id = @id AND r.status = 'open' ORDER BY r.due_on, r.reminder_key";

    internal const string LinksSql =
        "SELECT client_id AS ClientId, from_ledger AS FromLedger, from_id AS FromId, to_ledger AS ToLedger, to_id AS ToId, link_rule AS LinkRule, evidence AS Evidence, score AS Score " +
        "FROM client_links WHERE client_id = @id ORDER BY score DESC, id";

    /// <summary>Every statement the dossier sends, for a dialect; tests parse the T-SQL ones.</summary>
    internal static IEnumerable<string> Statements(StoreDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(dialect);
        return [EntitiesSql, StageSql, ContactsSql, dialect.Top(DealsSql, ListLimit), InvoicesSql, dialect.Top(OverdueSql, ListLimit),
            PaymentsSql, dialect.Top(RemindersSql, ListLimit), LinksSql];
    }
}
