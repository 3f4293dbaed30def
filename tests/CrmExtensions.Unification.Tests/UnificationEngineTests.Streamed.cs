using System.Collections;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace CrmExtensions.Unification.Tests;

public sealed partial class UnificationEngineTests
{
    [TestCase(null)]
    [TestCase(10)]
    [TestCase(100_000)]
    public void Run_RowsStreamedOnce_GivesWhatTheSameRowsInAListGive(int? claimedCount)
    {
        // Several chunks of rows, branches naming their parents, a second ledger, and a key given twice.
        var rows = Synthetic(9_000, seed: 11).Append(new Counterparty("main", "1", "ООО «Повтор»")).ToArray();
        var stream = claimedCount is { } count ? new CountedOnceStream(rows, count) : new OnceStream(rows);

        var listed = UnificationEngine.Run(new UnificationRequest { Counterparties = rows });
        var streamed = UnificationEngine.Run(new UnificationRequest { Counterparties = stream });

        Assert.That(stream.Enumerations, Is.EqualTo(1));
        Assert.That(Describe(streamed), Is.EqualTo(Describe(listed)));
        Assert.That(streamed.Issues.Select(i => i.Detail), Is.EqualTo(listed.Issues.Select(i => i.Detail)));
        Assert.That(streamed.Issues, Has.Some.Matches<InputIssue>(i => i!.Kind == IssueKind.DuplicateKey));
        Assert.That(streamed.Summary with { Elapsed = default, Stages = [] }, Is.EqualTo(listed.Summary with { Elapsed = default, Stages = [] }));
    }

    [Test]
    public void Run_RowsStreamed_AreFreedChunkByChunkWhileTheRestIsRead()
    {
        var probe = new Dictionary<int, bool>();

        var result = RunStreamedProbe(probe);

        Assert.That(result.Summary.LedgerEntities, Is.EqualTo(StreamedRows));
        Assert.That(probe.Keys, Is.EquivalentTo(new[] { 20_000, 40_000 }));
        Assert.That(probe.Where(p => p.Value).Select(p => p.Key), Is.Empty, "rows read this far while the first row was still reachable");
    }

    [Test]
    public void Run_ValidInnsWithLeadingZerosOrSpaces_AreShownAsTheirDigits()
    {
        var organisation = WithCheckDigits("000123456");
        var person = WithCheckDigits("0001234567");
        var result = Builders.Run(
            new Counterparty("main", "1", "ООО «Нулевой»") { TaxId = organisation },
            new Counterparty("main", "2", "ООО «Нулевой»") { TaxId = " " + organisation[..4] + " " + organisation[4..] },
            new Counterparty("main", "3", "ИП Нулев Иван") { TaxId = person },
            new Counterparty("main", "4", "ООО «Пробел»") { TaxId = "77 07 083893" });

        var taxIds = result.Clients.SelectMany(c => c.Entities).Select(e => e.TaxId).Order(StringComparer.Ordinal);

        Assert.That(taxIds, Is.EqualTo(new[] { organisation, person, "7707083893" }.Order(StringComparer.Ordinal)));
        Assert.That(result.ClientOf("1"), Is.EqualTo(result.ClientOf("2")));
    }

    private const int StreamedRows = 50_000;

    // Neither this frame nor the request holds the rows (see RunUnheld).
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static UnificationResult RunStreamedProbe(Dictionary<int, bool> probe) =>
        UnificationEngine.Run(new UnificationRequest { Counterparties = ProbedRows(probe) });

    /// <summary>Rows made as they are asked for; at 20,000 and 40,000 rows in, whether the first row is still reachable.</summary>
    private static IEnumerable<Counterparty> ProbedRows(Dictionary<int, bool> probe)
    {
        WeakReference? first = null;
        for (var i = 0; i < StreamedRows; i++)
        {
            if (i is 20_000 or 40_000)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                probe[i] = first!.IsAlive;
            }

            var id = i.ToString(CultureInfo.InvariantCulture);
            var row = new Counterparty("main", id, $"ООО «Поток {id}»") { Address = $"ул. Потоковая, д. {i}", City = "Тверь" };
            first ??= new WeakReference(row);
            yield return row;
        }
    }

    /// <summary>The clients as text: ids, members, entities with their INN and branches, links with their evidence.</summary>
    private static List<string> Describe(UnificationResult result) =>
    [
        .. result.Clients.Select(c => string.Join(" | ",
            [c.Id.ToString(CultureInfo.InvariantCulture), c.DisplayName,
             .. c.Entities.Select(e => $"{e.TaxId}/{e.TaxIdKind}/{e.LegalForm}/{e.DisplayName}: " +
                 string.Join("; ", e.Branches.Select(b => $"{b.BranchCode}/{b.Reason}/{b.IsHead}/{b.City}/{b.Region}: {string.Join(",", b.Members)}"))),
             .. c.Links.Select(l => $"{l.From}-{l.To} {l.Rule} {l.Score:R} {l.Evidence}")])),
        .. result.Review.Select(r => $"review {r.First}-{r.Second} {r.FirstClientId}/{r.SecondClientId} {r.Rule} {r.Score:R} {r.Evidence}"),
    ];

    private static string WithCheckDigits(string body)
    {
        int[] weights10 = [2, 4, 10, 3, 5, 9, 4, 6, 8];
        int[] weights11 = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8];
        int[] weights12 = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8];
        string Add(string digits, int[] weights) =>
            digits + (weights.Select((w, i) => w * (digits[i] - '0')).Sum() % 11 % 10).ToString(CultureInfo.InvariantCulture);
        return body.Length == 9 ? Add(body, weights10) : Add(Add(body, weights11), weights12);
    }

    /// <summary>Rows that may be enumerated once.</summary>
    private class OnceStream(Counterparty[] rows) : IEnumerable<Counterparty>
    {
        public int Enumerations { get; private set; }

        public IEnumerator<Counterparty> GetEnumerator()
        {
            Assert.That(++Enumerations, Is.EqualTo(1), "the rows were enumerated more than once");
            return ((IEnumerable<Counterparty>)rows).GetEnumerator();
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }

    /// <summary>Rows that may be enumerated once, with a count that need not be theirs.</summary>
    private sealed class CountedOnceStream(Counterparty[] rows, int count) : OnceStream(rows), IReadOnlyCollection<Counterparty>
    {
        public int Count => count;
    }
}
