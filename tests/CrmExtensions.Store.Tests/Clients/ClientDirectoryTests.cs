using System.Globalization;
using CrmExtensions.Store.Clients;
using CrmExtensions.Testing;
using Dapper;

namespace CrmExtensions.Store.Tests.Clients;

/// <summary>The client directory on every provider: search semantics, filters, keyset pages, and computing again when the store changes.</summary>
[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.All))]
public sealed class ClientDirectoryTests(DatabaseProvider provider)
{
    private static readonly DateTimeOffset Now = new(2026, 6, 15, 9, 0, 0, TimeSpan.Zero);
    private const int Extra = 37;

    private TestDatabase _database = null!;
    private CrmStore _store = null!;
    private ClientDirectory _directory = null!;

    /// <summary>Revenue of every client in the window, as seeded, for the independent ABC computation.</summary>
    private readonly Dictionary<long, long> _revenue = [];

    [SetUp]
    public void Seed()
    {
        _database = TestDatabase.Create(provider);
        _store = TestStores.Create(_database, new ManualClock(Now));
        _store.Migrate();
        _directory = new ClientDirectory(_store);
        _revenue.Clear();
        using var c = _store.Open();
        Client(c, 1, "ООО «Ёлка-Плюс»", 2, 1);
        Member(c, "main", "1", 1, "7707083893", "head", "ООО «Ёлка-Плюс»", "г. Москва", "+7 (495) 123-45-67", "info@elka.ru", "Петров");
        Member(c, "main", "2", 1, "7707083893", "branch", "Ёлка-Плюс, филиал в Санкт-Петербурге", "Санкт-Петербург", null, null, "Петров");
        Client(c, 2, "Acme Trading LLC", 1, 0);
        Member(c, "spb", "3", 2, "500100732259", "head", "Acme Trading LLC", "Москва", "8 812 555 01 01", "sales@acme.example", "Smith");
        Client(c, 3, "Бета", 1, 0);
        Member(c, "main", "4", 3, null, "head", "ЗАО Бета", "Тверская область", null, null, "Smith");
        Client(c, 4, "Ретро (retired)", 1, 0, retired: true);
        Invoice(c, "main", "I1", "2", 1, "2026-01-10", "2026-02-10", 1_000_000, 0);   // overdue, on the branch
        Invoice(c, "main", "I2", "1", 1, "2026-03-01", "2026-07-01", 500_000, 0);     // open, not yet due
        Invoice(c, "spb", "I3", "3", 2, "2026-05-01", "2026-05-20", 200_000, 200_000); // paid
        Invoice(c, "main", "I4", "4", 3, "2025-06-15", null, 900_000, 900_000);       // a day before the window
        for (var i = 0; i < Extra; i++)
        {
            var id = 10 + i;
            Client(c, id, "Клиент " + i.ToString("00", CultureInfo.InvariantCulture), 1, 0);
            Member(c, "main", "x" + id, id, null, "head", "Клиент " + i, i % 2 == 0 ? "Москва" : "Казань", null, null, i % 3 == 0 ? "Петров" : "Smith");
            if (i % 4 != 0)
            {
                Invoice(c, "main", "xi" + id, "x" + id, id, "2025-06-16", null, (i + 1) * 10_000, 0);
            }
        }

        c.Execute("INSERT INTO client_tags (client_id, name, value, plugin_id, updated_at) VALUES (1, 'lifecycle.stage', 'expansion', 'p', 'x'), " +
            "(1, 'vip', 'yes', 'p', 'x'), (2, 'lifecycle.stage', 'new', 'p', 'x')");
    }

    [TearDown]
    public void Clean() => _database?.Dispose();

    private static void Client(System.Data.Common.DbConnection c, long id, string name, long entities, long branches, bool retired = false) =>
        c.Execute("INSERT INTO clients (client_id, display_name, members, legal_entities, branches, created_at, updated_at, retired_at) " +
            "VALUES (@id, @name, 1, @entities, @branches, 'x', 'x', @retired)", new { id, name, entities, branches, retired = retired ? "x" : null });

