using CrmExtensions.Store.Clients;
using CrmExtensions.Testing;
using Dapper;

namespace CrmExtensions.Store.Tests.Clients;

/// <summary>SQLite's trigram index over <c>client_search</c> after a whole rebuild, which builds it in one pass with its
/// triggers and indexes dropped: it matches the table, and the triggers it made again keep it in step as before.</summary>
public sealed class ClientSearchIndexTests
{
    private TestDatabase _database = null!;
    private CrmStore _store = null!;

    [SetUp]
    public void SetUp()
    {
        _database = TestDatabase.Create(DatabaseProvider.Sqlite);
        _store = TestStores.Create(_database);
        _store.Migrate();
        using var c = _store.Open();
        foreach (var (id, client, name) in new[] { ("1", 1L, "ООО «Ёлка-Плюс»"), ("2", 1L, "Ёлка-Плюс, филиал в Казани"), ("3", 2L, "Acme Trading LLC") })
        {
            c.Execute("INSERT INTO client_members (ledger, ledger_id, client_id, legal_entity, entity_name, role) VALUES ('main', @id, @client, 'e', @name, 'head')",
                new { id, client, name });
            c.Execute("INSERT INTO mirror_counterparties (ledger, ledger_id, name, row_hash, first_seen_at, synced_at) VALUES ('main', @id, @name, 0, 'x', 'x')",
                new { id, name });
        }
    }

    [TearDown]
    public void TearDown() => _database?.Dispose();

    private List<string> Triggers() => Objects("trigger");

    private List<string> Objects(string type)
    {
        using var c = _store.Open();
        return c.Query<string>("SELECT sql FROM sqlite_master WHERE type = @type AND tbl_name = 'client_search' AND sql IS NOT NULL ORDER BY name", new { type }).AsList();
    }

    private List<string> Found(string text)
    {
        using var c = _store.Open();
        return c.Query<string>("SELECT s.ledger_id FROM client_search_fts f JOIN client_search s ON s.id = f.rowid WHERE client_search_fts MATCH @text ORDER BY s.ledger_id",
            new { text = "\"" + text + "\"" }).AsList();
    }

    private void Rebuild()
    {
        using var c = _store.Open();
        using var tx = c.BeginTransaction();
        ClientSearchWriter.Rebuild(c, tx, _store.Dialect);
        tx.Commit();
    }

    /// <summary>FTS5's own check that an external-content index holds exactly the table's rows; it throws otherwise.</summary>
    private void AssertIndexMatchesTable()
    {
        using var c = _store.Open();
        Assert.DoesNotThrow(() => c.Execute("INSERT INTO client_search_fts (client_search_fts, rank) VALUES ('integrity-check', 1)"));
    }

    [Test]
    public void Rebuild_BuildsTheIndexInOnePass_AndKeepsTheTriggersAndIndexesAsTheMigrationsMadeThem()
    {
        var before = Triggers();
        var indexes = Objects("index");

        Rebuild();
        Rebuild(); // over an index that already holds every row

        Assert.That(before, Has.Count.EqualTo(3), "insert, update and delete");
        Assert.That(Triggers(), Is.EqualTo(before));
        Assert.That(indexes, Has.Count.EqualTo(2), "by member (unique) and by client");
        Assert.That(Objects("index"), Is.EqualTo(indexes));
        Assert.That(Found("елка"), Is.EqualTo(new[] { "1", "2" }));
        Assert.That(Found("trading"), Is.EqualTo(new[] { "3" }));
        AssertIndexMatchesTable();
    }

    [Test]
    public void Rebuild_SetsTheSettingsItBuildsWith_BackToFts5sDefaults()
    {
        Rebuild();

        using var c = _store.Open();
        var settings = c.Query<(string K, long V)>("SELECT k, v FROM client_search_fts_config WHERE k IN ('automerge', 'hashsize') ORDER BY k").AsList();
        Assert.That(settings, Is.EqualTo(new[] { ("automerge", 4L), ("hashsize", 1048576L) }));
    }

    [Test]
    public void AfterARebuild_RowsWrittenOneByOne_StillReachTheIndex()
    {
        Rebuild();
        using (var c = _store.Open())
        {
            c.Execute("UPDATE client_search SET text = 'орбита фудс' WHERE ledger_id = '3'");
            c.Execute("DELETE FROM client_search WHERE ledger_id = '2'");
            c.Execute("INSERT INTO client_search (ledger, ledger_id, client_id, text) VALUES ('main', '4', 3, 'северные шестерни')");
        }

        Assert.That(Found("орбита"), Is.EqualTo(new[] { "3" }));
        Assert.That(Found("trading"), Is.Empty);
        Assert.That(Found("елка"), Is.EqualTo(new[] { "1" }));
        Assert.That(Found("шестерни"), Is.EqualTo(new[] { "4" }));
        AssertIndexMatchesTable();
    }
}
