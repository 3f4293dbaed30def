using System.Runtime.CompilerServices;

namespace CrmExtensions.Unification.Tests;

public sealed partial class UnificationEngineTests
{
    private static IEnumerable<TestCaseData> LabelledSets()
    {
        yield return new TestCaseData("restaurant").SetArgDisplayNames("restaurant");
        yield return new TestCaseData("csv_example").SetArgDisplayNames("csv_example");
    }

    private static List<Counterparty> LabelledSet(string name) => name == "restaurant" ? ErDatasets.Restaurant().Rows : ErDatasets.CsvExample().Rows;

    /// <summary>A kept model as a store gives it back: only the numbers, nothing of the run that learnt it.</summary>
    private static MatchModel Kept(MatchModel model) =>
        MatchModel.Restore(model.MatchShare, model.Rows, [.. model.Fields.Select(f => new ModelField(f.Name, [.. f.Levels.Select(l => new ModelLevel(l.Name, l.M, l.U))]))]);

    /// <summary>A few ledger edits of the kinds a sync brings: a row renamed to another row's name and place (it should join
    /// that client), a new duplicate of a row, a row of a client of several vanished, an address changed, two rows of different
    /// clients given one valid INN.</summary>
    private static (List<Counterparty> Rows, List<MemberKey> Changed) Edit(List<Counterparty> rows, UnificationResult first)
    {
        var edited = rows.ToList();
        var changed = new List<MemberKey>();
        var clients = first.Clients.OrderBy(c => c.Id).ToList();
        var big = clients.Where(c => c.Members.Count() >= 2).ToList();
        var singles = clients.Where(c => c.Members.Count() == 1).Select(c => c.Members.Single()).ToList();
        int At(MemberKey key) => edited.FindIndex(r => r.Key == key);
        void Set(int at, Counterparty row)
        {
            edited[at] = row;
            changed.Add(row.Key);
        }

        // Renamed to the name, address and city of a row of another client.
        var target = edited[At(big[0].Members.First())];
        var renamed = At(singles[0]);
        Set(renamed, edited[renamed] with { Name = target.Name, Address = target.Address, City = target.City, Phone = target.Phone, Email = target.Email });

        // A new duplicate of a row.
        var copy = edited[At(singles[1])] with { LedgerId = "new-1" };
        edited.Add(copy);
        changed.Add(copy.Key);

        // A new row that repeats another with a typo in the name and in the address: no exact value in common, linked
        // only through its scores.
        var typed = edited[At(singles[4])];
        var near = typed with { LedgerId = "new-2", Name = Typo(typed.Name!), Address = Typo(typed.Address!), Phone = null };
        edited.Add(near);
        changed.Add(near.Key);

        // A member of a client of several rows vanished.
        var gone = big[1].Members.Last();
        edited.RemoveAt(At(gone));
        changed.Add(gone);

        // Address changed.
        var moved = At(big[2].Members.First());
        Set(moved, edited[moved] with { Address = "1 Nowhere Lane" });

        // One valid INN given to two rows of different clients.
        Set(At(singles[2]), edited[At(singles[2])] with { TaxId = "7707083893" });
        Set(At(singles[3]), edited[At(singles[3])] with { TaxId = "7707083893" });
        return (edited, changed);
    }

    /// <summary>The longest word of the text with its second and third letters swapped.</summary>
    private static string Typo(string text)
    {
        var words = text.Split(' ');
        var longest = Array.IndexOf(words, words.MaxBy(w => w.Length));
        var w = words[longest];
        words[longest] = string.Concat(w[..1], w[2..3], w[1..2], w[3..]);
        return string.Join(' ', words);
    }

