using CrmExtensions.Store.Providers;

namespace CrmExtensions.Store.Migrations;

/// <summary>Migration 8: indexes for reports and the client dossier.</summary>
internal static class ReportsMigration
{
    public static Migration Migration { get; } = new(8, "indexes for reports and the client dossier", Statements);

#pragma warning disable IDE0060 // Every migration takes its dialect; these indexes read the same in all three.
    private static IEnumerable<string> Statements(StoreDialect d)
#pragma warning restore IDE0060
    {
        // Revenue by range (pareto, managers, dynamics) reads invoices by issue date; with the counterparty and amount in
        // the index it never touches the table.
        yield return "CREATE INDEX ix_mirror_invoices_issued ON mirror_invoices (issued_on, ledger, counterparty_id, amount)";
        // The dossier's reminders section finds a client's reminders through its counterparties.
        yield return "CREATE INDEX ix_reminders_counterparty ON reminders (ledger, counterparty_id)";
    }
}