    private static void Member(System.Data.Common.DbConnection c, string ledger, string id, long client, string? inn, string role, string name, string region,
        string? phone, string? email, string manager)
    {
        c.Execute("INSERT INTO client_members (ledger, ledger_id, client_id, legal_entity, entity_name, tax_id, role, region) " +
            "VALUES (@ledger, @id, @client, @entity, @name, @inn, @role, @region)", new { ledger, id, client, entity = inn ?? "client/" + client, name, inn, role, region });
        c.Execute("INSERT INTO mirror_counterparties (ledger, ledger_id, name, tax_id, region, phone, email, manager, row_hash, first_seen_at, synced_at) " +
            "VALUES (@ledger, @id, @name, @inn, @region, @phone, @email, @manager, 0, 'x', 'x')", new { ledger, id, name, inn, region, phone, email, manager });
    }

    private void Invoice(System.Data.Common.DbConnection c, string ledger, string id, string counterparty, long client, string issued, string? due, long amount, long paid)
    {
        c.Execute("INSERT INTO mirror_invoices (ledger, ledger_id, counterparty_id, issued_on, due_on, amount, paid_amount, base_amount, base_paid_amount, client_id, legal_entity, row_hash, first_seen_at, synced_at) " +
            "VALUES (@ledger, @id, @counterparty, @issued, @due, @amount, @paid, @amount, @paid, @client, 'e', 0, 'x', 'x')", new { ledger, id, counterparty, issued, due, amount, paid, client });
        if (string.CompareOrdinal(issued, "2025-06-16") >= 0)
        {
            _revenue[client] = _revenue.GetValueOrDefault(client) + amount;
        }
    }

    private List<ClientListRow> All(ClientListFilter filter, int limit = 5)
    {
        var rows = new List<ClientListRow>();
        string? after = null;
        do
        {
            var page = _directory.Page(filter, after, limit);
            Assert.That(page.Rows, Has.Count.LessThanOrEqualTo(limit));
            rows.AddRange(page.Rows);
            after = page.Next;
        }
        while (after is not null);

        return rows;
    }

    private List<long> Ids(ClientListFilter filter) => All(filter).Select(r => r.ClientId).Order().ToList();

    [TestCase("елка")]
    [TestCase("ЁЛКА-плюс")]
    [TestCase("санкт-петербурге")]
    [TestCase("ёл")]
    [TestCase("7707083893")]
    [TestCase("8 (495) 123-45-67")]
    [TestCase("+74951234567")]
    [TestCase("123-45")]
    [TestCase("INFO@ELKA.RU")]
    [TestCase("ооо ёлка плюс")]
    [TestCase("\"Елка Плюс\"")]
    [TestCase("елка-плюс, филиал")]
    [TestCase("elka.ru")]
    [TestCase("елкаплюс")]
    public void Page_SearchForClientOne_FindsItAlone(string search) =>
        Assert.That(Ids(new ClientListFilter(Search: search)), Is.EqualTo(new long[] { 1 }));

    [TestCase("acme")]
    [TestCase("TRADING llc")]
    [TestCase("500100732259")]
    [TestCase("+7 812 555-01-01")]
    [TestCase("acme.example")]
    [TestCase("a c m e trading")]
    public void Page_SearchForClientTwo_FindsItAlone(string search) =>
        Assert.That(Ids(new ClientListFilter(Search: search)), Is.EqualTo(new long[] { 2 }));

    [Test]
    public void Page_SearchPartOfManyNames_FindsEachOnceAndNotTheRetired()
    {
        Assert.That(Ids(new ClientListFilter(Search: "клиент")), Is.EqualTo(Enumerable.Range(10, Extra).Select(i => (long)i).ToList()));
        Assert.That(Ids(new ClientListFilter(Search: "ретро")), Is.Empty);
        Assert.That(Ids(new ClientListFilter(Search: "no such name anywhere")), Is.Empty);
    }

