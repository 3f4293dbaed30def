using System.Text.Json.Nodes;
using CrmExtensions.Mail.Consent;
using CrmExtensions.Mail.Outbox;
using CrmExtensions.Store;
using CrmExtensions.Testing;
using Dapper;

namespace CrmExtensions.Host.Tests.Commands;

/// <summary><c>crmx mail</c> in-process on a workspace with an SQLite store, and as real processes against a real SMTP server.</summary>
public sealed class MailCommandTests
{
    private const string Secret = "unsubscribe-secret-for-tests-0123456789";

    /// <summary>A workspace with no ledgers: a store and a mail section.</summary>
    private static CrmStore Workspace(string folder, TestSmtpServer? smtp, TestDatabase? postgres = null, int messagesPerMinute = 0)
    {
        var config = new JsonObject
        {
            ["store"] = postgres is null
                ? new JsonObject { ["provider"] = "sqlite", ["connectionString"] = "Data Source=crm.db" }
                : new JsonObject { ["provider"] = "postgres", ["connectionString"] = postgres.ConnectionString },
            ["mail"] = new JsonObject
            {
                ["from"] = "CRM Ромашка <crm@romashka.ru>",
                ["pickupDirectory"] = "outbox",
                ["smtp"] = smtp is null ? null : new JsonObject { ["host"] = smtp.Host, ["port"] = smtp.Port, ["messagesPerMinute"] = messagesPerMinute },
                ["unsubscribe"] = new JsonObject { ["baseUrl"] = "https://crm.romashka.ru", ["secret"] = Secret },
            },
        };
        File.WriteAllText(Path.Combine(folder, "crmx.json"), config.ToJsonString());
        var store = postgres is null
            ? new CrmStore(Store.Providers.DatabaseProvider.Sqlite, "Data Source=" + Path.Combine(folder, "crm.db"), TimeProvider.System)
            : new CrmStore(Store.Providers.DatabaseProvider.PostgreSql, postgres.ConnectionString, TimeProvider.System);
        store.Migrate();
        return store;
    }

    private static List<OutboxMessage> Campaign(string prefix, int count) => Enumerable.Range(1, count).Select(i => new OutboxMessage(
        $"{prefix}{i}", i % 2 == 0 ? MailCategory.Marketing : MailCategory.Transactional, "campaign:spring", "spring/letter",
        $"client{i}@example.ru", $"Весеннее предложение №{i}", $"<p>Здравствуйте, клиент {i}!</p>", $"Здравствуйте, клиент {i}!") { ClientId = i }).ToList();

    private static Dictionary<string, string> Statuses(CrmStore store, string prefix)
    {
        using var connection = store.Open();
        return connection.Query<(string Key, string Status)>("SELECT business_key, status FROM outbox WHERE business_key LIKE @p", new { p = prefix + "%" })
            .ToDictionary(r => r.Key, r => r.Status);
    }

    [Test]
    public void Unsubscribe_LinkFromAMail_SuppressesTheClientsLaterCampaigns()
    {
        using var folder = new TempDirectory();
        var store = Workspace(folder.Path, null);
        var link = new UnsubscribeLinks("https://crm.romashka.ru", Secret, TimeProvider.System).Link("client2@example.ru", 2);

        var unsubscribe = Crmx.Run(folder.Path, "mail", "unsubscribe", link);
        var queued = new OutboxStore(store).EnqueueAsync(Campaign("later:", 4), CancellationToken.None).GetAwaiter().GetResult();
        var dispatch = Crmx.Run(folder.Path, "mail", "dispatch", "--once");
        var list = Crmx.Run(folder.Path, "mail", "suppressions");

        Assert.That(unsubscribe.ExitCode, Is.Zero, unsubscribe.Error);
        Assert.That(unsubscribe.Out, Does.Contain("client2@example.ru is unsubscribed (client 2)"));
        Assert.That(queued, Is.EqualTo(3));
        Assert.That(dispatch.Out, Does.StartWith("3 sent"));
        Assert.That(Statuses(store, "later:")["later:2"], Is.EqualTo(OutboxStatus.Suppressed));
        Assert.That(File.Exists(Path.Combine(folder.Path, "outbox", "2.eml")), Is.False);
        Assert.That(list.Out, Does.Contain("client2@example.ru  unsubscribe  client 2"));
    }

