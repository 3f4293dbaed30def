using CrmExtensions.Store.Providers;

namespace CrmExtensions.Store.Migrations;

/// <summary>Migration 24: named behaviour segments, each a rule in the text syntax of <c>crmx segment add</c>.</summary>
/// <remarks>The rule is kept as its text, not as compiled SQL: it is parsed and compiled anew on every use, so a
/// stored segment follows today's definitions (its windows, the RFM distribution) and never holds SQL.</remarks>
internal static class BehaviourSegmentsMigration
{
    public static Migration Migration { get; } = new(24, "behaviour segments", Statements);

    private static IEnumerable<string> Statements(StoreDialect d)
    {
        yield return d.Ddl("CREATE TABLE behaviour_segments (name {key} NOT NULL, rule_text {text} NOT NULL, created_by {key} NULL, " +
            "updated_at {key} NOT NULL, PRIMARY KEY (name))");
    }
}
