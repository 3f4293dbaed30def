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

    [Test]
    public void AttachCheck_MailSettingsWrong_NamesEachSettingBeforeAnythingIsQueued()
    {
        using var folder = new TempDirectory();
        File.WriteAllText(Path.Combine(folder.Path, "crmx.json"), """
            { "ledgers": [ { "name": "main", "provider": "sqlite", "connectionString": "Data Source=ledger.db", "mapping": "ledger.map.json" } ],
              "store": { "provider": "sqlite", "connectionString": "Data Source=crm.db" },
              "mail": { "from": "CRM <crm@romashka.ru>", "smtp": { "host": "smtp.romashka.ru", "security": "startls" },
                        "unsubscribe": { "baseUrl": "https://crm.romashka.ru" } } }
            """);

        WriteLedger(folder.Path);

        var check = Crmx.Run(folder.Path, "attach", "--check");

        Assert.That(check.ExitCode, Is.EqualTo(1));
        var lines = check.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.That(lines.Where(l => l.StartsWith("error: mail:", StringComparison.Ordinal)).Select(l => l.Split(':')[2].Trim()),
            Is.EquivalentTo(new[] { "from", "smtp", "unsubscribe" }));
        Assert.That(check.Error, Does.Contain("error: mail:smtp:security:").And.Contain("error: mail:unsubscribe:secret:").And.Contain("3 problems found."));
        Assert.That(File.Exists(Path.Combine(folder.Path, "crm.db")), Is.False, "the check opens no store");
    }

    [Test]
    public void AttachCheck_NoUnsubscribeSettings_WarnsAndPasses()
    {
        using var folder = new TempDirectory();
        File.WriteAllText(Path.Combine(folder.Path, "crmx.json"), """
            { "ledgers": [ { "name": "main", "provider": "sqlite", "connectionString": "Data Source=ledger.db", "mapping": "ledger.map.json" } ],
              "store": { "provider": "sqlite", "connectionString": "Data Source=crm.db" }, "mail": { "from": "crm@romashka.ru" } }
            """);

        WriteLedger(folder.Path);

        var check = Crmx.Run(folder.Path, "attach", "--check");

        Assert.That(check.ExitCode, Is.Zero, check.Error);
        Assert.That(check.Error.Trim(), Does.StartWith("warning: mail:unsubscribe: ").And.Contain("held"));
    }

    private static void WriteLedger(string folder)
    {
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=" + Path.Combine(folder, "ledger.db") + ";Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE cp (id TEXT PRIMARY KEY, name TEXT NOT NULL); INSERT INTO cp VALUES ('1', 'ООО «Ромашка»');";
            command.ExecuteNonQuery();
        }

        File.WriteAllText(Path.Combine(folder, "ledger.map.json"), """{ "counterparties": { "query": "SELECT id AS ledger_id, name FROM cp" } }""");
    }
}