    [TestCaseSource(nameof(LabelledSets))]
    public void Run_IncrementalAfterEdits_EqualsFullRunWithTheSameModel(string set)
    {
        var rows = LabelledSet(set);
        var first = UnificationEngine.Run(new UnificationRequest { Counterparties = rows });
        var (edited, changed) = Edit(rows, first);
        var model = Kept(first.Model);

        var incremental = UnificationEngine.Run(new UnificationRequest
        {
            Counterparties = edited,
            PreviousAssignment = first.Assignment,
            Changed = changed,
            Model = model,
        });
        var full = UnificationEngine.Run(new UnificationRequest { Counterparties = edited, PreviousAssignment = first.Assignment, Model = model });

        var combined = edited.ToDictionary(r => r.Key, r => incremental.Assignment.TryGetValue(r.Key, out var id) ? id : first.Assignment[r.Key]);
        Assert.That(incremental.ReExamined, Is.GreaterThanOrEqualTo(changed.Count - 1).And.LessThan(edited.Count / 4), "re-examined only around the edits");
        Assert.That(full.ReExamined, Is.Null);
        Assert.That(full.Model.Learnt, Is.False);
        Assert.That(combined, Is.EquivalentTo(full.Assignment), "same clients, same ids as the full run");
        Assert.That(full.Assignment[changed[0]], Is.EqualTo(full.Assignment[first.Clients.OrderBy(c => c.Id).First(c => c.Members.Count() >= 2).Members.First()]),
            "the renamed row joined the client it now duplicates");
        Assert.That(full.Assignment[new MemberKey(set, "new-2")], Is.EqualTo(full.Assignment[first.Clients.OrderBy(c => c.Id).Where(c => c.Members.Count() == 1).ElementAt(4).Members.Single()]),
            "the mistyped copy joined the row it repeats");
        Assert.That(incremental.Review.Select(r => (r.First, r.Second)), Is.EquivalentTo(
            full.Review.Where(r => incremental.Assignment.ContainsKey(r.First) || incremental.Assignment.ContainsKey(r.Second)).Select(r => (r.First, r.Second))),
            "the review pairs around the edits are the full run's");
    }

    [Test]
    public void Run_IncrementalWithNothingChanged_ReExaminesNothing()
    {
        var rows = LabelledSet("restaurant");
        var first = UnificationEngine.Run(new UnificationRequest { Counterparties = rows });

        var again = UnificationEngine.Run(new UnificationRequest { Counterparties = rows, PreviousAssignment = first.Assignment, Changed = [], Model = Kept(first.Model) });

        Assert.That((again.ReExamined, again.Clients.Count, again.Summary.ComparedPairs), Is.EqualTo((0, 0, 0L)));
    }

    [Test]
    public void Run_Incremental_ListsTheIssuesOfTheRowsItReExamined_AndCountsEveryRow()
    {
        var rows = LabelledSet("restaurant");
        var singles = UnificationEngine.Run(new UnificationRequest { Counterparties = rows }).Clients
            .Where(c => c.Members.Count() == 1).Select(c => c.Members.Single()).ToList();
        int At(List<Counterparty> list, MemberKey key) => list.FindIndex(r => r.Key == key);

        // Two rows with an INN whose check digit is wrong; one stays as it is, the other changes its address later.
        var before = rows.ToList();
        var (kept, edited) = (singles[0], singles[^1]);
        before[At(before, kept)] = before[At(before, kept)] with { TaxId = "1234567890" };
        before[At(before, edited)] = before[At(before, edited)] with { TaxId = "1234567891" };
        var first = UnificationEngine.Run(new UnificationRequest { Counterparties = before });
        var after = before.ToList();
        after[At(after, edited)] = after[At(after, edited)] with { Address = "1 Nowhere Lane" };

        var incremental = UnificationEngine.Run(new UnificationRequest
        {
            Counterparties = after,
            PreviousAssignment = first.Assignment,
            Changed = [edited],
            Model = Kept(first.Model),
        });

        Assert.That(incremental.ReExamined, Is.Not.Null);
        Assert.That(incremental.Issues.Where(i => i.Kind == IssueKind.InvalidTaxId).Select(i => i.Member), Is.EqualTo(new MemberKey?[] { edited }),
            "the re-examined row's issue is listed; the kept row's stays as stored");
        Assert.That(incremental.Summary.InvalidIdentifiers, Is.EqualTo(first.Summary.InvalidIdentifiers).And.EqualTo(2), "the summary counts every row's");
    }