    [TestCase("%")]
    [TestCase(" «» ")]
    public void Page_SearchOfNoLetterOrDigit_FindsNothing(string search) =>
        Assert.That(Ids(new ClientListFilter(Search: search)), Is.Empty);

    [TestCase(ClientListOrder.Revenue)]
    [TestCase(ClientListOrder.Name)]
    public void Page_SearchACommonWord_ListsItsClientsInTheListsOrder(ClientListOrder order)
    {
        var expected = All(new ClientListFilter(Order: order), 3).Select(r => r.ClientId).Where(id => id >= 10).ToList();

        Assert.That(All(new ClientListFilter(Search: "клиент", Order: order), 3).Select(r => r.ClientId), Is.EqualTo(expected));
    }

    [Test]
    public void SearchCondition_AWordInMostNames_WalksTheListAndARareOneUsesTheIndex()
    {
        _directory.Page(new ClientListFilter(), null, 1);
        using var c = _store.Open();
        string Condition(string term) => ClientDirectory.SearchCondition(_store, c, term, 6, new DynamicParameters());

        // 40 clients, pages of 5 and one more: the index is asked for at most √(2 × 6 × 40) = 22 matches.
        if (provider == DatabaseProvider.Sqlite)
        {
            Assert.That(Condition("клиент"), Is.EqualTo(ClientDirectory.SearchScanCondition), "37 of 40 clients");
            Assert.That(Condition("клиент 1"), Is.EqualTo(ClientDirectory.SearchMatchCondition), "11 of 40 clients");
            Assert.That(Condition("елка"), Is.EqualTo(ClientDirectory.SearchMatchCondition));
        }
        else
        {
            Assert.That(Condition("клиент"), Is.EqualTo(ClientDirectory.SearchLikeCondition), "the server's planner weighs the plans");
        }
    }

    [Test]
    public void Page_Filters_SelectTheirClients()
    {
        Assert.That(Ids(new ClientListFilter(Manager: "Петров")), Is.EqualTo(new long[] { 1 }.Concat(Enumerable.Range(0, Extra).Where(i => i % 3 == 0).Select(i => 10L + i))));
        Assert.That(Ids(new ClientListFilter(Region: "Москва", Search: "a")), Is.EqualTo(new long[] { 1, 2 }), "'г. Москва' counts as Москва; search ANDs");
        Assert.That(Ids(new ClientListFilter(Stage: "expansion")), Is.EqualTo(new long[] { 1 }));
        Assert.That(Ids(new ClientListFilter(Tag: "vip")), Is.EqualTo(new long[] { 1 }));
        Assert.That(Ids(new ClientListFilter(Tag: "vip=no")), Is.Empty);
        Assert.That(Ids(new ClientListFilter(Overdue: true)), Is.EqualTo(new long[] { 1 }.Concat(Enumerable.Range(0, Extra).Where(i => i % 4 != 0).Select(i => 10L + i))));
        Assert.That(Ids(new ClientListFilter(Overdue: false, Manager: "Smith", Region: "Тверская область")), Is.EqualTo(new long[] { 3 }));
    }

