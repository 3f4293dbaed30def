using CrmExtensions.Mail.Consent;
using CrmExtensions.Mail.Delivery;
using CrmExtensions.Mail.Outbox;
using CrmExtensions.Store;
using CrmExtensions.Testing;
using Dapper;
using Microsoft.Extensions.Time.Testing;

namespace CrmExtensions.Mail.Tests.Delivery;

/// <summary>The dispatcher against a real SMTP server on loopback (postfix's smtp-sink), well-behaved or not.</summary>
public sealed class MailDispatcherTests
{
    private const string Secret = "test-secret-0123456789abcdef";

    private static DispatchOptions Options(TestSmtpServer server, int maxAttempts = 5) => new()
    {
        From = "CRM <crm@romashka.ru>",
        Smtp = new SmtpSettings { Host = server.Host, Port = server.Port, MaxAttempts = maxAttempts },
        Unsubscribe = new UnsubscribeLinks("https://crm.romashka.ru/", Secret, TimeProvider.System),
        PollInterval = TimeSpan.FromMilliseconds(50),
    };

    private static (string Status, string? Response, string? Error, long Attempts) Row(CrmStore store, string key)
    {
        using var connection = store.Open();
        return connection.QuerySingle<(string, string?, string?, long)>(
            "SELECT status, server_response, last_error, attempts FROM outbox WHERE business_key = @key", new { key });
    }

