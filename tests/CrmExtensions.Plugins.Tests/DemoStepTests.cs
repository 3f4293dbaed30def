using CrmExtensions.Host.Commands;
using CrmExtensions.Testing;

namespace CrmExtensions.Plugins.Tests;

/// <summary><c>crmx demo</c> installs the plugins built with crmx and shows what each produced.</summary>
public sealed class DemoStepTests
{
    [Test]
    public void Demo_OnAFreshFolder_RunsTheThreeShippedPluginsAndPrintsWhatTheyProduced()
    {
        using var folder = new TempDirectory();
        var output = new StringWriter();
        var error = new StringWriter();

        var code = CrmxApp.RunAsync(["demo", "--counterparties", "500"], new CommandContext
        {
            Out = output, Error = error, WorkingDirectory = folder.Path, Environment = new Dictionary<string, string>(),
        }).GetAwaiter().GetResult();

        var text = output.ToString();
        Assert.That(code, Is.Zero, error.ToString());
        Assert.That(text, Does.Contain("CrmExtensions.Lifecycle 1.0.0").And.Contain("CrmExtensions.Receivables 1.0.0").And.Contain("CrmExtensions.Greetings 1.0.0"));
        Assert.That(text, Does.Match(@"CrmExtensions\.Receivables: [1-9][0-9,]* new, 0 cancelled, [1-9][0-9,]* mails queued"));
        Assert.That(text, Does.Match(@"clients by lifecycle\.stage: .*dissolution [1-9]"));
        Assert.That(text, Does.Match("e\\.g\\. mail \\(CrmExtensions\\.Receivables\\): \\S"));
        Assert.That(text, Does.Contain("CrmExtensions.Sales 1.0.0").And.Contain("pipelines: sales"));
        Assert.That(text, Does.Match(@"Opened deal \d+ .* pipeline sales \(CrmExtensions\.Sales\), stage lead"));
        Assert.That(text, Does.Match(@"refused by CrmExtensions\.Receivables/OverdueDebtGuard: client «.+» has .+ overdue"), "the demo's deal meets the Receivables guard");
        Assert.That(Directory.GetDirectories(Path.Combine(folder.Path, "crmx-demo", "plugins")).Select(Path.GetFileName), Is.EquivalentTo(ShippedPlugins.All));

        // Greetings are marketing (consent applies, unsubscribe link), dunning letters transactional.
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(folder.Path, "crmx-demo", "crm.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT plugin_id, category, COUNT(*) FROM outbox WHERE plugin_id IN ('CrmExtensions.Greetings', 'CrmExtensions.Receivables') GROUP BY plugin_id, category ORDER BY plugin_id";
        var categories = new List<(string Plugin, string Category)>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                categories.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        Assert.That(categories, Is.EqualTo(new[] { ("CrmExtensions.Greetings", "marketing"), ("CrmExtensions.Receivables", "transactional") }));
    }
}