    [Test]
    public void Page_RowsAndClasses_AreTheWindowsRevenueAndItsParetoClasses()
    {
        var rows = All(new ClientListFilter(), 7).ToDictionary(r => r.ClientId);
        // The Pareto rule computed here from the seeded invoices: ranked by revenue (then id), A while the revenue ranked
        // before a client is under 80 % of the total, B under 95 %, C after; clients without revenue in the window have no class.
        var total = _revenue.Values.Sum();
        var before = 0L;
        foreach (var (id, amount) in _revenue.OrderByDescending(p => p.Value).ThenBy(p => p.Key))
        {
            var expected = before * 5 < total * 4 ? "A" : before * 20 < total * 19 ? "B" : "C";
            Assert.That(rows[id].AbcClass, Is.EqualTo(expected), $"client {id}");
            Assert.That(rows[id].Revenue, Is.EqualTo(amount / 10_000m), $"client {id}");
            before += amount;
        }

        Assert.That(rows.Keys.Except(_revenue.Keys).Select(id => rows[id].AbcClass), Is.All.Null);
        Assert.That(rows[3].Revenue, Is.Zero, "an invoice a day before the window is not revenue");
        Assert.That(rows[1].Overdue, Is.EqualTo(100m), "only the invoice past due is overdue");
        Assert.That(rows[1], Has.Property("Stage").EqualTo("expansion").And.Property("Manager").EqualTo("Петров")
            .And.Property("Region").EqualTo("г. Москва").And.Property("LegalEntities").EqualTo(2L).And.Property("Branches").EqualTo(1L));
        Assert.That(All(new ClientListFilter(AbcClass: "a")).Select(r => r.ClientId), Is.EquivalentTo(rows.Values.Where(r => r.AbcClass == "A").Select(r => r.ClientId)));
    }

    [TestCase(ClientListOrder.Revenue, 1)]
    [TestCase(ClientListOrder.Revenue, 6)]
    [TestCase(ClientListOrder.Name, 1)]
    [TestCase(ClientListOrder.Name, 4)]
    public void Page_EveryPage_ListsEveryLiveClientExactlyOnceInOrder(ClientListOrder order, int limit)
    {
        var rows = All(new ClientListFilter(Order: order), limit);

        Assert.That(rows.Select(r => r.ClientId), Is.Unique);
        Assert.That(rows.Select(r => r.ClientId).Order(), Is.EqualTo(new long[] { 1, 2, 3 }.Concat(Enumerable.Range(10, Extra).Select(i => (long)i))));
        if (order == ClientListOrder.Revenue)
        {
            Assert.That(rows.Select(r => r.Revenue), Is.Ordered.Descending);
        }
        else
        {
            var names = rows.Select(r => r.DisplayName.ToLowerInvariant().Replace('ё', 'е')).ToList();
            Assert.That(names.Zip(names.Skip(1)).Count(p => string.Equals(p.First, p.Second, StringComparison.Ordinal)), Is.Zero);
            Assert.That(rows.First().DisplayName, Does.StartWith("Acme"), "Latin before Cyrillic");
        }
    }

    [Test]
    public void Page_FilteredPages_ListEachMatchOnce()
    {
        var rows = All(new ClientListFilter(Manager: "Smith", Order: ClientListOrder.Name), 3);

        Assert.That(rows.Select(r => r.ClientId), Is.Unique.And.EquivalentTo(new long[] { 2, 3 }.Concat(Enumerable.Range(0, Extra).Where(i => i % 3 != 0).Select(i => 10L + i))));
    }

    [Test]
    public void Page_ACursorOfAnotherOrderOrGarbage_IsRefused()
    {
        var next = _directory.Page(new ClientListFilter(), null, 2).Next;

        Assert.That(next, Is.Not.Null);
        Assert.That(() => _directory.Page(new ClientListFilter(Order: ClientListOrder.Name), next, 2), Throws.ArgumentException);
        Assert.That(() => _directory.Page(new ClientListFilter(), "not a cursor!", 2), Throws.ArgumentException);
    }

    [Test]
    public void Page_AfterASyncChangedTheMirror_ComputesTheRowsAgain()
    {
        Assert.That(_directory.Page(new ClientListFilter(Search: "бета"), null, 5).Rows.Single().Revenue, Is.Zero);
        using (var c = _store.Open())
        {
            Invoice(c, "main", "I5", "4", 3, "2026-06-01", null, 30_000_000, 0);
            SyncRun(c);
        }

        var row = _directory.Page(new ClientListFilter(Search: "бета"), null, 5).Rows.Single();

        Assert.That(row.Revenue, Is.EqualTo(3000m));
        Assert.That(row.AbcClass, Is.EqualTo("A"));
        Assert.That(_directory.Page(new ClientListFilter(), null, 1).Rows.Single().ClientId, Is.EqualTo(3), "first by revenue now");
    }

