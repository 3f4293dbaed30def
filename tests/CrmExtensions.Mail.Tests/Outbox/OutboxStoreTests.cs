using CrmExtensions.Mail.Outbox;
using CrmExtensions.Testing;
using Dapper;
using Microsoft.Extensions.Time.Testing;

namespace CrmExtensions.Mail.Tests.Outbox;

[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.All))]
public sealed class OutboxStoreTests(DatabaseProvider provider)
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    [Test]
    public async Task EnqueueAsync_SameKeysTwice_QueuesEachOnce()
    {
        using var database = TestDatabase.Create(provider);
        var outbox = new OutboxStore(TestStores.Create(database));
        var mails = Enumerable.Range(1, 1200).Select(i => TestStores.Mail($"campaign:1:{i}")).ToList();

        var first = await outbox.EnqueueAsync(mails, CancellationToken.None);
        var second = await outbox.EnqueueAsync(mails.Take(700).Append(TestStores.Mail("campaign:1:new")).ToList(), CancellationToken.None);

        Assert.That(first, Is.EqualTo(1200));
        Assert.That(second, Is.EqualTo(1));
        Assert.That((await outbox.CountByStatusAsync(null, CancellationToken.None))[OutboxStatus.Queued], Is.EqualTo(1201));
    }

    [Test]
    public async Task EnqueueAsync_MarketingToSuppressedAddressesAndClients_RecordsThemAndCountsOnlyTheQueued()
    {
        using var database = TestDatabase.Create(provider);
        var store = TestStores.Create(database);
        var suppressions = new CrmExtensions.Mail.Consent.SuppressionList(store);
        await suppressions.AddAsync("Stop@Example.com", null, "unsubscribed", null, CancellationToken.None);
        await suppressions.AddAsync("other@example.com", 42, "unsubscribed", null, CancellationToken.None);

        // Over two batches: every seventh mail to the suppressed address, every eleventh to the suppressed client, and
        // transactional mail to the suppressed address, which is sent all the same.
        var mails = Enumerable.Range(1, 1100).Select(i => TestStores.Mail($"campaign:3:{i}",
            i % 13 == 0 ? MailCategory.Transactional : MailCategory.Marketing,
            i % 7 == 0 || i % 13 == 0 ? " stop@example.com" : $"buyer{i}@example.com",
            i % 11 == 0 ? 42 : i)).ToList();
        bool Suppressed(int i) => i % 13 != 0 && (i % 7 == 0 || i % 11 == 0);

        var queued = await new OutboxStore(store).EnqueueAsync(mails, CancellationToken.None);
        var again = await new OutboxStore(store).EnqueueAsync(mails, CancellationToken.None);

        var expected = Enumerable.Range(1, 1100).Count(i => !Suppressed(i));
        Assert.That((queued, again), Is.EqualTo((expected, 0)));
        using var connection = store.Open();
        var statuses = connection.Query<(string Key, string Status)>("SELECT business_key, status FROM outbox ORDER BY id").ToList();
        Assert.That(statuses, Is.EqualTo(Enumerable.Range(1, 1100)
            .Select(i => ($"campaign:3:{i}", Suppressed(i) ? OutboxStatus.Suppressed : OutboxStatus.Queued)).ToList()));
    }

    [Test]
    public async Task EnqueueAsync_FromTwoProcessesAtOnce_InsertsEachKeyOnce()
    {
        using var database = TestDatabase.Create(provider);
        var store = TestStores.Create(database);
        var mails = Enumerable.Range(1, 800).Select(i => TestStores.Mail($"campaign:2:{i}")).ToList();

        var counts = await Task.WhenAll(new OutboxStore(store).EnqueueAsync(mails, CancellationToken.None), new OutboxStore(store).EnqueueAsync(mails, CancellationToken.None));

        Assert.That(counts.Sum(), Is.EqualTo(800));
        using var connection = store.Open();
        Assert.That(connection.ExecuteScalar<long>("SELECT COUNT(*) FROM outbox"), Is.EqualTo(800));
    }

    [Test]
    public async Task ClaimAsync_TwoOwnersAtOnce_TakeDisjointRows()
    {
        using var database = TestDatabase.Create(provider);
        var store = TestStores.Create(database);
        var outbox = new OutboxStore(store);
        await outbox.EnqueueAsync(Enumerable.Range(1, 300).Select(i => TestStores.Mail($"k:{i}")).ToList(), CancellationToken.None);
        var until = DateTimeOffset.UtcNow.AddMinutes(5);

        var claims = await Task.WhenAll(Enumerable.Range(0, 6).Select(async n =>
        {
            var taken = new List<long>();
            for (var i = 0; i < 10; i++)
            {
                taken.AddRange((await new OutboxStore(store).ClaimAsync($"owner{n}", 7, until, CancellationToken.None)).Select(r => r.Id));
            }

            return taken;
        }));

        var all = claims.SelectMany(c => c).ToList();
        Assert.That(all, Is.Unique);
        Assert.That(all, Has.Count.EqualTo(300));
    }

    [Test]
    public async Task RecoverExpiredAsync_LeaseExpired_RequeuesUnstartedAndMarksStartedUnknown()
    {
        using var database = TestDatabase.Create(provider);
        var time = new FakeTimeProvider(Start);
        var outbox = new OutboxStore(TestStores.Create(database, time));
        await outbox.EnqueueAsync([TestStores.Mail("a"), TestStores.Mail("b"), TestStores.Mail("c")], CancellationToken.None);
        var rows = await outbox.ClaimAsync("dead", 3, Start.AddMinutes(2), CancellationToken.None);
        Assert.That(outbox.MarkDataStarted(rows[1].Id, "dead"), Is.True);
        Assert.That(outbox.MarkDataStarted(rows[2].Id, "someone else"), Is.False);

        var early = await outbox.RecoverExpiredAsync(CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(3));
        var late = await outbox.RecoverExpiredAsync(CancellationToken.None);

        Assert.That(early, Is.EqualTo((0, 0)));
        Assert.That(late, Is.EqualTo((2, 1)));
        var unknown = await outbox.ListUnknownAsync(null, CancellationToken.None);
        Assert.That(unknown.Select(u => u.BusinessKey), Is.EqualTo(new[] { "b" }));
        Assert.That(unknown[0].LastError, Does.Contain("unknown"));
        var again = await outbox.ClaimAsync("next", 10, Start.AddMinutes(10), CancellationToken.None);
        Assert.That(again.Select(r => r.BusinessKey), Is.EqualTo(new[] { "a", "c" }));
    }

    [Test]
    public async Task RetryAsync_UnknownMail_IsQueuedAgainButSentMailIsNot()
    {
        using var database = TestDatabase.Create(provider);
        var outbox = new OutboxStore(TestStores.Create(database));
        await outbox.EnqueueAsync([TestStores.Mail("x"), TestStores.Mail("y")], CancellationToken.None);
        var rows = await outbox.ClaimAsync("me", 2, DateTimeOffset.UtcNow.AddMinutes(1), CancellationToken.None);
        await outbox.MarkEndedAsync(rows[0].Id, "me", OutboxStatus.Unknown, "dropped after DATA", null, CancellationToken.None);
        await outbox.MarkSentAsync(rows[1].Id, "me", "250 ok", "id@x", CancellationToken.None);

        await outbox.RetryAsync(rows[0].Id, CancellationToken.None);
        var refused = await Assert.ThrowsAsync<Store.CrmException>(() => outbox.RetryAsync(rows[1].Id, CancellationToken.None));
        var missing = await Assert.ThrowsAsync<Store.CrmException>(() => outbox.RetryAsync(999_999, CancellationToken.None));

        Assert.That(refused!.Message, Does.Contain("'sent'"));
        Assert.That(missing!.Message, Does.Contain("no mail 999999"));
        var again = await outbox.ClaimAsync("me", 5, DateTimeOffset.UtcNow.AddMinutes(1), CancellationToken.None);
        Assert.That(again.Select(r => r.BusinessKey), Is.EqualTo(new[] { "x" }));
    }

    [Test]
    public async Task ReleaseAsync_ClaimedRows_AreQueuedAgainExceptStarted()
    {
        using var database = TestDatabase.Create(provider);
        var outbox = new OutboxStore(TestStores.Create(database));
        await outbox.EnqueueAsync([TestStores.Mail("r1"), TestStores.Mail("r2")], CancellationToken.None);
        var rows = await outbox.ClaimAsync("me", 2, DateTimeOffset.UtcNow.AddMinutes(10), CancellationToken.None);
        outbox.MarkDataStarted(rows[0].Id, "me");

        var released = await outbox.ReleaseAsync("me", CancellationToken.None);

        Assert.That(released, Is.EqualTo(1));
        var counts = await outbox.CountByStatusAsync("campaign:test", CancellationToken.None);
        Assert.That(counts[OutboxStatus.Queued], Is.EqualTo(1));
        Assert.That(counts[OutboxStatus.Sending], Is.EqualTo(1));
    }

    [Test]
    public async Task ClaimAsync_RowInsertedByThePluginRuntime_IsClaimedAsTransactionalText()
    {
        using var database = TestDatabase.Create(provider);
        var store = TestStores.Create(database);
        using (var connection = store.Open())
        {
            // The plugin runtime's insert, with the migration 3 columns only.
            connection.Execute(
                "INSERT INTO outbox (business_key, plugin_id, template, to_address, subject, body, status, created_at) " +
                "VALUES ('dunning:msk/7:1', 'Acme.Dunning', 'dunning/level1', 'a@b.ru', 'Счёт 7', 'Оплатите, пожалуйста', 'queued', '2026-03-01T00:00:00.000Z')");
        }

        var rows = await new OutboxStore(store).ClaimAsync("me", 5, DateTimeOffset.UtcNow.AddMinutes(1), CancellationToken.None);

        Assert.That(rows, Has.Count.EqualTo(1));
        Assert.That(rows[0].Body, Is.EqualTo("Оплатите, пожалуйста"));
        Assert.That(rows[0].Source, Is.EqualTo("Acme.Dunning"));
        Assert.That(rows[0].IsMarketing, Is.False);
    }
}
