using CrmExtensions.Mail.Consent;
using CrmExtensions.Mail.Outbox;
using CrmExtensions.Store;
using CrmExtensions.Testing;

namespace CrmExtensions.Mail.Tests.Consent;

[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.All))]
public sealed class SuppressionListTests(DatabaseProvider provider)
{
    [Test]
    public async Task EnqueueAsync_SuppressedAddressOrClient_MarketingRecordedAsSuppressedTransactionalQueued()
    {
        using var database = TestDatabase.Create(provider);
        var store = TestStores.Create(database);
        var list = new SuppressionList(store);
        await list.AddAsync("Buh@Romashka.ru", null, "unsubscribe", "campaign:1", CancellationToken.None);
        await list.AddAsync("boss@lilia.ru", 77, "unsubscribe", "campaign:1", CancellationToken.None);
        var outbox = new OutboxStore(store);

        var queued = await outbox.EnqueueAsync(
        [
            TestStores.Mail("campaign:2:1", MailCategory.Marketing, to: "buh@romashka.ru"),
            TestStores.Mail("campaign:2:77", MailCategory.Marketing, to: "another@lilia.ru", clientId: 77),
            TestStores.Mail("campaign:2:3", MailCategory.Marketing, to: "ok@vasilek.ru", clientId: 3),
            TestStores.Mail("dunning:9:1", MailCategory.Transactional, to: "buh@romashka.ru"),
        ], CancellationToken.None);

        Assert.That(queued, Is.EqualTo(2));
        var counts = await outbox.CountByStatusAsync(null, CancellationToken.None);
        Assert.That(counts[OutboxStatus.Suppressed], Is.EqualTo(2));
        Assert.That(counts[OutboxStatus.Queued], Is.EqualTo(2));
    }

    [Test]
    public async Task AddAsync_SameAddressTwice_KeepsOneRowAndTheFirstDate()
    {
        using var database = TestDatabase.Create(provider);
        var list = new SuppressionList(TestStores.Create(database));

        await list.AddAsync("a@b.ru", null, "manual", "оператор", CancellationToken.None);
        var first = (await list.ListAsync(CancellationToken.None)).Single();
        await list.AddAsync(" A@B.RU", 5, "unsubscribe", "campaign:4", CancellationToken.None);
        var all = await list.ListAsync(CancellationToken.None);

        Assert.That(all, Has.Count.EqualTo(1));
        Assert.That((all[0].Address, all[0].ClientId, all[0].Reason, all[0].CreatedAt), Is.EqualTo(("a@b.ru", 5L, "unsubscribe", first.CreatedAt)));
    }

    [Test]
    public async Task AddAsync_NotAnAddress_IsRefused()
    {
        using var database = TestDatabase.Create(provider);
        var list = new SuppressionList(TestStores.Create(database));

        await Assert.ThrowsAsync<CrmException>(() => list.AddAsync("nobody", null, "manual", null, CancellationToken.None));
    }
}
