using CrmExtensions.Application.Configuration;
using CrmExtensions.Runtime;
using CrmExtensions.Testing;
using Dapper;

namespace CrmExtensions.Plugins.Tests;

/// <summary>crmx.json <c>plugins.settings.&lt;pluginId&gt;</c> reaches the plugin's <c>IPluginSettings</c> through the real loader.</summary>
public sealed class SettingsTests
{
    [Test]
    public async Task RunRemindersAsync_LevelsSetInCrmxJsonAndTheEnvironment_TheReceivablesPluginUsesThem()
    {
        using var folder = new TempDirectory();
        File.WriteAllText(Path.Combine(folder.Path, "crmx.json"), """
            { "store": { "provider": "sqlite", "connectionString": "Data Source=crm.db" },
              "plugins": { "settings": { "crmextensions.receivables": { "levels": "3;5;7" } } } }
            """);
        var configuration = CrmConfiguration.Load(null, folder.Path,
            new Dictionary<string, string> { ["CRMX__plugins__settings__CrmExtensions.Receivables__senderName"] = "ООО «Поставщик»" });
        var store = CrmExtensions.Store.CrmStore.FromOptions(configuration.Store, new Microsoft.Extensions.Time.Testing.FakeTimeProvider());
        store.Migrate();
        using (var connection = store.Open())
        {
            connection.Execute("""
                INSERT INTO mirror_counterparties (ledger, ledger_id, name, email, row_hash, first_seen_at, synced_at) VALUES ('main', 'C1', 'ООО «Ромашка»', 'buh@romashka.ru', 0, 'x', 'x');
                INSERT INTO mirror_invoices (ledger, ledger_id, counterparty_id, number, issued_on, due_on, amount, base_amount, row_hash, first_seen_at, synced_at)
                    VALUES ('main', '1', 'C1', '1', '2025-01-01', '2025-01-10', 10000, 10000, 0, 'x', 'x');
                """);
        }

        using var runtime = await PluginRuntime.LoadAsync(ShippedPlugins.Install(folder.Path, ShippedPlugins.Receivables), store, configuration.Plugins.RuntimeOptions());
        var summary = await runtime.RunRemindersAsync(new DateOnly(2025, 1, 16));

        using var read = store.Open();
        Assert.That(summary.Problems, Is.Empty);
        Assert.That(read.Query<string>("SELECT reminder_key FROM reminders ORDER BY reminder_key"), Is.EqualTo(new[] { "dunning:main/1:2" }), "6 days overdue reach the second of the levels 3, 5 and 7 from crmx.json");
        Assert.That(read.QuerySingle<string>("SELECT body FROM outbox"), Does.EndWith("ООО «Поставщик»\n"));
    }

    [TestCase(null, -1)]
    [TestCase("0", -1)]
    [TestCase("1", 1)]
    [TestCase("3", 3)]
    public void RuntimeOptions_RuleConcurrency_ZeroOrUnsetIsTheProcessorCount(string? setting, int expected)
    {
        using var folder = new TempDirectory();
        File.WriteAllText(Path.Combine(folder.Path, "crmx.json"), """{ "store": { "provider": "sqlite", "connectionString": "Data Source=crm.db" } }""");
        var environment = setting is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["CRMX__plugins__ruleConcurrency"] = setting };

        var options = CrmConfiguration.Load(null, folder.Path, environment).Plugins.RuntimeOptions();

        Assert.That(options.RuleConcurrency, Is.EqualTo(expected < 0 ? Environment.ProcessorCount : expected));
    }

    [Test]
    public void RuntimeOptions_NegativeRuleConcurrency_IsRefusedNamingTheSetting()
    {
        using var folder = new TempDirectory();
        File.WriteAllText(Path.Combine(folder.Path, "crmx.json"), """{ "store": { "provider": "sqlite", "connectionString": "Data Source=crm.db" } }""");
        var configuration = CrmConfiguration.Load(null, folder.Path, new Dictionary<string, string> { ["CRMX__plugins__ruleConcurrency"] = "-2" });

        Assert.That(() => configuration.Plugins.RuntimeOptions(), Throws.InstanceOf<CrmExtensions.Store.CrmException>().With.Message.Contains("plugins:ruleConcurrency at least 0"));
    }
}
