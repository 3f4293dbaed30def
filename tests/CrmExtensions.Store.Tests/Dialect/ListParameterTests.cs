using CrmExtensions.Testing;
using Dapper;

namespace CrmExtensions.Store.Tests.Dialect;

/// <summary><c>IN @name</c> lists taken as one parameter (<see cref="Store.Providers.StoreDialect.InLists"/> and
/// <see cref="Store.Providers.StoreDialect.List{T}"/>): the rows selected are those of the list, numbers and text alike, on
/// every provider.</summary>
[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.All))]
public sealed class ListParameterTests(DatabaseProvider provider) : StoreFixture(provider)
{
    [Test]
    public void InList_OfManyIds_SelectsExactlyTheRowsListed()
    {
        using var connection = Store.Open();
        using (var tx = connection.BeginTransaction())
        {
            for (var id = 1; id <= 1_200; id++)
            {
                connection.Execute("INSERT INTO client_directory_state (id, stamp, computed_at, clients) VALUES (@id, @stamp, 'x', 0)", new { id, stamp = "s" + id }, tx);
            }

            tx.Commit();
        }

        // Every third id, and some that are not there: more than any batch, fewer than the rows.
        var listed = Enumerable.Range(0, 700).Select(i => (long)(i * 3 + 1)).Concat([5_000L, -1L]).ToArray();
        var sql = Store.Dialect.InLists("SELECT id FROM client_directory_state WHERE id IN @ids ORDER BY id");

        var found = connection.Query<long>(sql, new { ids = Store.Dialect.List(listed) }).ToList();

        Assert.That(found, Is.EqualTo(listed.Where(i => i is >= 1 and <= 1_200).Order().ToList()));
    }

    [Test]
    public void InList_OfTexts_MatchesThemAsWritten_QuotesCyrillicAndBackslashesIncluded()
    {
        string[] stamps = ["ООО «Ёлка»", "O'Brien \"Ltd\"", @"C:\путь\n", "plain", "Ёлка", "елка"];
        using var connection = Store.Open();
        for (var i = 0; i < stamps.Length; i++)
        {
            connection.Execute("INSERT INTO client_directory_state (id, stamp, computed_at, clients) VALUES (@id, @stamp, 'x', 0)", new { id = i + 1, stamp = stamps[i] });
        }

        var sql = Store.Dialect.InLists("SELECT id FROM client_directory_state WHERE stamp IN @stamps ORDER BY id");

        var found = connection.Query<long>(sql, new { stamps = Store.Dialect.List(new[] { "ООО «Ёлка»", "O'Brien \"Ltd\"", @"C:\путь\n", "Ёлка", "missing" }) }).ToList();

        Assert.That(found, Is.EqualTo(new long[] { 1, 2, 3, 5 }));
    }
}
