using CrmExtensions.Mail.Consent;
using CrmExtensions.Mail.Delivery;
using CrmExtensions.Mail.Outbox;
using CrmExtensions.Store;
using CrmExtensions.Testing;
using Dapper;

namespace CrmExtensions.Mail.Tests.Issues;

/// <summary>Issue 20, items 3 and 4: one bad row stopped all mail.</summary>
[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.All))]
public sealed class Issue20MailTests(DatabaseProvider provider)
{
    private static readonly string[] Poisoned =
    [
        "not an address", "a@b@c.example", "x1@example.com, evil1@attacker.example", "<x3@example.com>",
        "x4@example.com\r\nBcc: evil4@attacker.example", "x5@exa\nmple.com", "Name <x6@example.com>", "x7@", "@x8.example", "x9 @example.com",
    ];

    private TestDatabase? _database;
    private TempDirectory? _pickup;
    private CrmStore _store = null!;

    [SetUp]
    public void SetUp()
    {
        _database = TestDatabase.Create(provider);
        _pickup = new TempDirectory();
        _store = TestStores.Create(_database);
    }

    [TearDown]
    public void TearDown()
    {
        // Null when SetUp ignored the test (no PostgreSQL outside CI): the ignore must stay an ignore, not a failure.
        _pickup?.Dispose();
        _database?.Dispose();
    }

    private DispatchOptions Options(bool unsubscribe) => new()
    {
        From = "CRM <crm@romashka.ru>",
        PickupDirectory = _pickup!.Path,
        Unsubscribe = unsubscribe ? new UnsubscribeLinks("https://crm.romashka.ru/", "test-secret-0123456789abcdef", TimeProvider.System) : null,
        PollInterval = TimeSpan.FromMilliseconds(20),
        BatchSize = 100,
    };

    private Dictionary<string, (string Status, string? Error)> Rows()
    {
        using var connection = _store.Open();
        return connection.Query<(string Key, string Status, string? Error)>("SELECT business_key, status, last_error FROM outbox")
            .ToDictionary(r => r.Key, r => (r.Status, r.Error));
    }

    [Test]
    public async Task RunAsync_TenMalformedAddressesAmongAThousand_EachFailsAloneWithItsReasonAndTheRestIsSent()
    {
        var mails = new List<OutboxMessage>();
        for (var i = 0; i < 1_000; i++)
        {
            if (i % 100 == 50)
            {
                mails.Add(TestStores.Mail($"dunning:bad:{i / 100}", to: Poisoned[i / 100]));
            }

            mails.Add(TestStores.Mail($"dunning:good:{i}", to: $"client{i}@example.com"));
        }

        await new OutboxStore(_store).EnqueueAsync(mails, CancellationToken.None);

        var summary = await new MailDispatcher(_store, Options(unsubscribe: true)).RunAsync(once: true, CancellationToken.None);

        var rows = Rows();
        Assert.That(summary.Sent, Is.EqualTo(1_000));
        Assert.That(summary.Failed, Is.EqualTo(10));
        Assert.That(Directory.GetFiles(_pickup!.Path, "*.eml"), Has.Length.EqualTo(1_000));
        Assert.That(rows.Values.Count(r => r.Status == OutboxStatus.Sent), Is.EqualTo(1_000));
        Assert.That(rows.Values.Select(r => r.Status), Has.None.EqualTo(OutboxStatus.Sending));
        for (var b = 0; b < Poisoned.Length; b++)
        {
            var (status, error) = rows[$"dunning:bad:{b}"];
            Assert.That(status, Is.EqualTo(OutboxStatus.Failed), Poisoned[b]);
            Assert.That(error, Does.Contain("recipient address"), Poisoned[b]);
        }

        Assert.That(Directory.GetFiles(_pickup.Path).Select(File.ReadAllText), Has.None.Contains("attacker"));
    }

    [Test]
    public async Task RunAsync_MarketingWithoutUnsubscribeSettingsBeforeTransactional_IsHeldWithItsReasonAndTheRestIsSent()
    {
        var mails = Enumerable.Range(1, 3).Select(i => TestStores.Mail($"birthday:{i}:2026", MailCategory.Marketing, to: $"person{i}@example.com"))
            .Concat(Enumerable.Range(1, 529).Select(i => TestStores.Mail($"dunning:{i}:1", to: $"debtor{i}@example.com")))
            .ToList();
        var outbox = new OutboxStore(_store);
        await outbox.EnqueueAsync(mails, CancellationToken.None);

        var summary = await new MailDispatcher(_store, Options(unsubscribe: false)).RunAsync(once: true, CancellationToken.None);

        var rows = Rows();
        Assert.That(summary.Sent, Is.EqualTo(529));
        Assert.That(rows.Where(r => r.Key.StartsWith("birthday:", StringComparison.Ordinal)).Select(r => r.Value),
            Has.All.Matches<(string Status, string? Error)>(r => r.Status == OutboxStatus.Held && r.Error!.Contains("mail:unsubscribe:baseUrl", StringComparison.Ordinal)));
        Assert.That((await outbox.CountByStatusAsync(null, CancellationToken.None))[OutboxStatus.Held], Is.EqualTo(3));

        var later = await new MailDispatcher(_store, Options(unsubscribe: true)).RunAsync(once: true, CancellationToken.None);

        Assert.That(later.Sent, Is.EqualTo(3), "once the settings are there, held marketing mail goes");
        Assert.That(Rows().Values.Select(r => r.Status), Has.All.EqualTo(OutboxStatus.Sent));
    }
}
