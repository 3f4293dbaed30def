using System.Text;
using CrmExtensions.Store.Clients;
using CrmExtensions.Store.Providers;

namespace CrmExtensions.Store.Migrations;

/// <summary>Migration 33: the search texts written before it keep only their letters and digits, as
/// <see cref="SearchText.Fold"/> now writes them, so that <c>ооо ромашка</c> finds <c>ООО «Ромашка»</c> in a store
/// unified before the change too.</summary>
/// <remarks>One UPDATE of the texts that hold such a character (every text of two parts or more: the separator was
/// <c>" | "</c>, now <c>|</c>). On SQLite the trigram index is built again in one pass after it, with its update trigger
/// set aside meanwhile (figures in docs/design.md). A member whose text still differs from what the writer makes now (a
/// character outside <see cref="SearchText.Punctuation"/>) is written again the next time it is indexed.</remarks>
internal static class SearchTextMigration
{
    public static Migration Migration { get; } = new(33, "client search texts of letters and digits only", Statements);

    private static IEnumerable<string> Statements(StoreDialect d)
    {
        var literal = d.Provider == DatabaseProvider.SqlServer ? "N'" : "'";
        var text = new StringBuilder("text");
        var any = new List<string>();
        foreach (var c in SearchText.Punctuation)
        {
            var pattern = Escape(c);
            text.Insert(0, "REPLACE(").Append(", ").Append(literal).Append(Quoted(c.ToString())).Append("', '')");
            any.Add("text LIKE " + literal + "%" + Quoted(pattern) + "%'" + (pattern.Length > 1 ? " ESCAPE '\\'" : ""));
        }

        var sqlite = d.Provider == DatabaseProvider.Sqlite;
        if (sqlite)
        {
            // The trigram index built again in one pass, not an entry removed and added per text (see the remarks).
            yield return "DROP TRIGGER client_search_au";
        }

        yield return "UPDATE client_search SET text = " + text + " WHERE " + string.Join(" OR ", any);
        if (sqlite)
        {
            yield return "INSERT INTO client_search_fts (client_search_fts) VALUES ('rebuild')";
            yield return ClientDirectoryMigration.SearchUpdateTriggerSql;
        }
    }

    /// <summary>Text inside an SQL string literal: a quote written twice.</summary>
    private static string Quoted(string text) => text.Replace("'", "''", StringComparison.Ordinal);

    /// <summary>A character as a LIKE pattern matches it: the wildcards and the escape escaped; on SQL Server the
    /// bracket too, which opens a set there.</summary>
    private static string Escape(char c) => c is '%' or '_' or '\\' or '[' ? "\\" + c : c.ToString();
}
