using System.Globalization;
using System.Text.RegularExpressions;
using CrmExtensions.Unification.Names;

namespace CrmExtensions.Unification.Tests;

/// <summary>Reads the labeled public ER sets as counterparties plus truth labels, and scores a run pairwise.</summary>
/// <remarks>Until they can be attached as ledgers through mapping files, the CSVs are read directly here.</remarks>
internal static partial class ErDatasets
{
    public static (List<Counterparty> Rows, Dictionary<MemberKey, string> Truth) Restaurant()
    {
        var path = SharedData.Require(Path.Combine("er", "restaurant", "restaurant-nophone-training.csv"));
        var rows = new List<Counterparty>();
        var truth = new Dictionary<MemberKey, string>();
        foreach (var line in File.ReadLines(path).Skip(1))
        {
            // Lines are written "a", "b", "c", "d", '0'.
            var fields = Quoted().Matches(line).Select(m => m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value).ToArray();
            var row = new Counterparty("restaurant", rows.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), fields[0])
            {
                Address = fields[1],
                City = fields[2],
            };
            rows.Add(row);
            truth[row.Key] = fields[4];
        }

        return (rows, truth);
    }

    public static (List<Counterparty> Rows, Dictionary<MemberKey, string> Truth) Febrl(params string[] files) => Febrl(false, files);

    /// <summary>Febrl's people: name, address, suburb and state, and with <paramref name="birthDates"/> the date of birth
    /// (yyyyMMdd; one that is no day, as Febrl's typos make some, left out as sync leaves it out).</summary>
    public static (List<Counterparty> Rows, Dictionary<MemberKey, string> Truth) Febrl(bool birthDates, params string[] files)
    {
        var rows = new List<Counterparty>();
        var truth = new Dictionary<MemberKey, string>();
        foreach (var file in files)
        {
            var path = SharedData.Require(Path.Combine("er", "febrl", file));
            var lines = File.ReadAllLines(path);
            var header = lines[0].Split(',').Select(h => h.Trim()).ToList();
            foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
            {
                var f = line.TrimEnd('\r').Split(',').Select(x => x.Trim()).ToArray();
                string Col(string name) => f[header.IndexOf(name)];
                var id = Col("rec_id");
                var row = new Counterparty(Path.GetFileNameWithoutExtension(file), id, $"{Col("given_name")} {Col("surname")}")
                {
                    Address = $"{Col("street_number")} {Col("address_1")} {Col("address_2")} {Col("postcode")}",
                    City = Col("suburb"),
                    Region = Col("state"),
                    Birthday = birthDates && DateOnly.TryParseExact(Col("date_of_birth"), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var born)
                        ? born
                        : null,
                };
                rows.Add(row);
                truth[row.Key] = id.Split('-')[1];
            }
        }

        return (rows, truth);
    }

    /// <summary>Splink's fake people: name, city and mail, and with <paramref name="birthDates"/> the date of birth.</summary>
    public static (List<Counterparty> Rows, Dictionary<MemberKey, string> Truth) Fake1000(bool birthDates = false)
    {
        var path = SharedData.Require(Path.Combine("er", "fake1000", "fake_1000.csv"));
        var rows = new List<Counterparty>();
        var truth = new Dictionary<MemberKey, string>();
        foreach (var line in File.ReadLines(path).Skip(1))
        {
            // unique_id,first_name,surname,dob,city,email,cluster
            var f = line.Split(',');
            var row = new Counterparty("fake1000", f[0], $"{f[1]} {f[2]}")
            {
                City = f[4],
                Email = f[5],
                Birthday = birthDates && DateOnly.TryParseExact(f[3], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var born) ? born : null,
            };
            rows.Add(row);
            truth[row.Key] = f[6];
        }

        return (rows, truth);
    }

    /// <summary>Chicago early-childhood providers from several source lists (dedupe's csv_example): site name, address
    /// with the zip, phone, web site and mail; the truth is its "True Id".</summary>
    public static (List<Counterparty> Rows, Dictionary<MemberKey, string> Truth) CsvExample()
    {
        var path = SharedData.Require(Path.Combine("er", "csv_example", "csv_example_input_with_true_ids.csv"));
        var records = Csv(path);
        var header = records[0];
        var rows = new List<Counterparty>();
        var truth = new Dictionary<MemberKey, string>();
        foreach (var f in records.Skip(1).Where(r => r.Length >= header.Length))
        {
            string? Col(string name) => f[Array.IndexOf(header, name)] is { Length: > 0 } v ? v : null;
            var row = new Counterparty("csv_example", Col("Id")!, Col("Site name"))
            {
                Address = $"{Col("Address")} {Col("Zip")}".Trim(),
                Phone = Col("Phone"),
                Website = Col("Website"),
                Email = Col("Email Address"),
            };
            rows.Add(row);
            truth[row.Key] = Col("True Id")!;
        }

        return (rows, truth);
    }

    /// <summary>The naive baseline: upper-case, punctuation to spaces, legal-form words dropped, rows grouped by the exact key.</summary>
    public static Dictionary<MemberKey, string> NaiveBaseline(IEnumerable<Counterparty> rows) =>
        rows.ToDictionary(r => r.Key, r =>
        {
            var tokens = Tokenizer.Split(r.Name);
            LegalForms.Strip(tokens);
            return string.Join(' ', tokens);
        });

    /// <summary>RFC 4180: quoted fields may hold commas, doubled quotes and line breaks.</summary>
    public static List<string[]> Csv(string path)
    {
        using var parser = new Microsoft.VisualBasic.FileIO.TextFieldParser(path) { HasFieldsEnclosedInQuotes = true, TrimWhiteSpace = false };
        parser.SetDelimiters(",");
        var records = new List<string[]>();
        while (!parser.EndOfData)
        {
            records.Add(parser.ReadFields()!);
        }

        return records;
    }

    public static (double Precision, double Recall, double F1) PairwiseScores(UnificationResult result, Dictionary<MemberKey, string> truth) =>
        PairwiseScores(result.Assignment.ToDictionary(a => a.Key, a => a.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)), truth);

    public static (double Precision, double Recall, double F1) PairwiseScores(Dictionary<MemberKey, string> assignment, Dictionary<MemberKey, string> truth)
    {
        static long Pairs(IEnumerable<int> sizes) => sizes.Sum(s => (long)s * (s - 1) / 2);
        var predicted = Pairs(assignment.GroupBy(a => a.Value).Select(g => g.Count()));
        var actual = Pairs(truth.GroupBy(t => t.Value).Select(g => g.Count()));
        var correct = Pairs(assignment.GroupBy(a => (a.Value, truth[a.Key])).Select(g => g.Count()));
        var precision = predicted == 0 ? 0 : (double)correct / predicted;
        var recall = actual == 0 ? 0 : (double)correct / actual;
        var f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        return (precision, recall, f1);
    }

    [GeneratedRegex("\"([^\"]*)\"|'([^']*)'")]
    private static partial Regex Quoted();
}
