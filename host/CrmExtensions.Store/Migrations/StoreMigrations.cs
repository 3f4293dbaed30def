using CrmExtensions.Store.Mirror;
using CrmExtensions.Store.Providers;

namespace CrmExtensions.Store.Migrations;

/// <summary>Every migration of the store, oldest first. Later features append; nothing here is ever edited.</summary>
public static class StoreMigrations
{
    /// <summary>The migrations in order.</summary>
    public static IReadOnlyList<Migration> All { get; } =
    [
        new(1, "mirror, watermarks, sync runs and rejects, change events", Mirror),
        ClientsMigration.Migration,
        RuntimeMigration.Migration,
        ContactLogMigration.Migration,
        RemindersMigration.Migration,
        OutboxMigration.Migration,
        ClientTagsMigration.Migration,
        ReportsMigration.Migration,
        ClientKeyedMoneyMigration.Migration,
        ClientDirectoryMigration.Migration,
        ClientDirectoryMigration.NameOrderByClass,
        WebMigration.Migration,
        JobsMigration.Migration,
        InvoiceLinesMigration.Migration,
        RecommendationsMigration.Migration,
        BehaviourSegmentsMigration.Migration,
        CampaignGroupsMigration.Migration,
        PluginQuarantineMigration.Migration,
        CurrencyMigration.Migration,
        BirthdayMigration.Migration,
        UnificationModelMigration.Migration,
        RevenueByCounterpartyMigration.Migration,
        ClientTagsByValueMigration.Migration,
        ClientTagsWithoutRowIdMigration.Migration,
        SearchTextMigration.Migration,
        DirectoryOrderMigration.Migration,
    ];

    /// <summary>The mirror table of a kind: the ledger, the canonical columns, the row's hash and the mirror's own stamps.</summary>
    internal static string MirrorTable(StoreDialect d, MirrorKind kind)
    {
        var columns = new List<string> { "ledger {key} NOT NULL" };
        foreach (var c in kind.Columns)
        {
            var type = c.Type switch
            {
                ColumnType.Money => "{bigint}",
                ColumnType.Text when c.Name is "name" or "address" or "full_name" or "product_name" => "{text}",
                _ => "{key}",
            };
            columns.Add(c.Name + " " + type + (c.Name == "ledger_id" ? " NOT NULL" : " NULL"));
        }

        if (kind == MirrorSchema.Invoices)
        {
            // The date the host saw the invoice settled; drives the invoice.paid event exactly once.
            columns.Add("settled_on {key} NULL");
        }

        columns.Add("row_hash {bigint} NOT NULL");
        columns.Add("first_seen_at {key} NOT NULL");
        columns.Add("synced_at {key} NOT NULL");
        columns.Add("vanished_at {key} NULL");
        columns.Add("PRIMARY KEY (ledger, ledger_id)");
        return d.Ddl($"CREATE TABLE {kind.Table} ({string.Join(", ", columns)})");
    }

    private static IEnumerable<string> Mirror(StoreDialect d)
    {
        foreach (var kind in MirrorSchema.FirstKinds)
        {
            yield return MirrorTable(d, kind);
        }

        yield return "CREATE INDEX ix_mirror_counterparties_tax_id ON mirror_counterparties (tax_id)";
        yield return "CREATE INDEX ix_mirror_invoices_counterparty ON mirror_invoices (ledger, counterparty_id)";
        yield return "CREATE INDEX ix_mirror_payments_counterparty ON mirror_payments (ledger, counterparty_id)";
        yield return "CREATE INDEX ix_mirror_payments_invoice ON mirror_payments (ledger, invoice_id)";
        yield return "CREATE INDEX ix_mirror_contacts_counterparty ON mirror_contacts (ledger, counterparty_id)";

        yield return d.Ddl("CREATE TABLE sync_watermarks (ledger {key} NOT NULL, kind {key} NOT NULL, " +
            "value {text} NOT NULL, value_type {key} NOT NULL, updated_at {key} NOT NULL, PRIMARY KEY (ledger, kind))");
        yield return d.Ddl("CREATE TABLE sync_runs ({id:id}, ledger {key} NOT NULL, kind {key} NOT NULL, " +
            "mode {key} NOT NULL, started_at {key} NOT NULL, finished_at {key} NULL, read_rows {bigint} NOT NULL, " +
            "inserted {bigint} NOT NULL, changed {bigint} NOT NULL, vanished {bigint} NOT NULL, rejected {bigint} NOT NULL)");
        yield return d.Ddl("CREATE TABLE sync_rejects ({id:id}, run_id {bigint} NOT NULL, ledger {key} NOT NULL, " +
            "kind {key} NOT NULL, ledger_id {key} NULL, column_name {key} NULL, value {text} NULL, message {text} NOT NULL)");
        yield return "CREATE INDEX ix_sync_rejects_run ON sync_rejects (run_id)";
        yield return d.Ddl("CREATE TABLE change_events ({id:seq}, occurred_at {key} NOT NULL, event_type {key} NOT NULL, " +
            "ledger {key} NOT NULL, ledger_id {key} NOT NULL, data {text} NULL)");
    }
}
