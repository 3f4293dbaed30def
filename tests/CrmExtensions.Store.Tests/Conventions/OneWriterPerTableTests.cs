using System.Text.RegularExpressions;
using CrmExtensions.Testing;

namespace CrmExtensions.Store.Tests.Conventions;

/// <summary>One writer per table: every INSERT, UPDATE, DELETE, MERGE or upsert of these tables is in that table's writer,
/// whoever calls it (plugins through the runtime, commands, campaigns, the dispatcher, the web).</summary>
/// <remarks>Scans the product's C# sources as text — <c>host/</c>, <c>sdk/</c>, <c>plugins/</c>, <c>samples/</c>, not tests,
/// not bin or obj — so it also sees code no test runs.</remarks>
public sealed partial class OneWriterPerTableTests
{
    /// <summary>Each guarded table and the one file allowed to write it.</summary>
    private static readonly Dictionary<string, string> Writers = new(StringComparer.OrdinalIgnoreCase)
    {
        ["outbox"] = "host/CrmExtensions.Store/Outbox/OutboxWriter.cs",
        ["activities"] = "host/CrmExtensions.Store/Activities/ActivityWriter.cs",
        ["deals"] = "host/CrmExtensions.Store/Deals/DealWriter.cs",
        ["deal_moves"] = "host/CrmExtensions.Store/Deals/DealWriter.cs",
        ["reminders"] = "host/CrmExtensions.Store/Reminders/ReminderWriter.cs",
        ["client_tags"] = "host/CrmExtensions.Store/Clients/ClientTagWriter.cs",
        ["client_search"] = "host/CrmExtensions.Store/Clients/ClientSearchWriter.cs",
        ["client_directory"] = "host/CrmExtensions.Store/Clients/ClientDirectoryWriter.cs",
        ["client_directory_state"] = "host/CrmExtensions.Store/Clients/ClientDirectoryWriter.cs",
        ["product_purchases"] = "host/CrmExtensions.Store/Recommendations/RecommendationWriter.cs",
        ["product_pairs"] = "host/CrmExtensions.Store/Recommendations/RecommendationWriter.cs",
        ["recommendation_clients"] = "host/CrmExtensions.Store/Recommendations/RecommendationWriter.cs",
        ["client_recommendations"] = "host/CrmExtensions.Store/Recommendations/RecommendationWriter.cs",
        ["recommendation_state"] = "host/CrmExtensions.Store/Recommendations/RecommendationWriter.cs",
        ["web_users"] = "host/CrmExtensions.Store/Web/WebUserStore.cs",
        ["web_keys"] = "host/CrmExtensions.Store/Web/WebKeyRing.cs",
        ["job_runs"] = "host/CrmExtensions.Store/Jobs/JobSlots.cs",
        ["campaign_groups"] = "host/CrmExtensions.Store/Campaigns/CampaignGroupWriter.cs",
        ["behaviour_segments"] = "host/CrmExtensions.Store/Segments/SegmentDefinitionStore.cs",
        ["unification_models"] = "host/CrmExtensions.Store/Clients/ClientStore.cs",
    };

    private static readonly string[] ProductFolders = ["host", "sdk", "plugins", "samples"];

    // Migrations run once, in order, and must keep the SQL of their day (backfills included): they cannot call today's writers.
    private const string Migrations = "host/CrmExtensions.Store/Migrations/";

    [Test]
    public void ProductSources_WriteEachTableOnlyInItsWriter()
    {
        var stray = ProductSources()
            .Where(f => !f.Path.StartsWith(Migrations, StringComparison.Ordinal))
            .SelectMany(f => TableWrites.Find(f.Text).Select(w => (f.Path, w.Line, w.Table, w.Statement)))
            .Where(w => !string.Equals(Writers[w.Table], w.Path, StringComparison.Ordinal))
            .Select(w => $"{w.Path}:{w.Line}: '{w.Statement}' writes table '{w.Table}' outside its writer; " +
                $"call {Path.GetFileNameWithoutExtension(Writers[w.Table])} ({Writers[w.Table]}) instead.")
            .ToList();

        Assert.That(stray, Is.Empty, "Each of these tables has one writer (STYLE.md 20): move the SQL into it and call it.");
    }