    private static MimeKit.MimeMessage Parse(string dumped)
    {
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(dumped));
        return MimeKit.MimeMessage.Load(stream);
    }

    [Test]
    public async Task RunAsync_ManyMails_EachArrivesOnceAndTheServerResponseIsKept()
    {
        using var server = TestSmtpServer.Start();
        using var database = TestDatabase.Create(DatabaseProvider.Sqlite);
        var store = TestStores.Create(database);
        await new OutboxStore(store).EnqueueAsync(Enumerable.Range(1, 120).Select(i => TestStores.Mail($"campaign:9:{i}")).ToList(), CancellationToken.None);

        var summary = await new MailDispatcher(store, Options(server)).RunAsync(once: true, CancellationToken.None);

        Assert.That(summary.Sent, Is.EqualTo(120));
        Assert.That(server.ReceivedKeys("campaign:9:"), Is.Unique.And.Count.EqualTo(120));
        var row = Row(store, "campaign:9:5");
        Assert.That(row.Status, Is.EqualTo(OutboxStatus.Sent));
        Assert.That(row.Response, Does.StartWith("250 2.0.0"));
        var mail = server.ReceivedMails("campaign:9:120").Single();
        Assert.That(mail, Does.Contain("Message-Id: <crmx.").And.Contain("@romashka.ru>"));
        Assert.That(mail, Does.Contain("multipart/alternative"));
    }

    [Test]
    public async Task RunAsync_Marketing_CarriesSignedOneClickUnsubscribeAndTransactionalDoesNot()
    {
        using var server = TestSmtpServer.Start();
        using var database = TestDatabase.Create(DatabaseProvider.Sqlite);
        var store = TestStores.Create(database);
        await new OutboxStore(store).EnqueueAsync(
            [TestStores.Mail("promo:1", MailCategory.Marketing, clientId: 42), TestStores.Mail("dunning:1", MailCategory.Transactional)], CancellationToken.None);

        await new MailDispatcher(store, Options(server)).RunAsync(once: true, CancellationToken.None);

        var promo = Parse(server.ReceivedMails("promo:1").Single());
        var dunning = Parse(server.ReceivedMails("dunning:1").Single());
        Assert.That(promo.Headers["List-Unsubscribe"], Does.StartWith("<https://crm.romashka.ru/unsubscribe?t=").And.EndWith(", <mailto:crm@romashka.ru?subject=unsubscribe>"));
        Assert.That(promo.Headers["List-Unsubscribe-Post"], Is.EqualTo("List-Unsubscribe=One-Click"));
        Assert.That(dunning.Headers.Contains("List-Unsubscribe"), Is.False);
        var token = promo.Headers["List-Unsubscribe"].Split("?t=")[1].Split('>')[0];
        var request = new UnsubscribeLinks("https://crm.romashka.ru", Secret, TimeProvider.System).Verify(token);
        Assert.That(request.Address, Is.EqualTo("buh@romashka.ru"));
        Assert.That(request.ClientId, Is.EqualTo(42));
    }

    [Test]
    public async Task RunAsync_PluginMailWithItsTextInBodyAlone_ArrivesWithThatTextAsItsPlainBody()
    {
        using var server = TestSmtpServer.Start();
        using var database = TestDatabase.Create(DatabaseProvider.Sqlite);
        var store = TestStores.Create(database);
        using (var connection = store.Open())
        {
            // As the plugin runtime stores a rule's mail: rendered text in body, no text_body or html_body.
            connection.Execute("""
                INSERT INTO outbox (business_key, plugin_id, template, to_address, subject, body, status, created_at, category, source, attempts, next_attempt_at, updated_at)
                VALUES ('dunning:main/7:1', 'CrmExtensions.Receivables', 'dunning-1', 'buh@romashka.ru', 'Счёт № 7 просрочен', @body, 'queued',
                        '2025-03-03T09:00:00.000Z', 'transactional', 'CrmExtensions.Receivables', 0, '2025-03-03T09:00:00.000Z', '2025-03-03T09:00:00.000Z')
                """, new { body = "Добрый день!\nСчёт № 7 на 1 000,00 ₽ просрочен.\n" });
        }

        var summary = await new MailDispatcher(store, Options(server)).RunAsync(once: true, CancellationToken.None);

        Assert.That(summary.Sent, Is.EqualTo(1));
        var mail = Parse(server.ReceivedMails("dunning:main/7:1").Single());
        // The dumped message ends its text part with the line break SMTP's end of data adds.
        Assert.That(mail.TextBody?.TrimEnd('\n'), Is.EqualTo("Добрый день!\nСчёт № 7 на 1 000,00 ₽ просрочен."));
        Assert.That(mail.HtmlBody, Is.Null);
    }

    [Test]
    public async Task RunAsync_AddressSuppressedAfterQueueing_MarketingIsSkippedTransactionalStillGoes()
    {
        using var server = TestSmtpServer.Start();
        using var database = TestDatabase.Create(DatabaseProvider.Sqlite);
        var store = TestStores.Create(database);
        await new OutboxStore(store).EnqueueAsync(
            [TestStores.Mail("promo:2", MailCategory.Marketing), TestStores.Mail("dunning:2", MailCategory.Transactional)], CancellationToken.None);
        await new SuppressionList(store).AddAsync("BUH@romashka.ru ", null, "manual", "test", CancellationToken.None);

        var summary = await new MailDispatcher(store, Options(server)).RunAsync(once: true, CancellationToken.None);

        Assert.That(summary.Suppressed, Is.EqualTo(1));
        Assert.That(server.ReceivedKeys("promo:2"), Is.Empty);
        Assert.That(server.ReceivedKeys("dunning:2"), Has.Count.EqualTo(1));
        Assert.That(Row(store, "promo:2").Status, Is.EqualTo(OutboxStatus.Suppressed));
    }

    [Test]
    public async Task RunAsync_RecipientRefusedFor5xx_FailsWithTheServersResponse()
    {
        using var server = TestSmtpServer.Start("-f", "RCPT");
        using var database = TestDatabase.Create(DatabaseProvider.Sqlite);
        var store = TestStores.Create(database);
        await new OutboxStore(store).EnqueueAsync([TestStores.Mail("hard:1")], CancellationToken.None);

        var summary = await new MailDispatcher(store, Options(server)).RunAsync(once: true, CancellationToken.None);

        Assert.That(summary.Failed, Is.EqualTo(1));
        var row = Row(store, "hard:1");
        Assert.That(row.Status, Is.EqualTo(OutboxStatus.Failed));
        Assert.That(row.Response, Does.StartWith("5"));
    }

    [Test]
    public async Task RunAsync_RecipientRefusedFor4xx_IsRetriedWithBackoffThenFails()
    {
        using var server = TestSmtpServer.Start("-r", "RCPT");
        using var database = TestDatabase.Create(DatabaseProvider.Sqlite);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var store = TestStores.Create(database, time);
        await new OutboxStore(store).EnqueueAsync([TestStores.Mail("soft:1")], CancellationToken.None);
        var dispatcher = new MailDispatcher(store, Options(server, maxAttempts: 3));

        var first = await dispatcher.DispatchDueAsync(CancellationToken.None);
        var tooEarly = await dispatcher.DispatchDueAsync(CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(31));
        var second = await dispatcher.DispatchDueAsync(CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(31));
        var notYet = await dispatcher.DispatchDueAsync(CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(30));
        var third = await dispatcher.DispatchDueAsync(CancellationToken.None);

        Assert.That((first.Retried, tooEarly.Total, second.Retried, notYet.Total, third.Failed), Is.EqualTo((1, 0, 1, 0, 1)));
        var row = Row(store, "soft:1");
        Assert.That(row.Status, Is.EqualTo(OutboxStatus.Failed));
        Assert.That(row.Attempts, Is.EqualTo(3));
        Assert.That(row.Response, Does.StartWith("4"));
    }

    [Test]
    public async Task RunAsync_ConnectionDroppedAfterData_MarksUnknownAndNeverResends()
    {
        using var server = TestSmtpServer.Start("-q", ".");
        using var database = TestDatabase.Create(DatabaseProvider.Sqlite);
        var store = TestStores.Create(database);
        var outbox = new OutboxStore(store);
        await outbox.EnqueueAsync([TestStores.Mail("drop:1"), TestStores.Mail("drop:2")], CancellationToken.None);

        var summary = await new MailDispatcher(store, Options(server)).RunAsync(once: true, CancellationToken.None);
        var again = await new MailDispatcher(store, Options(server)).RunAsync(once: true, CancellationToken.None);

        Assert.That(summary.Unknown, Is.EqualTo(2));
        Assert.That(again.Total, Is.Zero);
        Assert.That((await outbox.ListUnknownAsync(null, CancellationToken.None)).Select(u => u.BusinessKey), Is.EqualTo(new[] { "drop:1", "drop:2" }));
    }

    [Test]
    public async Task RunAsync_ConnectionDroppedBeforeData_IsRetriedLater()
    {
        using var server = TestSmtpServer.Start("-q", "RCPT");
        using var database = TestDatabase.Create(DatabaseProvider.Sqlite);
        var store = TestStores.Create(database);
        await new OutboxStore(store).EnqueueAsync([TestStores.Mail("early:1")], CancellationToken.None);

        var summary = await new MailDispatcher(store, Options(server)).DispatchDueAsync(CancellationToken.None);

        Assert.That(summary.Retried, Is.EqualTo(1));
        Assert.That(Row(store, "early:1").Status, Is.EqualTo(OutboxStatus.Queued));
    }

    [Test]
    public async Task RunAsync_NoServerListening_IsRetriedLater()
    {
        using var database = TestDatabase.Create(DatabaseProvider.Sqlite);
        var store = TestStores.Create(database);
        await new OutboxStore(store).EnqueueAsync([TestStores.Mail("down:1")], CancellationToken.None);
        var options = new DispatchOptions { From = "crm@romashka.ru", Smtp = new SmtpSettings { Host = "127.0.0.1", Port = 1 } };

        var summary = await new MailDispatcher(store, options).DispatchDueAsync(CancellationToken.None);

        Assert.That(summary.Retried, Is.EqualTo(1));
        Assert.That(Row(store, "down:1").Error, Does.Contain("Cannot connect"));
    }

    [Test]
    public async Task RunAsync_Pickup_WritesOneEmlPerRowNamedById()
    {
        using var folder = new TempDirectory();
        using var database = TestDatabase.Create(DatabaseProvider.Sqlite);
        var store = TestStores.Create(database);
        await new OutboxStore(store).EnqueueAsync([TestStores.Mail("p:1"), TestStores.Mail("p:2")], CancellationToken.None);
        var options = new DispatchOptions { From = "crm@romashka.ru", PickupDirectory = folder.Path };

        var summary = await new MailDispatcher(store, options).RunAsync(once: true, CancellationToken.None);

        Assert.That(summary.Sent, Is.EqualTo(2));
        var files = Directory.GetFiles(folder.Path).Select(Path.GetFileName).Order().ToList();
        Assert.That(files, Is.EqualTo(new[] { "1.eml", "2.eml" }));
        Assert.That(File.ReadAllText(Path.Combine(folder.Path, "2.eml")), Does.Contain("X-Crmx-Key: p:2"));
    }
}