    [Test]
    public void EnsureCurrent_WritingEveryRowAgain_KeepsTheDirectorysIndexes()
    {
        var indexes = TestStores.Indexes(_store, "client_directory");
        _directory.Page(new ClientListFilter(), null, 5);
        using (var c = _store.Open())
        {
            SyncRun(c);
            // Every row written again, the indexes set aside meanwhile, however few rows differ.
            Assert.That(ClientDirectoryWriter.EnsureCurrent(_store, c, DateOnly.FromDateTime(Now.DateTime), mostDifferences: -1), Is.True);
        }

        var again = _directory.Page(new ClientListFilter(Manager: "Smith"), null, 50).Rows.Select(r => r.ClientId).ToList();

        Assert.That(TestStores.Indexes(_store, "client_directory"), Is.EqualTo(indexes), "the indexes set aside while the rows are written are made again");
        Assert.That(again, Does.Contain(2L).And.Contain(3L).And.Not.Contain(1L), "the rows are read through them");
    }

    [TestCase(null, TestName = "{m}(the differing rows written)")]
    [TestCase(2L, TestName = "{m}(more differ than written one by one: every row)")]
    public void EnsureCurrent_AfterChangesOfEveryKindAndANewDay_HoldsWhatComputingFromScratchGives(long? mostDifferences)
    {
        _directory.Refresh();
        using (var c = _store.Open())
        {
            Invoice(c, "main", "I6", "4", 3, "2026-06-10", "2026-06-12", 70_000_000, 0);   // client 3: revenue, class, overdue
            c.Execute("UPDATE mirror_invoices SET vanished_at = 'x' WHERE ledger_id = 'xi11'");   // client 11 loses its revenue
            c.Execute("UPDATE clients SET retired_at = 'x' WHERE client_id = 12");
            Client(c, 99, "Новый клиент", 1, 0);
            Member(c, "main", "n99", 99, null, "head", "Новый клиент", "Омск", null, null, "Иванов");
            c.Execute("UPDATE mirror_counterparties SET manager = 'Сидоров' WHERE ledger_id = 'x13'");
            c.Execute("UPDATE clients SET display_name = 'Клиент переименованный', legal_entities = 2 WHERE client_id = 14");
            c.Execute("UPDATE client_members SET region = 'Омская область' WHERE ledger_id = 'x15'");
            SyncRun(c);
        }

        // A new day: the window moves past the invoices of 2025-06-16 and the invoice due on 2026-07-01 falls due.
        var day = new DateOnly(2026, 7, 5);
        using (var c = _store.Open())
        {
            Assert.That(ClientDirectoryWriter.EnsureCurrent(_store, c, day, mostDifferences), Is.True);
        }

        var kept = Dump();
        using (var c = _store.Open())
        {
            c.Execute("DELETE FROM client_directory_state");
            Assert.That(ClientDirectoryWriter.EnsureCurrent(_store, c, day), Is.True, "computed from scratch");
        }

        Assert.That(kept, Is.EqualTo(Dump()));
        Assert.That(kept.Select(r => r.Split('|')[0]), Does.Contain("99").And.Not.Contain("12"));
        Assert.That(kept.Single(r => r.StartsWith("3|", StringComparison.Ordinal)), Does.Contain("|A|").And.Contain("|70000000|"));
        Assert.That(kept.Single(r => r.StartsWith("1|", StringComparison.Ordinal)), Does.Contain("|1500000|"), "both open invoices of client 1 are overdue");
    }

