using System.Globalization;
using System.Text.RegularExpressions;
using CrmExtensions.Formats;
using Microsoft.Data.Sqlite;

/// <summary>Unification quality on public labelled data, through the product's own path: ledger → mapping → sync → unify.</summary>
internal static partial class ErBenchmark
{
    /// <summary>A labelled set: its CSV files (one ledger each), how a line splits (null: RFC 4180 records, quoted
    /// fields may span lines), the truth column, and the name the mapping gives a row (for the naive baseline).</summary>
    private sealed record DataSet(
        string Name, string Mapping, (string Ledger, string File)[] Files, Func<string, string[]>? Split, string TruthColumn, Func<string, string> Truth,
        Func<Func<string, string>, string> NameOf);

    private static readonly HashSet<string> LegalFormWords = new(StringComparer.Ordinal)
    {
        "LLC", "INC", "LTD", "LIMITED", "CO", "CORP", "CORPORATION", "COMPANY", "PLC", "GMBH", "AG", "BV", "NV", "SA", "OOO", "ООО", "АО", "ЗАО", "ПАО", "ИП",
    };

    public static int Run(string work, string crmx)
    {
        var root = FindRepositoryRoot();
        var data = Path.GetFullPath(Path.Combine(root, "..", "shared", "data", "er"));
        if (!Directory.Exists(data))
        {
            Console.Error.WriteLine($"the labelled data is not at {data}");
            return 1;
        }

        static string[] Plain(string line) => line.TrimEnd('\r').Split(',').Select(f => f.Trim()).ToArray();
        string[] Restaurant(string line) => QuotedField().Matches(line).Select(m => m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value).ToArray();
        var sets = new[]
        {
            new DataSet("restaurant", "restaurant", [("restaurant", "restaurant/restaurant-nophone-training.csv")], Restaurant, "unique_id", t => t, c => c("name")),
            new DataSet("csv_example", "csv_example", [("csv_example", "csv_example/csv_example_input_with_true_ids.csv")], null, "True Id", t => t, c => c("Site name")),
            new DataSet("febrl dataset1", "febrl", [("febrl1", "febrl/dataset1.csv")], Plain, "rec_id", t => t.Split('-')[1], Person("given_name", "surname")),
            new DataSet("febrl dataset2", "febrl", [("febrl2", "febrl/dataset2.csv")], Plain, "rec_id", t => t.Split('-')[1], Person("given_name", "surname")),
            new DataSet("febrl dataset3", "febrl", [("febrl3", "febrl/dataset3.csv")], Plain, "rec_id", t => t.Split('-')[1], Person("given_name", "surname")),
            new DataSet("febrl 4a + 4b (two ledgers)", "febrl", [("febrl4a", "febrl/dataset4a.csv"), ("febrl4b", "febrl/dataset4b.csv")], Plain, "rec_id", t => t.Split('-')[1], Person("given_name", "surname")),
            new DataSet("fake1000", "fake1000", [("fake1000", "fake1000/fake_1000.csv")], Plain, "cluster", t => t, Person("first_name", "surname")),
        };

        Console.WriteLine($"{"data set",-30} {"rows",6} {"clients",8} {"truth",6}  score ('crmx clients evaluate')  |  naive exact-name baseline");
        foreach (var set in sets)
        {
            var folder = Path.Combine(work, "er", set.Name.Replace(' ', '-').Replace("+", "", StringComparison.Ordinal));
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }

            Directory.CreateDirectory(folder);
            var truth = new Dictionary<string, string>();
            var naive = new Dictionary<string, string>();
            var ledgers = new List<string>();
            foreach (var (ledger, file) in set.Files)
            {
                foreach (var (key, label, name) in Load(Path.Combine(data, file), Path.Combine(folder, ledger + ".db"), set))
                {
                    truth[ledger + ":" + key] = label;
                    naive[ledger + ":" + key] = NaiveKey(name);
                }

                ledgers.Add($$"""{ "name": "{{ledger}}", "provider": "sqlite", "connectionString": "Data Source={{ledger}}.db", "mapping": "{{Path.Combine(root, "samples", "mappings", "er", set.Mapping + ".map.json")}}" }""");
            }

            File.WriteAllText(Path.Combine(folder, "crmx.json"), $$"""{ "ledgers": [ {{string.Join(", ", ledgers)}} ], "store": { "provider": "sqlite", "connectionString": "Data Source=crm.db" } }""");
            Crmx(crmx, folder, "attach", "--check");
            Crmx(crmx, folder, "sync");
            Crmx(crmx, folder, "unify");
            var clients = CsvReader.Read(new StringReader(Crmx(crmx, folder, "clients", "export"))).Skip(1).Select(r => r.Fields[0]).Distinct().Count();
            WriteTruth(Path.Combine(folder, "truth.csv"), truth);
            var score = Crmx(crmx, folder, "clients", "evaluate", "--truth", "truth.csv").Trim();
            var (p, r, f1) = Pairwise(naive, truth);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{set.Name,-30} {truth.Count,6} {clients,8} {truth.Values.Distinct().Count(),6}  {score[(score.IndexOf(": ", StringComparison.Ordinal) + 2)..]}  |  precision {p:0.000}, recall {r:0.000}, F1 {f1:0.000}"));
        }