    [Test]
    public void Run_KeptModelOfAnotherShape_IsIgnoredAndOneLearnt()
    {
        var rows = LabelledSet("restaurant");
        var first = UnificationEngine.Run(new UnificationRequest { Counterparties = rows });
        var foreign = MatchModel.Restore(0.01, rows.Count, [new ModelField("name", [new ModelLevel("exact", 0.9, 0.001)])]);

        var again = UnificationEngine.Run(new UnificationRequest { Counterparties = rows, PreviousAssignment = first.Assignment, Changed = [], Model = foreign });

        Assert.That((again.Model.Learnt, again.ReExamined), Is.EqualTo((true, (int?)null)));
        Assert.That(again.Assignment, Is.EquivalentTo(first.Assignment));
    }

    [Test]
    public void Run_WithProgress_TellsEachStageAsItStartsUnderTheNameItsTimeIsGivenUnder()
    {
        var rows = LabelledSet("restaurant");
        var told = new List<string>();
        var first = UnificationEngine.Run(new UnificationRequest { Counterparties = rows, Progress = new Recorder(told) });
        var (edited, changed) = Edit(rows, first);
        var toldAgain = new List<string>();
        var incremental = UnificationEngine.Run(new UnificationRequest
        {
            Counterparties = edited,
            PreviousAssignment = first.Assignment,
            Changed = changed,
            Model = Kept(first.Model),
            Progress = new Recorder(toldAgain),
        });

        Assert.That(told, Is.EqualTo(first.Summary.Stages.Select(s => s.Key)));
        Assert.That(told, Does.Contain("learn+score").And.Contain("block+compare"));
        Assert.That(toldAgain, Is.EqualTo(incremental.Summary.Stages.Select(s => s.Key)));
        Assert.That(toldAgain, Does.Contain("block+scope+compare").And.Contain("score").And.Not.Contain("learn+score"));
    }

    [Test]
    public void Run_InputRowsHeldByNoCaller_AreFreedOnceNormalised()
    {
        // A million rows of input are hundreds of megabytes: the engine must not keep them alive past its first stage.
        if (typeof(UnificationEngine).Assembly.GetCustomAttributes(typeof(System.Diagnostics.DebuggableAttribute), false)
            .OfType<System.Diagnostics.DebuggableAttribute>().Any(d => d.IsJITOptimizerDisabled))
        {
            Assert.Ignore("A Debug build keeps a method's arguments alive to its end; the test command builds Release.");
        }

        var alive = new Dictionary<string, bool>();
        var result = RunUnheld(alive);

        Assert.That(result.Summary.LedgerEntities, Is.GreaterThan(0));
        Assert.That(alive.Keys, Is.EqualTo(result.Summary.Stages.Select(s => s.Key).Skip(1)));
        Assert.That(alive.Where(s => s.Value).Select(s => s.Key), Is.Empty, "stages during which the input rows were still reachable");
    }

    // Optimised so that neither this frame nor the request's holds the rows once the engine has read them (as the host's
    // caller, which is precompiled, does not).
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static UnificationResult RunUnheld(Dictionary<string, bool> alive) => UnificationEngine.Run(UnheldRequest(alive));

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static UnificationRequest UnheldRequest(Dictionary<string, bool> alive)
    {
        // Copies, so that no shared data set holds them.
        var rows = LabelledSet("restaurant").Select(r => r with { }).ToList();
        var held = new WeakReference(rows);
        return new UnificationRequest { Counterparties = rows, Progress = new Probe(held, alive) };
    }

    /// <summary>At each stage after the first, collects and records whether the input rows are still reachable.</summary>
    private sealed class Probe(WeakReference rows, Dictionary<string, bool> alive) : IProgress<string>
    {
        public void Report(string value)
        {
            if (value == "normalise")
            {
                return;
            }

            GC.Collect();
            GC.WaitForPendingFinalizers();
            alive[value] = rows.IsAlive;
        }
    }

    /// <summary>Records what it is told, on the reporting thread.</summary>
    private sealed class Recorder(List<string> told) : IProgress<string>
    {
        public void Report(string value) => told.Add(value);
    }
}
