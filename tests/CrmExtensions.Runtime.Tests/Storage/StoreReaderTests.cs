using CrmExtensions.Runtime.Storage;
using CrmExtensions.Sdk.Model;
using CrmExtensions.Store;
using CrmExtensions.Testing;
using Dapper;

namespace CrmExtensions.Runtime.Tests.Storage;

/// <summary>The plugins' view of client records, on the tables unification writes, on every provider.</summary>
[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.All))]
public sealed class StoreReaderTests(DatabaseProvider provider)
{
    /// <summary>Every field of an invoice a rule reads, for comparing two answers.</summary>
    private static string Describe(Invoice i) => FormattableString.Invariant(
        $"{i.Key} {i.Counterparty} {i.Number} {i.IssuedOn} {i.DueOn} {i.Amount} {i.SettledOn}");

    [Test]
    public async Task GetClientAsync_ClientWrittenByUnification_ReturnsItWithItsMembers()
    {
        using var database = TestDatabase.Create(provider);
        var store = new CrmStore(provider == DatabaseProvider.Postgres ? Store.Providers.DatabaseProvider.PostgreSql : Store.Providers.DatabaseProvider.Sqlite,
            database.ConnectionString, TimeProvider.System);
        store.Migrate();
        using (var connection = store.Open())
        {
            connection.Execute("""
                INSERT INTO clients (client_id, display_name, members, legal_entities, branches, created_at, updated_at) VALUES (42, 'ООО «Ромашка»', 2, 1, 1, 'x', 'x');
                INSERT INTO client_members (ledger, ledger_id, client_id, legal_entity, role) VALUES ('msk', '0001', 42, '7707083893', 'head');
                INSERT INTO client_members (ledger, ledger_id, client_id, legal_entity, role) VALUES ('spb', '0009', 42, '7707083893', 'branch');
                """);
        }

        var reader = new StoreReader(store);

        var byId = await reader.GetClientAsync("42", CancellationToken.None);
        var byMember = await reader.FindClientAsync(new LedgerKey("spb", "0009"), CancellationToken.None);
        var unknown = await reader.GetClientAsync("not-a-number", CancellationToken.None);

        Assert.That(byId, Is.Not.Null);
        Assert.That(byId!.ClientId, Is.EqualTo("42"));
        Assert.That(byId.Members.Select(m => (m.Counterparty, m.Role)), Is.EqualTo(new[]
        {
            (new LedgerKey("msk", "0001"), ClientMemberRole.Head), (new LedgerKey("spb", "0009"), ClientMemberRole.Branch),
        }));
        Assert.That(byMember?.ClientId, Is.EqualTo("42"));
        Assert.That(unknown, Is.Null);
    }

    [TestCase("2025-01-20", 10, new string[0])]
    [TestCase("2025-02-16", 10, new[] { "spb/2" })]
    [TestCase("2025-12-31", 10, new[] { "spb/2", "msk/4" })]
    [TestCase("2025-12-31", 1, new[] { "spb/2" })]
    public async Task GetUnsettledInvoicesDueBeforeAsync_ADay_ReturnsTheUnsettledOldestDueFirstAsTheObsoleteNameDoes(string day, int limit, string[] expected)
    {
        // StoreFactsTests' ledger: msk/1 and msk/3 are marked settled; spb/2 and msk/4 are not, whatever was paid.
        using var store = StoreFactsTests.Store(provider);
        ICrmReader reader = new StoreReader(store.Store);
        var dueBefore = DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture);

        var renamed = await reader.GetUnsettledInvoicesDueBeforeAsync(dueBefore, limit, CancellationToken.None);
#pragma warning disable CS0618 // the 1.0 name, as a plugin built against 1.0 or 1.1 calls it
        var old = await reader.GetOverdueInvoicesAsync(dueBefore, limit, CancellationToken.None);
#pragma warning restore CS0618

        Assert.That(renamed.Select(i => i.Key.ToString()), Is.EqualTo(expected));
        Assert.That(old.Select(Describe), Is.EqualTo(renamed.Select(Describe)));
    }
}
