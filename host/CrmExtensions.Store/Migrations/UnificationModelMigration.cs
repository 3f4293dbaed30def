using CrmExtensions.Store.Providers;

namespace CrmExtensions.Store.Migrations;

/// <summary>Migration 29: the match model unification learnt, kept so that later runs score with it instead of learning
/// it again, and an index to find the review pairs of the clients an incremental run re-examines.</summary>
/// <remarks>Written only by <see cref="Clients.ClientStore.Save"/>. One row per model learnt; the latest is the one in use.
/// The model is JSON text: its fields and levels belong to the engine, and a kept model whose fields no longer match is
/// simply learnt again.</remarks>
internal static class UnificationModelMigration
{
    public static Migration Migration { get; } = new(29, "unification's kept match model", Statements);

    private static IEnumerable<string> Statements(StoreDialect d)
    {
        yield return d.Ddl("CREATE TABLE unification_models ({id:id}, learnt_at {key} NOT NULL, base_rows {bigint} NOT NULL, model {text} NOT NULL)");
        yield return "CREATE INDEX ix_client_review_first_client ON client_review (first_client)";
        yield return "CREATE INDEX ix_client_review_second_client ON client_review (second_client)";
    }
}