    [Test]
    public void WriterFiles_EachWritesItsTables()
    {
        // Proves the scan reads the writers' SQL as it is written: a scan that found nothing anywhere would pass the test above.
        var root = TestEnvironment.RepoRoot;
        foreach (var (table, writer) in Writers)
        {
            var text = File.ReadAllText(Path.Combine(root, writer));
            Assert.That(TableWrites.Find(text).Select(w => w.Table), Does.Contain(table), writer);
        }
    }

    [TestCase("INSERT INTO outbox (business_key) VALUES (@key)", "outbox")]
    [TestCase("insert   into\n\t  OUTBOX(id) values (1)", "outbox")]
    [TestCase("INSERT INTO \"outbox\" (id) VALUES (1)", "outbox")]
    [TestCase("INSERT INTO [outbox] (id) VALUES (1)", "outbox")]
    [TestCase("INSERT INTO `outbox` (id) VALUES (1)", "outbox")]
    [TestCase("INSERT INTO [dbo].[outbox] (id) VALUES (1)", "outbox")]
    [TestCase("INSERT INTO crm.\"outbox\" (id) VALUES (1)", "outbox")]
    [TestCase("INSERT outbox (id) VALUES (1)", "outbox")]
    [TestCase("INSERT OR IGNORE INTO reminders (plugin_id) VALUES (1)", "reminders")]
    [TestCase("REPLACE INTO client_tags (client_id) VALUES (1)", "client_tags")]
    [TestCase("var sql = \"INSERT INTO \" +\n    \"activities (activity_id) VALUES (@id)\";", "activities")]
    [TestCase("var sql = @\"UPDATE \"\"deals\"\" SET stage = @to\";", "deals")]
    [TestCase("var sql = \"UPDATE deals SET stage = \\\"x\\\"\";", "deals")]
    [TestCase("UPDATE deal_moves SET reason = NULL", "deal_moves")]
    [TestCase("DELETE FROM client_tags WHERE client_id = 1", "client_tags")]
    [TestCase("DELETE client_tags WHERE client_id = 1", "client_tags")]
    [TestCase("TRUNCATE TABLE reminders", "reminders")]
    [TestCase("MERGE client_tags WITH (HOLDLOCK) AS target USING (SELECT 1 AS x) AS source ON 1 = 1", "client_tags")]
    [TestCase("MERGE INTO deals AS d USING x ON 1 = 1", "deals")]
    [TestCase("COPY activities (activity_id) FROM STDIN (FORMAT BINARY)", "activities")]
    [TestCase("dialect.Upsert(\"client_tags\", [\"client_id\"], [\"client_id\", \"name\"])", "client_tags")]
    [TestCase("dialect.InsertIfAbsent(\"reminders\", \"plugin_id, reminder_key\", \"@pluginId, @key\", (\"plugin_id\", \"pluginId\"))", "reminders")]
    public void Find_AWriteOfAGuardedTable_IsFound(string source, string table) =>
        Assert.That(TableWrites.Find(source).Select(w => w.Table), Is.EqualTo(new[] { table }));

    [TestCase("INSERT INTO outbox_events (id) VALUES (1)")]
    [TestCase("UPDATE deals_archive SET x = 1")]
    [TestCase("DELETE FROM my_reminders")]
    [TestCase("INSERT INTO \"outbox_events\" (id) VALUES (1)")]
    [TestCase("SELECT * FROM outbox WHERE status = 'queued' FOR UPDATE SKIP LOCKED")]
    [TestCase("INSERT INTO plugin_data (plugin_id) SELECT plugin_id FROM deals")]
    [TestCase("ON CONFLICT (client_id, name) DO UPDATE SET value = excluded.value")]
    [TestCase("UPDATE clients SET merged_into = 2 WHERE client_id IN (SELECT client_id FROM client_tags)")]
    [TestCase("// Plugins no longer update deals here: the writer does.")]
    [TestCase("/// <summary>Cancels reminders; does not delete reminders.</summary>")]
    [TestCase("connection.Query(\"SELECT * FROM reminders\", new { deals = 1 })")]
    public void Find_NoWriteOfAGuardedTable_FindsNothing(string source) =>
        Assert.That(TableWrites.Find(source), Is.Empty);

