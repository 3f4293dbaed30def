namespace CrmExtensions.Samples.Tests;

public sealed partial class SampleLedgerTests
{
    [TestCase(99)]
    [TestCase(1_000_001)]
    [TestCase(-5)]
    public void Generate_CounterpartiesOutOfRange_Throws(int counterparties)
    {
        var options = new SampleLedgerOptions { AsOf = AsOf, Counterparties = counterparties };

        Assert.That(
            () => SampleLedger.Generate(TestLedger.NewDirectory(), options),
            Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("Counterparties"));
    }

    [TestCase(-0.5)]
    [TestCase(100.5)]
    [TestCase(double.NaN)]
    [TestCase(double.PositiveInfinity)]
    public void Generate_InvoicesPerCounterpartyOutOfRange_Throws(double invoices)
    {
        var options = new SampleLedgerOptions { AsOf = AsOf, InvoicesPerCounterparty = invoices };

        Assert.That(
            () => SampleLedger.Generate(TestLedger.NewDirectory(), options),
            Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("InvoicesPerCounterparty"));
    }

    [TestCase(2004)]
    [TestCase(2100)]
    public void Generate_AsOfOutOfRange_Throws(int year)
    {
        var options = new SampleLedgerOptions { AsOf = new DateOnly(year, 1, 1) };

        Assert.That(
            () => SampleLedger.Generate(TestLedger.NewDirectory(), options),
            Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("AsOf"));
    }

    [TestCase(new string[0], "between 1 and 50")]
    [TestCase(new[] { "msk", "MSK" }, "more than once")]
    [TestCase(new[] { "../escape" }, "not usable as a file name")]
    [TestCase(new[] { "" }, "not usable as a file name")]
    [TestCase(new[] { "a b" }, "not usable as a file name")]
    public void Generate_BadLedgerNames_Throws(string[] ledgers, string message)
    {
        var directory = TestLedger.NewDirectory();
        var options = new SampleLedgerOptions { AsOf = AsOf, Ledgers = ledgers };

        Assert.That(() => SampleLedger.Generate(directory, options), Throws.ArgumentException.With.Message.Contains(message));
        Assert.That(Directory.Exists(directory), Is.False, "nothing is written when the options are refused");
    }

    [TestCase("")]
    [TestCase("   ")]
    public void Generate_BlankDirectory_Throws(string directory)
    {
        Assert.That(() => SampleLedger.Generate(directory, SmallOptions()), Throws.ArgumentException);
    }

    [Test]
    public void Generate_Cancelled_ThrowsAndLeavesNoLedger()
    {
        var directory = TestLedger.NewDirectory();
        using var cancellation = new CancellationTokenSource();
        var progress = new SynchronousProgress(p =>
        {
            if (p.Done >= 200)
            {
                cancellation.Cancel();
            }
        });

        try
        {
            Assert.That(
                () => SampleLedger.Generate(directory, SmallOptions(), progress, cancellation.Token),
                Throws.InstanceOf<OperationCanceledException>());
            Assert.That(Directory.GetFiles(directory, "*.db"), Is.Empty);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Test]
    public void Generate_Progress_ReachesTheTotal()
    {
        var reports = new List<SampleProgress>();
        var directory = TestLedger.NewDirectory();
        try
        {
            SampleLedger.Generate(directory, new SampleLedgerOptions { AsOf = AsOf, Counterparties = 300 }, new SynchronousProgress(reports.Add));

            Assert.That(reports.Last(r => r.Stage == "counterparties"), Is.EqualTo(new SampleProgress("counterparties", 300, 300)));
            Assert.That(reports.Last(), Is.EqualTo(new SampleProgress("indexes", 1, 1)));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Progress&lt;T&gt; posts to the thread pool; the tests need the reports in order, on the calling thread.</summary>
    private sealed class SynchronousProgress(Action<SampleProgress> report) : IProgress<SampleProgress>
    {
        public void Report(SampleProgress value) => report(value);
    }
}