    [Test]
    public void Unsubscribe_ForgedLink_IsRejectedAndChangesNothing()
    {
        using var folder = new TempDirectory();
        var store = Workspace(folder.Path, null);
        var forged = new UnsubscribeLinks("https://crm.romashka.ru", "a-secret-the-attacker-guessed", TimeProvider.System).Link("victim@example.ru", 9);

        var result = Crmx.Run(folder.Path, "mail", "unsubscribe", forged);

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Error, Does.Contain("not valid").And.Contain("Nothing was changed"));
        Assert.That(new SuppressionList(store).ListAsync(CancellationToken.None).GetAwaiter().GetResult(), Is.Empty);
    }

    [Test]
    public void Suppress_Address_StopsMarketingButNotDunning()
    {
        using var folder = new TempDirectory();
        var store = Workspace(folder.Path, null);

        var suppress = Crmx.Run(folder.Path, "mail", "suppress", "Client1@Example.ru", "--note", "просил не писать");
        new OutboxStore(store).EnqueueAsync(
        [
            new OutboxMessage("dunning:1", MailCategory.Transactional, "Acme.Dunning", "dunning/level1", "client1@example.ru", "Счёт", null, "Оплатите"),
            new OutboxMessage("promo:1", MailCategory.Marketing, "campaign:1", "promo", "client1@example.ru", "Акция", null, "Скидки"),
        ], CancellationToken.None).GetAwaiter().GetResult();
        var status = Crmx.Run(folder.Path, "mail", "status");

        Assert.That(suppress.ExitCode, Is.Zero, suppress.Error);
        Assert.That(status.Out, Does.Contain("queued               1").And.Contain("suppressed           1"));
    }

    [Test]
    public void Retry_SentMail_IsRefusedWithTheReason()
    {
        using var folder = new TempDirectory();
        var store = Workspace(folder.Path, null);
        new OutboxStore(store).EnqueueAsync(Campaign("r:", 1), CancellationToken.None).GetAwaiter().GetResult();
        Crmx.Run(folder.Path, "mail", "dispatch", "--once");

        var retry = Crmx.Run(folder.Path, "mail", "retry", "1");

        Assert.That(retry.ExitCode, Is.EqualTo(1));
        Assert.That(retry.Error, Does.Contain("Mail 1 is 'sent'"));
    }

    [Test]
    public void Dispatch_Help_ExplainsUnknown()
    {
        var help = Crmx.Run(Path.GetTempPath(), "mail", "dispatch", "--help");

        Assert.That(help.ExitCode, Is.Zero);
        Assert.That(help.Out, Does.Contain("--once").And.Contain("unknown"));
    }

    [Test]
    public void Dispatch_Sigterm_FinishesTheMailInFlightAndGivesBackUnstartedClaims()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Ignore("SIGTERM is a POSIX signal.");
        }

        using var server = TestSmtpServer.Start();
        using var folder = new TempDirectory();
        var store = Workspace(folder.Path, server, messagesPerMinute: 600);
        new OutboxStore(store).EnqueueAsync(Campaign("term:", 200), CancellationToken.None).GetAwaiter().GetResult();

        var process = CrmxProcess.Start(folder.Path, "mail", "dispatch");
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (server.DumpedCount() < 5 && !process.HasExited && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(20);
        }

        using (var kill = System.Diagnostics.Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            kill.WaitForExit();
        }

        var result = CrmxProcess.Finish(process, TimeSpan.FromSeconds(30));

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        var statuses = Statuses(store, "term:").Values.GroupBy(v => v).ToDictionary(g => g.Key, g => g.Count());
        Assert.That(statuses.Keys, Is.SubsetOf(new[] { OutboxStatus.Sent, OutboxStatus.Queued }), "nothing left claimed or unknown");
        Assert.That(statuses[OutboxStatus.Sent], Is.EqualTo(server.ReceivedKeys("term:").Count).And.LessThan(200));
        Assert.That(result.Out, Does.StartWith($"{statuses[OutboxStatus.Sent]} sent"));
    }

    [Test]
    public void Dispatch_KilledPartWayAndRestarted_EachRecipientGetsOneMailExceptListedUnknowns()
    {
        // A server of its own: other tests' mail in a shared dump would blur the counts this test stops and checks by.
        using var server = TestSmtpServer.Start();
        using var folder = new TempDirectory();
        var store = Workspace(folder.Path, server);
        var prefix = $"kill:{Guid.NewGuid():N}:";
        Assert.That(new OutboxStore(store).EnqueueAsync(Campaign(prefix, 5000), CancellationToken.None).GetAwaiter().GetResult(), Is.EqualTo(5000));

        var first = CrmxProcess.Start(folder.Path, "mail", "dispatch", "--once", "--lease", "3", "--batch", "20");
        var deadline = DateTime.UtcNow.AddMinutes(2);
        // Waits on the keys the server has written, not on its files: a file appears before its headers are in it.
        while (server.ReceivedKeys(prefix).Count < 1000 && !first.HasExited && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(50);
        }

        first.Kill();
        first.WaitForExit();
        var atKill = server.ReceivedKeys(prefix).Count;
        var second = CrmxProcess.Finish(CrmxProcess.Start(folder.Path, "mail", "dispatch", "--once", "--lease", "3"), TimeSpan.FromMinutes(3));
        var unknownList = Crmx.Run(folder.Path, "mail", "status", "--unknown");

        Assert.That(atKill, Is.InRange(1000, 4900), "the first dispatcher was killed part-way");
        Assert.That(second.ExitCode, Is.Zero, second.Error);
        var received = server.ReceivedKeys(prefix).GroupBy(k => k).ToDictionary(g => g.Key, g => g.Count());
        var statuses = Statuses(store, prefix);
        var unknown = statuses.Where(s => s.Value == OutboxStatus.Unknown).Select(s => s.Key).ToList();
        Assert.That(unknown, Has.Count.LessThanOrEqualTo(1), "only the mail in flight at the kill can be unknown");
        Assert.That(statuses.Values.Where(v => v != OutboxStatus.Unknown), Has.All.EqualTo(OutboxStatus.Sent));
        foreach (var key in statuses.Keys.Except(unknown))
        {
            Assert.That(received.GetValueOrDefault(key), Is.EqualTo(1), key);
        }

        Assert.That(unknown.Select(k => received.GetValueOrDefault(k)), Has.All.LessThanOrEqualTo(1));
        Assert.That(unknownList.Out, Does.StartWith($"{unknown.Count} {(unknown.Count == 1 ? "mail" : "mails")} with unknown delivery"));
        foreach (var key in unknown)
        {
            Assert.That(unknownList.Out, Does.Contain(key));
        }
    }

    [Test]
    public void Dispatch_TwoProcessesOnOnePostgresStore_SendEachMailOnce()
    {
        // A server of its own: other tests' mail in a shared dump would blur the counts this test stops and checks by.
        using var server = TestSmtpServer.Start();
        using var database = TestDatabase.Create(DatabaseProvider.Postgres);
        using var folder = new TempDirectory();
        var store = Workspace(folder.Path, server, database);
        var prefix = $"pair:{Guid.NewGuid():N}:";
        new OutboxStore(store).EnqueueAsync(Campaign(prefix, 5000), CancellationToken.None).GetAwaiter().GetResult();

        var processes = new[] { CrmxProcess.Start(folder.Path, "mail", "dispatch", "--once"), CrmxProcess.Start(folder.Path, "mail", "dispatch", "--once") };
        var results = processes.Select(p => CrmxProcess.Finish(p, TimeSpan.FromMinutes(3))).ToList();

        Assert.That(results.Select(r => r.ExitCode), Has.All.Zero, string.Join("\n", results.Select(r => r.Error)));
        var sentBy = results.Select(r => int.Parse(r.Out.Split(' ')[0].Replace(",", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.That(sentBy.Sum(), Is.EqualTo(5000));
        Assert.That(sentBy, Has.All.GreaterThan(0), "both dispatchers took a share");
        var received = server.ReceivedKeys(prefix);
        Assert.That(received, Has.Count.EqualTo(5000));
        Assert.That(received, Is.Unique);
        Assert.That(Statuses(store, prefix).Values, Has.All.EqualTo(OutboxStatus.Sent));
    }
}
