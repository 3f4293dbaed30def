using CrmExtensions.Store.Mirror;
using CrmExtensions.Store.Providers;

namespace CrmExtensions.Store.Migrations;

/// <summary>Migration 28: contacts' and counterparties' birthdays by month and day (<c>birthday_md</c>), indexed, so that
/// "my day" looks up today's birthdays instead of scanning every contact and counterparty with <c>LIKE '%-MM-dd'</c>.</summary>
/// <remarks>
/// A column the mirror writer keeps rather than an index on an expression: SQLite and PostgreSQL index expressions, but SQL
/// Server only indexes a computed column, which would give the three providers three different schemas. The column is
/// filled here for the rows a store already holds, and written with <c>birthday</c> from then on (<see cref="MirrorWriter"/>);
/// both use <see cref="MonthDay"/>. The indexes are partial: most rows have no birthday.
/// </remarks>
internal static class BirthdayMigration
{
    public static Migration Migration { get; } = new(28, "birthdays by month and day", Statements);

    /// <summary>The tables that mirror a <c>birthday</c>.</summary>
    internal static IReadOnlyList<MirrorKind> Kinds { get; } = [MirrorSchema.Counterparties, MirrorSchema.Contacts];

    /// <summary>The <c>MM-dd</c> of a mirrored birthday (<c>yyyy-MM-dd</c>, or <c>--MM-dd</c> when the year is not known): its
    /// last five characters; NULL when it is NULL.</summary>
    /// <param name="d">The dialect.</param>
    /// <param name="birthday">An SQL expression of the birthday's text: a column or a parameter.</param>
    internal static string MonthDay(StoreDialect d, string birthday) => d.Provider == DatabaseProvider.Sqlite
        ? $"substr({birthday}, -5)"
        : $"RIGHT({birthday}, 5)";

    private static IEnumerable<string> Statements(StoreDialect d)
    {
        foreach (var kind in Kinds)
        {
            yield return d.Ddl($"ALTER TABLE {kind.Table} ADD birthday_md {{key}} NULL");
            yield return $"UPDATE {kind.Table} SET birthday_md = {MonthDay(d, "birthday")} WHERE birthday IS NOT NULL";
        }

        // "My day" joins from these to the client's members; the key leads with the day, then the row's own key.
        yield return "CREATE INDEX ix_mirror_contacts_birthday_md ON mirror_contacts (birthday_md, ledger, counterparty_id) WHERE birthday_md IS NOT NULL";
        yield return "CREATE INDEX ix_mirror_counterparties_birthday_md ON mirror_counterparties (birthday_md, ledger, ledger_id) WHERE birthday_md IS NOT NULL";
    }
}