        return 0;
    }

    /// <summary>The labels as <c>clients evaluate --truth</c> reads them: <c>ledger,ledger_id,client</c>.</summary>
    private static void WriteTruth(string path, Dictionary<string, string> truth)
    {
        using var file = new StreamWriter(path);
        var csv = new CsvWriter(file);
        csv.WriteRecord("ledger", "ledger_id", "client");
        foreach (var (key, label) in truth)
        {
            var colon = key.IndexOf(':', StringComparison.Ordinal);
            csv.WriteRecord(key[..colon], key[(colon + 1)..], label);
        }
    }

    private static Func<Func<string, string>, string> Person(string given, string surname) => c => $"{c(given)} {c(surname)}";

    /// <summary>The naive baseline's key: upper-case, punctuation to spaces, legal-form words dropped.</summary>
    private static string NaiveKey(string name) =>
        string.Join(' ', NonWord().Replace(name.ToUpperInvariant(), " ").Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(w => !LegalFormWords.Contains(w)));

    /// <summary>Pairwise precision, recall and F1 of a grouping (row → group) against the truth (row → entity).</summary>
    private static (double Precision, double Recall, double F1) Pairwise(Dictionary<string, string> predicted, Dictionary<string, string> truth)
    {
        static long Pairs(IEnumerable<int> sizes) => sizes.Sum(s => (long)s * (s - 1) / 2);
        var found = Pairs(predicted.GroupBy(x => x.Value).Select(g => g.Count()));
        var actual = Pairs(truth.GroupBy(x => x.Value).Select(g => g.Count()));
        var correct = Pairs(predicted.GroupBy(x => (x.Value, truth[x.Key])).Select(g => g.Count()));
        var precision = found == 0 ? 0 : (double)correct / found;
        var recall = actual == 0 ? 0 : (double)correct / actual;
        return (precision, recall, precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall));
    }

    /// <summary>Writes a CSV into a one-table SQLite ledger, every column as text, row_no as the key; returns row_no → truth label, name.</summary>
    private static List<(string Key, string Label, string Name)> Load(string csv, string database, DataSet set)
    {
        var records = Records(csv, set.Split);
        var header = records[0].Select(h => h.Trim()).ToArray();
        var truthAt = Array.IndexOf(header, set.TruthColumn);
        using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
        connection.Open();
        using var tx = connection.BeginTransaction();
        using (var create = connection.CreateCommand())
        {
            create.CommandText = $"CREATE TABLE records (row_no INTEGER PRIMARY KEY, {string.Join(", ", header.Select(h => $"\"{h}\" TEXT"))})";
            create.ExecuteNonQuery();
        }

        using var insert = connection.CreateCommand();
        insert.CommandText = $"INSERT INTO records VALUES (@row, {string.Join(", ", header.Select((_, i) => "@c" + i))})";
        insert.Parameters.Add(new SqliteParameter("@row", 0));
        for (var i = 0; i < header.Length; i++)
        {
            insert.Parameters.Add(new SqliteParameter("@c" + i, DBNull.Value));
        }

        var result = new List<(string, string, string)>();
        var row = 0;
        foreach (var fields in records.Skip(1))
        {
            insert.Parameters[0].Value = ++row;
            for (var i = 0; i < header.Length; i++)
            {
                insert.Parameters[i + 1].Value = i < fields.Length && fields[i].Length > 0 ? fields[i] : DBNull.Value;
            }

            insert.ExecuteNonQuery();
            string Column(string name) => Array.IndexOf(header, name) is var at && at >= 0 && at < fields.Length ? fields[at] : string.Empty;
            result.Add((row.ToString(CultureInfo.InvariantCulture), set.Truth(fields[truthAt]), set.NameOf(Column)));
        }

        tx.Commit();
        return result;
    }

    /// <summary>The CSV's records: split line by line, or as RFC 4180 (quoted fields with commas and line breaks).</summary>
    private static List<string[]> Records(string csv, Func<string, string[]>? split)
    {
        if (split is not null)
        {
            return [.. File.ReadAllLines(csv).Where(l => l.Trim().Length > 0).Select((l, i) => i == 0 ? l.TrimEnd('\r').Split(',') : split(l))];
        }

        using var parser = new Microsoft.VisualBasic.FileIO.TextFieldParser(csv) { HasFieldsEnclosedInQuotes = true, TrimWhiteSpace = false };
        parser.SetDelimiters(",");
        var records = new List<string[]>();
        while (!parser.EndOfData)
        {
            records.Add(parser.ReadFields()!);
        }

        return records;
    }

    private static string Crmx(string crmx, string folder, params string[] args) => Bench.Crmx(crmx, folder, args);

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CrmExtensions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("run the benchmark from inside the repository");
    }

    [GeneratedRegex("\"([^\"]*)\"|'([^']*)'")]
    private static partial Regex QuotedField();

    [GeneratedRegex(@"[^\p{L}\p{Nd}]+")]
    private static partial Regex NonWord();
}
