namespace CrmExtensions.Samples.Tests;

/// <summary>Tests of <see cref="SampleLedger"/>; split into partial files by aspect.</summary>
[TestFixture]
public sealed partial class SampleLedgerTests
{
    private static readonly DateOnly AsOf = new(2026, 6, 30);

    private string _directory = null!;
    private SampleLedgerResult _result = null!;
    private List<TruthRow> _truth = null!;
    private List<MappedCounterparty> _rows = null!;

    private static SampleLedgerOptions SmallOptions(int seed = 7) => new()
    {
        Counterparties = 1_200,
        Seed = seed,
        AsOf = AsOf,
        Ledgers = ["msk", "spb", "ekb"],
    };

    [OneTimeSetUp]
    public void GenerateOnce()
    {
        _directory = TestLedger.NewDirectory();
        _result = SampleLedger.Generate(_directory, SmallOptions());
        _truth = TestLedger.ReadTruth(_result.TruthPath);
        _rows = TestLedger.ReadCounterparties(_result);
    }

    [OneTimeTearDown]
    public void DeleteOutput()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
