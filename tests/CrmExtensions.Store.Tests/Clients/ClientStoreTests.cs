using CrmExtensions.Store.Clients;
using CrmExtensions.Testing;
using Dapper;

namespace CrmExtensions.Store.Tests.Clients;

/// <summary>The client store's reads on every provider.</summary>
[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.All))]
public sealed class ClientStoreTests(DatabaseProvider provider)
{
    private TestDatabase _database = null!;
    private CrmStore _store = null!;

    [SetUp]
    public void SetUp()
    {
        _database = TestDatabase.Create(provider);
        _store = TestStores.Create(_database, TimeProvider.System);
        _store.Migrate();
    }

    [TearDown]
    public void TearDown() => _database?.Dispose(); // null when SetUp ignored the test (no PostgreSQL)

    [Test]
    public void ReviewPairs_InTheEnginesOrder_WithBothMirrorRows()
    {
        using (var connection = _store.Open())
        {
            connection.Execute("INSERT INTO client_review (first_ledger, first_id, first_client, second_ledger, second_id, second_client, link_rule, evidence, score) " +
                "VALUES ('msk', '30', 4, 'spb', '31', 5, 'GroupEvidence', 'phone 78462000001', 0.75), ('msk', '40', 6, 'msk', '41', 7, 'NameCity', 'name 0.9', 0.625)");
            connection.Execute("INSERT INTO mirror_counterparties (ledger, ledger_id, name, tax_id, branch_code, address, city, phone, email, row_hash, first_seen_at, synced_at) " +
                "VALUES ('msk', '30', 'ООО Вектор-Плюс', '7710140679', '631501001', 'ул. Ленина, 1', 'Самара', '8462000001', 'a@example.com', 0, 'x', 'x'), " +
                "('spb', '31', 'ООО Вектор Плюс', '7702070139', NULL, NULL, 'Самара', '8462000001', NULL, 0, 'x', 'x')");
        }

        var pairs = new ClientStore(_store).ReviewPairs(10);

        Assert.That(pairs.Select(p => (p.FirstKey, p.SecondKey, p.Score)), Is.EqualTo(new[] { ("msk:30", "spb:31", 0.75), ("msk:40", "msk:41", 0.625) }));
        var first = pairs[0];
        Assert.That((first.FirstName, first.FirstTaxId, first.FirstBranchCode, first.FirstAddress, first.FirstCity, first.FirstPhone, first.FirstEmail),
            Is.EqualTo(("ООО Вектор-Плюс", "7710140679", "631501001", "ул. Ленина, 1", "Самара", "8462000001", "a@example.com")));
        Assert.That((first.SecondName, first.SecondTaxId, first.SecondEmail, first.FirstClient, first.SecondClient, first.Evidence),
            Is.EqualTo(("ООО Вектор Плюс", "7702070139", (string?)null, 4L, 5L, "phone 78462000001")));
        Assert.That(pairs[1].FirstName, Is.Null, "a row the mirror no longer has is still listed");
        Assert.That(new ClientStore(_store).ReviewPairs(1), Has.Count.EqualTo(1));
    }

    [Test]
    public void Save_IncrementalRun_ReviewTotalIsItsOwnPairsPlusThoseStillListedForTheClientsItKept()
    {
        var clients = new ClientStore(_store);
        static ReviewRow Pair(string first, long firstClient, string second, long secondClient) =>
            new("msk", first, firstClient, "msk", second, secondClient, "NameCity", "name 0.9", 0.6);
        ClientRunData Run(IReadOnlyList<ReviewRow> review, int ownTotal, IReadOnlyCollection<long>? reExamined) => new()
        {
            Clients = [],
            Retired = [],
            ChangedMembers = [],
            Links = [],
            Review = review,
            Issues = [],
            Events = [],
            Run = new UnificationRunRow(0, 0, 0, 0, 0, ownTotal, 0, 0),
            StartedAt = DateTimeOffset.UtcNow,
            ReExaminedClients = reExamined,
        };

        // A full run listing 3 of its 5 pairs (the rest past the review cap); clients 1-2, 3-4 and 5-6.
        var full = clients.Save(Run([Pair("1", 1, "2", 2), Pair("3", 3, "4", 4), Pair("5", 5, "6", 6)], 5, null));
        // An incremental run that re-examined clients 3 and 4 and found 3 pairs there, listing 2.
        var incremental = clients.Save(Run([Pair("3", 3, "4", 4), Pair("3", 3, "7", 7)], 3, [3, 4, 7]));

        Assert.That(full, Is.EqualTo(5), "a full run's own total, listed or not");
        Assert.That(incremental, Is.EqualTo(3 + 2), "its own 3, listed or not, and the 2 pairs still listed for the clients it kept");
        Assert.That(clients.LastRun()!.ReviewPairs, Is.EqualTo(incremental), "the run row stores what the run says");
    }

