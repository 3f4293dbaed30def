namespace CrmExtensions.Unification.Tests;

public sealed partial class UnificationEngineTests
{
    /// <summary>The engine alone on a store's mirror dumped to CSV, scored against the sample generator's truth: for
    /// finding what a change does to the sample ledger without the whole 'crmx demo' round trip.</summary>
    /// <remarks>Dump with sqlite3 from a demo folder into CRMX_SAMPLE_DUMP: <c>counterparties.csv</c> (the columns of
    /// the store's counterparty query), <c>directors.csv</c> (ledger, counterparty_id, full_name, position of contacts)
    /// and the demo's <c>truth.csv</c>.</remarks>
    [Test]
    [Explicit("Needs a dump of a demo store in CRMX_SAMPLE_DUMP")]
    public void Run_SampleLedgerDump_PrintsScoresAndWrongLinks()
    {
        var folder = Environment.GetEnvironmentVariable("CRMX_SAMPLE_DUMP") ?? string.Empty;
        string[] heads = ["директор", "генеральный директор", "ген. директор", "гендиректор", "президент", "управляющий", "ceo", "director", "general director", "owner", "владелец"];
        var directors = ErDatasets.Csv(Path.Combine(folder, "directors.csv")).Skip(1)
            .Where(r => heads.Contains(r[3].Trim().TrimEnd('.').ToLowerInvariant()))
            .GroupBy(r => (r[0], r[1].Trim()))
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)[.. g.Select(r => r[2]).Order(StringComparer.Ordinal)]);
        var records = ErDatasets.Csv(Path.Combine(folder, "counterparties.csv"));
        string? Blank(string s) => s.Length == 0 ? null : s;
        var rows = records.Skip(1).Select(f => new Counterparty(f[0], f[1].Trim(), Blank(f[2]))
        {
            TaxId = Blank(f[3]),
            BranchCode = Blank(f[4]),
            RegistrationNumber = Blank(f[5]),
            ParentLedgerId = Blank(f[6]),
            Address = Blank(f[7]),
            City = Blank(f[8]),
            Region = Blank(f[9]),
            Country = Blank(f[10]),
            Phone = Blank(f[11]),
            Email = Blank(f[12]),
            Website = Blank(f[13]),
            Directors = directors.GetValueOrDefault((f[0], f[1].Trim())),
        }).ToList();
        var truth = ErDatasets.Csv(Path.Combine(folder, "truth.csv")).Skip(1).ToDictionary(r => new MemberKey(r[0], r[1]), r => r[3]);

        Evaluate("sample ledger dump", rows, truth);
    }
}
