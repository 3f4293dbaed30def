using CrmExtensions.Store.Clients;
using CrmExtensions.Store.Migrations;
using CrmExtensions.Testing;
using Dapper;

namespace CrmExtensions.Store.Tests.Migrations;

[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.All))]
public sealed class SearchTextMigrationTests(DatabaseProvider provider)
{
    [Test]
    public void Migrate_TextsWrittenWithPunctuation_AreTheTextsTheWriterMakesNow()
    {
        using var database = TestDatabase.Create(provider);
        var store = TestStores.Create(database);
        using var connection = store.Open();
        MigratedBefore.Apply(store, connection, SearchTextMigration.Migration);
        var members = new (string Name, string? Entity, string? Inn, string? Phone, string? Email)[]
        {
            ("ООО «Ёлка-Плюс»", "Ёлка-Плюс, филиал в Санкт-Петербурге", "7707083893", "+7 (495) 123-45-67", "info@elka.ru"),
            ("O'Brien & Sons (Dublin) Ltd.", null, null, null, "sales@obrien-sons.ie"),
            ("ЗАО \"Бета\" / Beta [old]; №2 — 50% _x_", null, null, "8 812 555 01 01", null),
            ("Acme Trading LLC", null, "500100732259", null, null),
        };
        for (var i = 0; i < members.Length; i++)
        {
            var m = members[i];
            connection.Execute("INSERT INTO client_search (ledger, ledger_id, client_id, text) VALUES ('main', @id, @client, @text)",
                new { id = i.ToString(System.Globalization.CultureInfo.InvariantCulture), client = i + 1, text = OldDocument(m.Name, m.Entity, m.Inn, m.Phone, m.Email) });
        }

        store.Migrate();

        Assert.That(connection.Query<string>("SELECT text FROM client_search ORDER BY client_id"),
            Is.EqualTo(members.Select(m => SearchText.Document(m.Name, m.Entity, m.Inn, m.Phone, m.Email))));
        if (provider == DatabaseProvider.Sqlite)
        {
            // The trigram index followed the texts: a name typed without its quotes and hyphen is found through it.
            Assert.That(connection.Query<long>(ClientDirectory.MatchesSql, new { match = "\"" + SearchText.Term("ООО Ёлка Плюс") + "\"", enough = 10 }).Count(), Is.EqualTo(1));
            connection.Execute("INSERT INTO client_search_fts (client_search_fts) VALUES ('integrity-check')");
        }
    }

    /// <summary>The text as the writer made it before migration 33: lower case, ё as е, white space runs as one space,
    /// punctuation kept.</summary>
    private static string OldDocument(string name, string? entity, string? inn, string? phone, string? email)
    {
        static string? Fold(string? s) => s is null ? null : string.Join(' ', s.Trim().ToLowerInvariant().Replace('ё', 'е').Split(' ', StringSplitOptions.RemoveEmptyEntries));
        var digits = phone is null ? null : new string(phone.Where(char.IsAsciiDigit).ToArray());
        var phonePart = digits is { Length: 11 } && digits[0] is '7' or '8' ? digits[1..] : digits;
        return string.Join(" | ", new[] { Fold(name), Fold(entity), inn, phonePart, Fold(email) }.Where(p => !string.IsNullOrEmpty(p)));
    }
}
