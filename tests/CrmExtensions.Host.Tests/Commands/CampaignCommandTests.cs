using CrmExtensions.Testing;
using Microsoft.Data.Sqlite;

namespace CrmExtensions.Host.Tests.Commands;

public sealed class CampaignCommandTests
{
    private static readonly string SamplePack = Path.Combine(TestEnvironment.RepoRoot, "samples", "campaigns", "statement");

    private TempDirectory _folder = null!;
    private string _demo = null!;
    private CrmxResult _demoRun = null!;

    [OneTimeSetUp]
    public void SetUp()
    {
        _folder = new TempDirectory();
        _demoRun = Crmx.Run(_folder.Path, "demo", "--counterparties", "300", "--seed", "5");
        Assert.That(_demoRun.ExitCode, Is.Zero, _demoRun.Error);
        _demo = Path.Combine(_folder.Path, "crmx-demo");
    }

    [OneTimeTearDown]
    public void TearDown() => _folder.Dispose();

    private CrmxResult Run(params string[] args) => Crmx.Run(_demo, args);

    private long OutboxRows(string source)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_demo, "crm.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM outbox WHERE plugin_id = $source";
        command.Parameters.AddWithValue("$source", source);
        return (long)command.ExecuteScalar()!;
    }

    [Test]
    public void Demo_CampaignStep_QueuesMailThatTheDispatcherWritesIntoThePickupFolder()
    {
        Assert.That(_demoRun.Out, Does.Contain("Campaign: the sample statement pack"));
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_demo, "crm.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, status FROM outbox WHERE source = 'campaign:demo-statement' ORDER BY id";
        var rows = new List<(long Id, string Status)>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                rows.Add((reader.GetInt64(0), reader.GetString(1)));
            }
        }

        Assert.That(rows, Is.Not.Empty);
        Assert.That(rows.Select(r => r.Status).Distinct(), Is.EqualTo(new[] { "sent" }), "the demo's dispatch step sends every campaign mail");
        foreach (var (id, _) in rows)
        {
            var eml = File.ReadAllText(Path.Combine(_demo, "outbox", $"{id}.eml"));
            Assert.That(eml, Does.Contain("Subject:").And.Contain("text/html").And.Contain("text/plain").And.Contain("campaign:demo-statement:"));
        }
    }

    [Test]
    public void Preview_RealClient_PrintsItsMailWithItsInvoices()
    {
        var result = Run("campaign", "preview", SamplePack, "--client", "1");
        Assert.That(result.ExitCode, Is.Zero, result.Error);
        Assert.That(result.Out, Does.Match(@"Subject: .+"));
        Assert.That(result.Out, Does.Contain("Здравствуйте").And.Contain("₽"));

        var english = Run("campaign", "preview", SamplePack, "--client", "1", "--locale", "en");
        Assert.That(english.Out, Does.Contain("RUB").And.Not.Contain("Здравствуйте"));
    }

    [Test]
    public void Send_DryRun_PrintsCountsAndTheFirstMailAndWritesNothing()
    {
        var result = Run("campaign", "send", SamplePack, "--segment", "overdue=no", "--segment", "abc=A", "--id", "dry", "--dry-run");
        Assert.That(result.ExitCode, Is.Zero, result.Error);
        Assert.That(result.Out, Does.Match(@"segment overdue=no AND abc=A: \d+ client\(s\), \d+ with an address, \d+ skipped"));
        Assert.That(result.Out, Does.Contain("Dry run: nothing queued.").And.Contain("First mail:").And.Contain("Subject: "));
        Assert.That(OutboxRows("campaign:dry"), Is.Zero);
    }

    [Test]
    public void Send_OverdueClientsOfAMarketingPack_AreAllHeldBackAndListed()
    {
        var result = Run("campaign", "send", SamplePack, "--segment", "overdue=yes", "--id", "debtors", "--dry-run");
        var selected = int.Parse(System.Text.RegularExpressions.Regex.Match(result.Out, @": (\d+) client\(s\)").Groups[1].Value);
        Assert.That(result.ExitCode, Is.Zero, result.Error);
        Assert.That(selected, Is.Positive);
        Assert.That(result.Out, Does.Contain($"Held back: unresolved problems: {selected:N0} client(s).").And.Contain(": overdue "));
        Assert.That(result.Out, Does.Contain("0 with an address"), "no offer to a client with overdue debt");
    }

    [Test]
    public void Send_Twice_QueuesEachClientOnce()
    {
        var first = Run("campaign", "send", SamplePack, "--segment", "overdue=no", "--id", "twice");
        var second = Run("campaign", "send", SamplePack, "--segment", "overdue=no", "--id", "twice");
        Assert.That(first.ExitCode, Is.Zero, first.Error);
        var queued = OutboxRows("campaign:twice");
        Assert.That(queued, Is.GreaterThan(0));
        Assert.That(first.Out, Does.Contain($"Queued {queued:N0} new mail(s); 0 were queued"));
        Assert.That(second.Out, Does.Contain($"Queued 0 new mail(s); {queued:N0} were queued by an earlier send."));
        Assert.That(OutboxRows("campaign:twice"), Is.EqualTo(queued));

        var status = Run("campaign", "status", "twice");
        Assert.That(status.Out, Does.Match($@"queued\s+{queued:N0}"));
    }

    [Test]
    public void Segments_AbcClasses_PartitionTheClients()
    {
        int Count(string segment) => int.Parse(System.Text.RegularExpressions.Regex.Match(
            Run("campaign", "send", SamplePack, "--segment", segment, "--dry-run").Out, @": (\d+) client\(s\)").Groups[1].Value);
        var all = int.Parse(System.Text.RegularExpressions.Regex.Match(Run("campaign", "send", SamplePack, "--dry-run").Out, @": (\d+) client\(s\)").Groups[1].Value);
        var a = Count("abc=A");
        var b = Count("abc=B");
        var c = Count("abc=C");
        Assert.That(a + b + c, Is.EqualTo(all));
        Assert.That(a, Is.GreaterThan(0).And.LessThan(b + c), "the top 80 % of revenue comes from a minority of clients");
        Assert.That(Count("overdue=yes") + Count("overdue=no"), Is.EqualTo(all));
        Assert.That(Count("region=Москва"), Is.GreaterThan(0));
    }

    [Test]
    public void Test_QueuesToTheGivenAddressUnderATestKey()
    {
        var result = Run("campaign", "test", SamplePack, "--client", "1", "--to", "me@example.com");
        Assert.That(result.ExitCode, Is.Zero, result.Error);
        Assert.That(result.Out, Does.Match(@"Queued a test mail to me@example.com \(test:[0-9a-f]{32}\)"));
    }

    [Test]
    public void Send_StageSegment_SelectsTheClientsTheLifecyclePluginTagged()
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_demo, "crm.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM client_tags WHERE name = 'lifecycle.stage' AND value = 'expansion'";
        var tagged = (long)command.ExecuteScalar()!;

        var result = Run("campaign", "send", SamplePack, "--segment", "stage=expansion", "--dry-run");

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        Assert.That(tagged, Is.Positive, "the demo runs the Lifecycle plugin");
        Assert.That(result.Out, Does.Contain($"segment stage=expansion: {tagged:N0} client(s)"));
    }

    [Test]
    public void Send_UnknownSegment_FailsNamingTheKinds()
    {
        var result = Run("campaign", "send", SamplePack, "--segment", "colour=red");
        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Error, Does.Contain("unknown kind 'colour'").And.Contain("abc=A|B|C"));
    }

    [Test]
    public void Send_BadPack_RefusedBeforeAnythingRendersWithFileLineAndColumn()
    {
        var pack = Path.Combine(_folder.Path, "bad");
        Directory.CreateDirectory(pack);
        File.WriteAllText(Path.Combine(pack, "pack.json"), """{ "name": "bad", "locale": "ru-RU", "needs": ["client", "weather"] }""");
        File.WriteAllText(Path.Combine(pack, "subject.scriban"), "{{ client.name ");
        File.WriteAllText(Path.Combine(pack, "body.txt.scriban"), "ok\n{{ for }}");
        var result = Run("campaign", "send", pack, "--segment", "overdue=yes");
        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Error, Does.Contain("bad/body.txt.scriban(2,").And.Contain("needs 'weather'"));
        Assert.That(OutboxRows("campaign:bad-" + DateTime.UtcNow.ToString("yyyy-MM-dd")), Is.Zero);
    }

    [Test]
    public void Send_TemplateFailingForAClient_QueuesNothingAndNamesClientAndPosition()
    {
        var pack = Path.Combine(_folder.Path, "typo");
        Directory.CreateDirectory(pack);
        File.WriteAllText(Path.Combine(pack, "pack.json"), """{ "name": "typo", "locale": "ru-RU" }""");
        File.WriteAllText(Path.Combine(pack, "subject.scriban"), "{{ client.name }}");
        File.WriteAllText(Path.Combine(pack, "body.txt.scriban"), "Hello\n{{ client.nmae }}");
        var result = Run("campaign", "send", pack, "--id", "typo");
        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Error, Does.Match(@"client \d+ .*typo/body\.txt\.scriban\(2,\d+\): `nmae`"));
        Assert.That(OutboxRows("campaign:typo"), Is.Zero);
    }

    [Test]
    public void Send_RenderedOnEveryCore_QueuesInClientOrder_AndAFailureNamesTheFirstFailingClientInThatOrder()
    {
        var ok = WritePack("inorder", "{{ client.name }}");
        var sent = Run("campaign", "send", ok, "--id", "inorder", "--holdout", "0");
        Assert.That(sent.ExitCode, Is.Zero, sent.Error);
        var queued = Query<long>("SELECT client_id FROM outbox WHERE plugin_id = 'campaign:inorder' ORDER BY id");
        Assert.That(queued, Has.Count.GreaterThan(50));
        Assert.That(queued, Is.Ordered.Ascending);

        // Fails for every client with a branch: the run names the first of them in the clients' order.
        var failing = WritePack("branches", "{{ if client.branches[0] }}{{ client.nmae }}{{ end }}");
        var withBranch = Query<long>(
            "SELECT DISTINCT o.client_id FROM outbox o JOIN client_members m ON m.client_id = o.client_id AND m.role <> 'head' " +
            "WHERE o.plugin_id = 'campaign:inorder' ORDER BY o.client_id");
        Assert.That(withBranch, Has.Count.GreaterThan(1));
        var result = Run("campaign", "send", failing, "--id", "branches", "--holdout", "0");
        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Error, Does.Contain($"client {withBranch[0]} ").And.Contain("`nmae`"));
        Assert.That(OutboxRows("campaign:branches"), Is.Zero);
    }

    private string WritePack(string name, string body)
    {
        var pack = Path.Combine(_folder.Path, name);
        Directory.CreateDirectory(pack);
        File.WriteAllText(Path.Combine(pack, "pack.json"), $$"""{ "name": "{{name}}", "locale": "ru-RU" }""");
        File.WriteAllText(Path.Combine(pack, "subject.scriban"), "{{ client.name }}");
        File.WriteAllText(Path.Combine(pack, "body.txt.scriban"), body);
        return pack;
    }

    private List<T> Query<T>(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_demo, "crm.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
        {
            rows.Add(reader.GetFieldValue<T>(0));
        }

        return rows;
    }

    [Test]
    public void Help_EverySubcommand_Explains()
    {
        foreach (var sub in new[] { "preview", "test", "send", "status" })
        {
            var result = Run("campaign", sub, "--help");
            Assert.That(result.ExitCode, Is.Zero, sub);
            Assert.That(result.Out, Does.Contain("campaign " + sub), sub);
        }
    }
}