    [Test]
    public void EnsureCurrent_WhenOneClientChanged_WritesThatRowAlone()
    {
        _directory.Refresh();
        using var c = _store.Open();
        NoteWrites(c);
        SyncRun(c);
        Assert.That(ClientDirectoryWriter.EnsureCurrent(_store, c, DateOnly.FromDateTime(Now.DateTime)), Is.True);
        Assert.That(c.Query<long>("SELECT client_id FROM directory_written"), Is.Empty, "nothing changed: nothing written");

        c.Execute("UPDATE mirror_counterparties SET manager = 'Сидоров' WHERE ledger_id = 'x13'");
        c.Execute("UPDATE clients SET retired_at = 'x' WHERE client_id = 16");
        SyncRun(c);
        Assert.That(ClientDirectoryWriter.EnsureCurrent(_store, c, DateOnly.FromDateTime(Now.DateTime)), Is.True);

        Assert.That(c.Query<long>("SELECT client_id FROM directory_written"), Is.EquivalentTo(new long[] { 13 }));
        Assert.That(c.ExecuteScalar<long>("SELECT COUNT(*) FROM client_directory WHERE client_id = 16"), Is.Zero);
        Assert.That(c.ExecuteScalar<long>(ClientDirectoryWriter.CountSql), Is.EqualTo(2 + Extra), "the state counts the rows there are");
    }

    [Test]
    public void EnsureCurrent_WhileTheRowsAreComputed_HoldsUpNoOtherWriter()
    {
        using var c = StaleByOneManager();
        var wrote = false;

        var computedNow = ClientDirectoryWriter.EnsureCurrent(_store, c, DateOnly.FromDateTime(Now.DateTime), computed: () =>
        {
            // Another writer, which gives up after a second: a tag written, and on PostgreSQL the directory's own lock free.
            using var other = OpenImpatient();
            using var tx = other.BeginTransaction();
            other.Execute("INSERT INTO client_tags (client_id, name, value, plugin_id, updated_at) VALUES (3, 'vip', 'no', 'p', 'x')", transaction: tx);
            if (provider == DatabaseProvider.Postgres)
            {
                Assert.That(other.ExecuteScalar<bool>("SELECT pg_try_advisory_xact_lock(7280295)", transaction: tx), Is.True, "the directory's lock is free");
            }

            tx.Commit();
            wrote = true;
        });

        Assert.That(computedNow, Is.True);
        Assert.That(wrote, Is.True);
        Assert.That(Dump().Single(r => r.StartsWith("13|", StringComparison.Ordinal)), Does.Contain("|Сидоров|"));
    }

    [TestCase(false, TestName = "{m}(once)")]
    [TestCase(true, TestName = "{m}(at every attempt: computed under the lock at last)")]
    public void EnsureCurrent_WhenASyncLandsWhileTheRowsAreComputed_ComputesThemAgain(bool everyAttempt)
    {
        var today = DateOnly.FromDateTime(Now.DateTime);
        using var c = StaleByOneManager();
        var calls = 0;

        var computedNow = ClientDirectoryWriter.EnsureCurrent(_store, c, today, computed: () =>
        {
            calls++;
            if (everyAttempt || calls == 1)
            {
                using var other = _store.Open();
                Invoice(other, "main", "late" + calls, "4", 3, "2026-06-10", null, 10_000_000, 0);
                SyncRun(other);
            }
        });

        Assert.That(computedNow, Is.True);
        Assert.That(calls, Is.EqualTo(everyAttempt ? ClientDirectoryWriter.UnlockedAttempts : 2));
        Assert.That(ClientDirectoryWriter.EnsureCurrent(_store, c, today), Is.False, "current for the sync that landed");
        var kept = Dump();
        c.Execute("DELETE FROM client_directory_state");
        Assert.That(ClientDirectoryWriter.EnsureCurrent(_store, c, today), Is.True, "computed from scratch");
        Assert.That(kept, Is.EqualTo(Dump()));
        Assert.That(kept.Single(r => r.StartsWith("3|", StringComparison.Ordinal)), Does.Contain("|" + _revenue[3] + "|"));
        Assert.That(kept.Single(r => r.StartsWith("13|", StringComparison.Ordinal)), Does.Contain("|Сидоров|"));
    }