    [Test]
    public void Save_FirstRun_WritesEveryMemberAndItsSearchEntry_AndKeepsTheMembershipsIndexes()
    {
        using (var connection = _store.Open())
        {
            connection.Execute("INSERT INTO mirror_counterparties (ledger, ledger_id, name, tax_id, row_hash, first_seen_at, synced_at) " +
                "VALUES ('msk', '1', 'ООО Вектор', '7710140679', 0, 'x', 'x'), ('msk', '2', 'Вектор, филиал', '7710140679', 0, 'x', 'x'), ('msk', '3', 'Acme LLC', NULL, 0, 'x', 'x')");
        }

        var indexes = TestStores.Indexes(_store, "client_members");
        static MemberRow Member(string id, long client) => new("msk", id, client, "e" + client, "Entity " + client, null, "head", null, null, null);
        new ClientStore(_store).Save(new ClientRunData
        {
            Clients = [new ClientRow(7, "Вектор", 2, 1, 1, "", "", null, null), new ClientRow(8, "Acme", 1, 1, 0, "", "", null, null)],
            Retired = [],
            ChangedMembers = [Member("3", 8), Member("2", 7), Member("1", 7)], // not in key order
            Links = [],
            Review = [],
            Issues = [],
            Events = [],
            Run = new UnificationRunRow(3, 2, 2, 1, 0, 0, 0, 0),
            StartedAt = DateTimeOffset.UtcNow,
        });

        using var c = _store.Open();
        Assert.That(c.Query<(string, long)>("SELECT ledger_id, client_id FROM client_members ORDER BY ledger_id"), Is.EqualTo(new[] { ("1", 7L), ("2", 7L), ("3", 8L) }));
        Assert.That(c.Query<(string, long)>("SELECT ledger_id, client_id FROM client_search ORDER BY ledger_id"), Is.EqualTo(new[] { ("1", 7L), ("2", 7L), ("3", 8L) }));
        Assert.That(TestStores.Indexes(_store, "client_members"), Is.EqualTo(indexes), "the indexes set aside for the first run's write are made again");
    }

    /// <summary>Issue 20, item 7: a name typed as "%" or "_" is text to find, not a LIKE wildcard matching every client.</summary>
    [Test]
    public void FindAndList_WildcardCharacters_MatchOnlyNamesThatHaveThem()
    {
        using (var connection = _store.Open())
        {
            connection.Execute("INSERT INTO clients (client_id, display_name, members, legal_entities, branches, created_at, updated_at) " +
                "VALUES (1, 'ООО Ромашка', 1, 1, 0, 'x', 'x'), (2, 'Пиво 100% натуральное', 1, 1, 0, 'x', 'x'), (3, 'A_B Trade', 1, 1, 0, 'x', 'x'), (4, 'AxB \\ Co', 1, 1, 0, 'x', 'x')");
        }

        var clients = new ClientStore(_store);

        Assert.That(clients.FindClients("%").Select(c => c.ClientId), Is.EqualTo(new[] { 2L }));
        Assert.That(clients.FindClients("_").Select(c => c.ClientId), Is.EqualTo(new[] { 3L }));
        Assert.That(clients.FindClients("a_b").Select(c => c.ClientId), Is.EqualTo(new[] { 3L }), "not AxB");
        Assert.That(clients.FindClients("\\").Select(c => c.ClientId), Is.EqualTo(new[] { 4L }));
        Assert.That(clients.FindClients("РОМАШ").Select(c => c.ClientId), Is.EqualTo(new[] { 1L }));
        Assert.That(clients.ListClients("%", 10).Select(c => c.ClientId), Is.EqualTo(new[] { 2L }));
    }

    /// <summary>The CLI finds a client as the web's client list does: a member's name however it is punctuated or spelt
    /// with ё, its INN or phone, from the folded search text.</summary>
    [Test]
    public void FindAndList_NameTypedWithoutItsQuotesOrWithE_FoundByTheFoldedSearchText()
    {
        using (var connection = _store.Open())
        {
            connection.Execute("INSERT INTO clients (client_id, display_name, members, legal_entities, branches, created_at, updated_at) " +
                "VALUES (1, 'ООО «Ромашка»', 1, 1, 0, 'x', 'x'), (2, 'АО \"Партнёр-Монтаж\"', 1, 1, 0, 'x', 'x'), (3, 'ООО Лютик', 1, 1, 0, 'x', 'x')");
            connection.Execute(
                "INSERT INTO client_search (ledger, ledger_id, client_id, text) VALUES (@ledger, @id, @client, @text)",
                new[]
                {
                    new { ledger = "msk", id = "1", client = 1L, text = SearchText.Document("ООО «Ромашка»", null, "7701234567", "+7 495 123-45-67", null) },
                    new { ledger = "msk", id = "2", client = 2L, text = SearchText.Document("АО \"Партнёр-Монтаж\"", null, null, null, null) },
                    new { ledger = "msk", id = "3", client = 3L, text = SearchText.Document("ООО Лютик", null, null, null, null) },
                });
        }

        var clients = new ClientStore(_store);

        Assert.That(clients.FindClients("ооо ромашка").Select(c => c.ClientId), Is.EqualTo(new[] { 1L }));
        Assert.That(clients.FindClients("партнер монтаж").Select(c => c.ClientId), Is.EqualTo(new[] { 2L }));
        Assert.That(clients.ListClients("партнер", 10).Select(c => c.ClientId), Is.EqualTo(new[] { 2L }));
        Assert.That(clients.ListClients("495 123 45", 10).Select(c => c.ClientId), Is.EqualTo(new[] { 1L }));
        Assert.That(clients.ListClients("«", 10).Select(c => c.ClientId), Is.EqualTo(new[] { 1L }), "a term of no letter or digit finds the names that have it");
    }
}
