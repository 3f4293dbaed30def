using CrmExtensions.Store.Providers;

namespace CrmExtensions.Store.Migrations;

/// <summary>Migration 2: client records made by unification, people's decisions about them, and their explanation.</summary>
internal static class ClientsMigration
{
    public static Migration Migration { get; } = new(2, "clients, members, links, review, decisions, unification runs", Statements);

    private static IEnumerable<string> Statements(StoreDialect d)
    {
        // Clients are never deleted: one that unification no longer produces is retired (merged_into says where to).
        yield return d.Ddl("CREATE TABLE clients (client_id {bigint} NOT NULL PRIMARY KEY, display_name {text} NOT NULL, " +
            "members {bigint} NOT NULL, legal_entities {bigint} NOT NULL, branches {bigint} NOT NULL, " +
            "created_at {key} NOT NULL, updated_at {key} NOT NULL, retired_at {key} NULL, merged_into {bigint} NULL)");
        yield return d.Ddl("CREATE TABLE client_members (ledger {key} NOT NULL, ledger_id {key} NOT NULL, client_id {bigint} NOT NULL, " +
            "legal_entity {key} NOT NULL, entity_name {text} NULL, tax_id {key} NULL, role {key} NOT NULL, branch_code {key} NULL, " +
            "city {key} NULL, region {key} NULL, PRIMARY KEY (ledger, ledger_id))");
        yield return "CREATE INDEX ix_client_members_client ON client_members (client_id)";
        // Links, review pairs and issues explain the latest run; each run replaces them.
        yield return d.Ddl("CREATE TABLE client_links ({id:id}, client_id {bigint} NOT NULL, from_ledger {key} NOT NULL, from_id {key} NOT NULL, " +
            "to_ledger {key} NOT NULL, to_id {key} NOT NULL, link_rule {key} NOT NULL, evidence {text} NOT NULL, score {real} NOT NULL)");
        yield return "CREATE INDEX ix_client_links_client ON client_links (client_id)";
        yield return d.Ddl("CREATE TABLE client_review ({id:id}, first_ledger {key} NOT NULL, first_id {key} NOT NULL, first_client {bigint} NOT NULL, " +
            "second_ledger {key} NOT NULL, second_id {key} NOT NULL, second_client {bigint} NOT NULL, link_rule {key} NOT NULL, evidence {text} NOT NULL, score {real} NOT NULL)");
        yield return d.Ddl("CREATE TABLE client_issues ({id:id}, ledger {key} NULL, ledger_id {key} NULL, client_id {bigint} NULL, kind {key} NOT NULL, detail {text} NOT NULL)");
        yield return "CREATE INDEX ix_client_issues_client ON client_issues (client_id)";
        yield return d.Ddl("CREATE TABLE unification_decisions ({id:id}, decided_at {key} NOT NULL, kind {key} NOT NULL, " +
            "members {text} NOT NULL, from_members {text} NULL, same_legal_entity {bigint} NOT NULL, note {text} NULL, undone_at {key} NULL)");
        yield return d.Ddl("CREATE TABLE unification_runs ({id:id}, started_at {key} NOT NULL, finished_at {key} NOT NULL, " +
            "ledger_entities {bigint} NOT NULL, legal_entities {bigint} NOT NULL, clients {bigint} NOT NULL, branches {bigint} NOT NULL, " +
            "groups_linked {bigint} NOT NULL, review_pairs {bigint} NOT NULL, invalid_identifiers {bigint} NOT NULL, elapsed_ms {bigint} NOT NULL)");
    }
}
