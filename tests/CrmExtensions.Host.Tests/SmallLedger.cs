using System.Reflection;
using CrmExtensions.Testing;
using Microsoft.Data.Sqlite;

namespace CrmExtensions.Host.Tests;

/// <summary>
/// A folder with a tiny hand-made ledger (one client with a head office and a Saint Petersburg branch, another client
/// alone), its mapping, a crmx.json and a synced and unified store; optionally the GuardPlugin test plugin installed.
/// </summary>
/// <remarks>The branch (main:2) has invoice СЧ-17, due long ago and unpaid; the head (main:1) has a paid one.</remarks>
internal sealed class SmallLedger : IDisposable
{
    public const string RomashkaInn = "7707083893";
    public const string VectorInn = "7736050003";

    private readonly TempDirectory _folder = new();

    public SmallLedger(bool withGuardPlugin = false)
    {
        Change("""
            CREATE TABLE cp (id TEXT PRIMARY KEY, name TEXT NOT NULL, inn TEXT, kpp TEXT, city TEXT);
            CREATE TABLE inv (id TEXT PRIMARY KEY, cp TEXT NOT NULL, number TEXT, issued TEXT NOT NULL, due TEXT, amount REAL NOT NULL, paid REAL);
            CREATE TABLE contact (id TEXT PRIMARY KEY, cp TEXT NOT NULL, name TEXT NOT NULL, position TEXT);
            INSERT INTO cp VALUES ('1', 'ООО «Ромашка»', '7707083893', '770701001', 'Москва'),
                                  ('2', 'ООО «Ромашка» (Санкт-Петербургский филиал)', '7707083893', '780202001', 'Санкт-Петербург'),
                                  ('3', 'АО «Вектор»', '7736050003', '773601001', 'Москва');
            INSERT INTO inv VALUES ('I1', '2', 'СЧ-17', '2026-01-10', '2026-02-10', 120000.5, 0),
                                   ('I2', '1', 'СЧ-18', '2026-01-15', '2026-02-15', 5000, 5000),
                                   ('I3', '3', 'В-1', '2026-01-15', '2026-02-15', 700, 700);
            INSERT INTO contact VALUES ('K1', '1', 'Иванов Иван Иванович', 'директор'), ('K2', '3', 'Сидорова Анна', 'бухгалтер');
            """);
        File.WriteAllText(Path.Combine(Folder, "ledger.map.json"), """
            {
              "counterparties": { "query": "SELECT id AS ledger_id, name, inn AS tax_id, kpp AS branch_code, city FROM cp" },
              "invoices": { "query": "SELECT id AS ledger_id, cp AS counterparty_id, number, issued AS issued_on, due AS due_on, amount, paid AS paid_amount FROM inv" },
              "contacts": { "query": "SELECT id AS ledger_id, cp AS counterparty_id, name AS full_name, position FROM contact" }
            }
            """);
        File.WriteAllText(Path.Combine(Folder, "crmx.json"), """
            {
              "ledgers": [ { "name": "main", "provider": "sqlite", "connectionString": "Data Source=ledger.db", "mapping": "ledger.map.json" } ],
              "store": { "provider": "sqlite", "connectionString": "Data Source=crm.db" },
              "plugins": { "directory": "plugins" }
            }
            """);
        if (withGuardPlugin)
        {
            InstallGuardPlugin();
        }

        Succeed("sync");
        Succeed("unify");
    }

    public string Folder => _folder.Path;

    public CrmxResult Run(params string[] args) => Crmx.Run(Folder, args);

    /// <summary>Runs a command that must succeed.</summary>
    public CrmxResult Succeed(params string[] args)
    {
        var result = Run(args);
        Assert.That(result.ExitCode, Is.Zero, $"crmx {string.Join(" ", args)}: {result.Error}");
        return result;
    }

    /// <summary>Changes the ledger as its accounting system would.</summary>
    public void Change(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(Folder, "ledger.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public string WriteFile(string name, string text, bool bom = false)
    {
        var path = Path.Combine(Folder, name);
        File.WriteAllText(path, text, new System.Text.UTF8Encoding(bom));
        return path;
    }

    /// <summary>Sets one plugin's settings in crmx.json (<c>plugins.settings.PLUGIN</c>), as a company would.</summary>
    public void SetPluginSettings(string pluginId, params (string Key, string Value)[] settings) => Configure(root =>
    {
        var plugins = root["plugins"]!.AsObject();
        var all = plugins["settings"]?.AsObject() ?? [];
        plugins["settings"] = all;
        all[pluginId] = new System.Text.Json.Nodes.JsonObject(settings.Select(s => KeyValuePair.Create(s.Key, (System.Text.Json.Nodes.JsonNode?)s.Value)));
    });

    /// <summary>Edits crmx.json.</summary>
    public void Configure(Action<System.Text.Json.Nodes.JsonObject> edit)
    {
        var path = Path.Combine(Folder, "crmx.json");
        var root = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        edit(root);
        File.WriteAllText(path, root.ToJsonString());
    }

    /// <summary>Installs plugins that ship with crmx, as its build put them beside it, then loads nothing else new.</summary>
    public void InstallShippedPlugins(params string[] names)
    {
        foreach (var name in names)
        {
            var source = Path.Combine(AppContext.BaseDirectory, "plugins", name);
            Assert.That(File.Exists(Path.Combine(source, name + ".dll")), Is.True, $"the shipped plugin {name} is not beside crmx at {source}");
            TestFiles.CopyDirectory(source, Path.Combine(Folder, "plugins", name));
        }
    }

    private void InstallGuardPlugin()
    {
        var configuration = typeof(SmallLedger).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var source = Path.Combine(TestEnvironment.RepoRoot, "tests", "TestPlugins", "bin", configuration, "GuardPlugin");
        Assert.That(File.Exists(Path.Combine(source, "GuardPlugin.dll")), Is.True, $"GuardPlugin is not built at {source}");
        TestFiles.CopyDirectory(source, Path.Combine(Folder, "plugins", "GuardPlugin"));
    }

    public void Dispose() => _folder.Dispose();
}