    [Test]
    public void EnsureCurrent_WhenAnotherReaderWroteTheRowsMeanwhile_WritesNothing()
    {
        var today = DateOnly.FromDateTime(Now.DateTime);
        using var c = StaleByOneManager(noteWrites: true);
        bool? inner = null;

        var computedNow = ClientDirectoryWriter.EnsureCurrent(_store, c, today, computed: () =>
        {
            using var other = _store.Open();
            inner = ClientDirectoryWriter.EnsureCurrent(_store, other, today);
        });

        Assert.That(computedNow, Is.False);
        Assert.That(inner, Is.True);
        Assert.That(c.Query<long>("SELECT client_id FROM directory_written"), Is.EquivalentTo(new long[] { 13 }), "written once");
    }

    /// <summary>The directory computed, then client 13's manager changed by a sync run; the connection that made the change.</summary>
    private System.Data.Common.DbConnection StaleByOneManager(bool noteWrites = false)
    {
        _directory.Refresh();
        var c = _store.Open();
        if (noteWrites)
        {
            NoteWrites(c);
        }

        c.Execute("UPDATE mirror_counterparties SET manager = 'Сидоров' WHERE ledger_id = 'x13'");
        SyncRun(c);
        return c;
    }

    /// <summary>A connection whose statements give up after a second's wait for a lock.</summary>
    private System.Data.Common.DbConnection OpenImpatient()
    {
        if (provider == DatabaseProvider.Sqlite)
        {
            var sqlite = new Microsoft.Data.Sqlite.SqliteConnection(new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(_store.ConnectionString) { DefaultTimeout = 1 }.ToString());
            sqlite.Open();
            return sqlite;
        }

        var connection = _store.Open();
        connection.Execute("SET lock_timeout = '1s'");
        return connection;
    }

    /// <summary>Notes every row written into <c>client_directory</c> (inserted or updated) in <c>directory_written</c>.</summary>
    private void NoteWrites(System.Data.Common.DbConnection c)
    {
        c.Execute("CREATE TABLE directory_written (client_id BIGINT NOT NULL)");
        if (provider == DatabaseProvider.Sqlite)
        {
            c.Execute("CREATE TRIGGER directory_written_i AFTER INSERT ON client_directory BEGIN INSERT INTO directory_written VALUES (new.client_id); END");
            c.Execute("CREATE TRIGGER directory_written_u AFTER UPDATE ON client_directory BEGIN INSERT INTO directory_written VALUES (new.client_id); END");
        }
        else
        {
            c.Execute("CREATE FUNCTION note_directory_written() RETURNS trigger AS $$ BEGIN INSERT INTO directory_written VALUES (NEW.client_id); RETURN NEW; END $$ LANGUAGE plpgsql");
            c.Execute("CREATE TRIGGER directory_written AFTER INSERT OR UPDATE ON client_directory FOR EACH ROW EXECUTE FUNCTION note_directory_written()");
        }
    }

    private static void SyncRun(System.Data.Common.DbConnection c) =>
        c.Execute("INSERT INTO sync_runs (ledger, kind, mode, started_at, finished_at, read_rows, inserted, changed, vanished, rejected) " +
            "VALUES ('main', 'invoices', 'full', 'x', 'x', 1, 1, 0, 0, 0)");

    /// <summary>Every row of the directory, every column, in client order.</summary>
    private List<string> Dump()
    {
        using var c = _store.Open();
        return c.Query("SELECT client_id, display_name, sort_name, manager, region, abc_class, list_rank, revenue, overdue, legal_entities, branches " +
            "FROM client_directory ORDER BY client_id")
            .Select(r => string.Join("|", ((IDictionary<string, object?>)r).Values.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture)))).ToList();
    }
}
