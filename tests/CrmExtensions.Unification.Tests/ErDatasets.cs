using System.Text.RegularExpressions;

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

    public static (List<Counterparty> Rows, Dictionary<MemberKey, string> Truth) Febrl(params string[] files)
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
                };
                rows.Add(row);
                truth[row.Key] = id.Split('-')[1];
            }
        }

        return (rows, truth);
    }

    public static (List<Counterparty> Rows, Dictionary<MemberKey, string> Truth) Fake1000()
    {
        var path = SharedData.Require(Path.Combine("er", "fake1000", "fake_1000.csv"));
        var rows = new List<Counterparty>();
        var truth = new Dictionary<MemberKey, string>();
        foreach (var line in File.ReadLines(path).Skip(1))
        {
            // unique_id,first_name,surname,dob,city,email,cluster
            var f = line.Split(',');
            var row = new Counterparty("fake1000", f[0], $"{f[1]} {f[2]}") { City = f[4], Email = f[5] };
            rows.Add(row);
            truth[row.Key] = f[6];
        }

        return (rows, truth);
    }

    public static (double Precision, double Recall, double F1) PairwiseScores(UnificationResult result, Dictionary<MemberKey, string> truth)
    {
        static long Pairs(IEnumerable<int> sizes) => sizes.Sum(s => (long)s * (s - 1) / 2);
        var predicted = Pairs(result.Assignment.GroupBy(a => a.Value).Select(g => g.Count()));
        var actual = Pairs(truth.GroupBy(t => t.Value).Select(g => g.Count()));
        var correct = Pairs(result.Assignment.GroupBy(a => (a.Value, truth[a.Key])).Select(g => g.Count()));
        var precision = predicted == 0 ? 0 : (double)correct / predicted;
        var recall = actual == 0 ? 0 : (double)correct / actual;
        var f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        return (precision, recall, f1);
    }

    [GeneratedRegex("\"([^\"]*)\"|'([^']*)'")]
    private static partial Regex Quoted();
}
