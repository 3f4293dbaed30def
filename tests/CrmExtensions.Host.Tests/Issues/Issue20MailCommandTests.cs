using CrmExtensions.Mail.Outbox;
using CrmExtensions.Store;
using CrmExtensions.Testing;

namespace CrmExtensions.Host.Tests.Issues;

/// <summary>Issue 20, item 4, as the user sees it: <c>crmx mail dispatch</c> stopped at the first marketing row.</summary>
public sealed class Issue20MailCommandTests
{
    [Test]
    public void MailDispatch_GreetingsWithoutUnsubscribeSettingsBeforeDunning_SendsTheDunningAndStatusListsTheHeldOnes()
    {
        using var folder = new TempDirectory();
        File.WriteAllText(Path.Combine(folder.Path, "crmx.json"), """
            { "store": { "provider": "sqlite", "connectionString": "Data Source=crm.db" },
              "mail": { "from": "crm@romashka.ru", "pickupDirectory": "outbox" } }
            """);
        var store = new CrmStore(Store.Providers.DatabaseProvider.Sqlite, "Data Source=" + Path.Combine(folder.Path, "crm.db"), TimeProvider.System);
        store.Migrate();
        var greetings = Enumerable.Range(1, 5).Select(i => new OutboxMessage($"birthday:{i}:2026", MailCategory.Marketing, "CrmExtensions.Plugins.Greetings",
            "greetings/birthday", $"person{i}@example.ru", "С днём рождения!", null, "Поздравляем!"));
        var dunning = Enumerable.Range(1, 529).Select(i => new OutboxMessage($"dunning:{i}:1", MailCategory.Transactional, "CrmExtensions.Plugins.Receivables",
            "receivables/reminder", $"debtor{i}@example.ru", "Напоминание об оплате", null, "Просим оплатить счёт."));
        new OutboxStore(store).EnqueueAsync([.. greetings, .. dunning], CancellationToken.None).GetAwaiter().GetResult();

        var dispatch = Crmx.Run(folder.Path, "mail", "dispatch", "--once");
        var status = Crmx.Run(folder.Path, "mail", "status");

        Assert.That(dispatch.ExitCode, Is.Zero, dispatch.Error);
        Assert.That(dispatch.Out, Does.Contain("529 sent").And.Contain("5 marketing held"));
        Assert.That(Directory.GetFiles(Path.Combine(folder.Path, "outbox"), "*.eml"), Has.Length.EqualTo(529));
        Assert.That(status.Out, Does.Match(@"held\s+5").And.Contain("mail:unsubscribe:baseUrl"));
    }
}