    [Test]
    public void Find_AWriteOnTheThirdLine_GivesThatLine() =>
        Assert.That(TableWrites.Find("var a = 1;\nvar b = 2;\nvar sql = \"UPDATE outbox SET status = 'sent'\";").Single().Line, Is.EqualTo(3));

    private static IEnumerable<(string Path, string Text)> ProductSources()
    {
        var root = TestEnvironment.RepoRoot;
        var separator = Path.DirectorySeparatorChar;
        return ProductFolders
            .Select(folder => Path.Combine(root, folder))
            .Where(Directory.Exists)
            .SelectMany(folder => Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories))
            .Where(file => !file.Contains($"{separator}bin{separator}", StringComparison.Ordinal) &&
                !file.Contains($"{separator}obj{separator}", StringComparison.Ordinal))
            .Select(file => (Path.GetRelativePath(root, file).Replace(separator, '/'), File.ReadAllText(file)))
            .OrderBy(f => f.Item1, StringComparer.Ordinal);
    }

    /// <summary>Finds statements that write one of the guarded tables in C# source text.</summary>
    /// <remarks>Case-insensitive; any whitespace between words, and the end of one string literal joined to the next with
    /// <c>+</c>; table names bare, quoted (<c>"t"</c>, <c>""t""</c>, <c>\"t\"</c>), bracketed, back-quoted or schema-qualified.
    /// A name only has to start with a guarded one to be another table (<c>outbox_events</c>). Comment lines are prose.</remarks>
    internal static partial class TableWrites
    {
        public static IEnumerable<(string Table, int Line, string Statement)> Find(string source)
        {
            foreach (Match match in WriteRegex().Matches(source))
            {
                var lineStart = source.LastIndexOf('\n', Math.Max(match.Index - 1, 0)) + 1;
                if (match.Index == 0)
                {
                    lineStart = 0;
                }

                var line = source[lineStart..].TrimStart();
                if (line.StartsWith("//", StringComparison.Ordinal) || line.StartsWith('*') || line.StartsWith("/*", StringComparison.Ordinal))
                {
                    continue;
                }

                var number = source.AsSpan(0, match.Index).Count('\n') + 1;
                yield return (match.Groups["table"].Value.ToLowerInvariant(), number, Regex.Replace(match.Value, @"\s+", " "));
            }
        }

        // Whitespace, or the end of a string literal joined to the next one ("INSERT INTO " + "outbox").
        private const string Gap = """(?:\s|"\s*\+\s*[$@]*")+""";
        private const string Open = """(?:\\"|""|"|\[|`)?""";
        private const string Close = """(?:\\"|""|"|\]|`)?""";
        private const string Schema = "(?:" + Open + @"\w+" + Close + @"\.)?";
        private const string Table = Schema + Open + @"(?<table>outbox|activities|deals|deal_moves|reminders|client_tags|client_search|client_directory_state|client_directory|web_users|web_keys|job_runs|campaign_groups|behaviour_segments|product_purchases|product_pairs|recommendation_clients|client_recommendations|recommendation_state|unification_models)" + Close + @"(?![\w.])";

        private const string Verb =
            @"\b(?:INSERT(?:" + Gap + @"OR" + Gap + @"\w+)?(?:" + Gap + "INTO)?|REPLACE" + Gap + "INTO|UPDATE|DELETE(?:" + Gap + "FROM)?|" +
            @"MERGE(?:" + Gap + "INTO)?|TRUNCATE" + Gap + "TABLE|COPY)";

        [GeneratedRegex(Verb + Gap + Table + @"|\b(?:Upsert|InsertIfAbsent)\(\s*""(?<table>outbox|activities|deals|deal_moves|reminders|client_tags|client_search|client_directory_state|client_directory|web_users|web_keys|job_runs|campaign_groups|behaviour_segments|product_purchases|product_pairs|recommendation_clients|client_recommendations|recommendation_state|unification_models)""",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
        private static partial Regex WriteRegex();
    }
}
