using CrmExtensions.Unification.Internal;

namespace CrmExtensions.Unification.Tests.Internal;

public sealed class FellegiSunterTests
{
    [Test]
    public void Train_MixtureOfMatchesAndNonMatches_RecoversMatchShareAndStrongLevels()
    {
        // Candidates met on a shared name word (key field 0): 1,000 matches agreeing on address and phone,
        // 9,000 non-matches sharing only a word of the name, with other addresses and phones.
        var candidates = Gamma.Fields.Select(_ => new long[Gamma.PatternCount]).ToArray();
        candidates[0][Pattern(Gamma.NameExact, Gamma.AddressExact, Gamma.Same)] = 800;
        candidates[0][Pattern(Gamma.NameNear, Gamma.AddressNear, Gamma.Same)] = 200;
        candidates[0][Pattern(Gamma.NameOwnWords, Gamma.AddressOtherNumber, Gamma.Differ)] = 9_000;
        var random = new long[Gamma.PatternCount];
        random[Pattern(Gamma.NameDifferent, Gamma.AddressOtherNumber, Gamma.Differ)] = 99_000;
        random[Pattern(Gamma.NameOwnWords, Gamma.AddressOtherNumber, Gamma.Differ)] = 1_000;

        var model = FellegiSunter.Train(candidates, Gamma.Fields.Select(_ => new long[Gamma.PatternCount]).ToArray(), random, allPairs: 1e6);

        var address = model.Model.Fields.Single(f => f.Name == "address").Levels;
        Assert.Multiple(() =>
        {
            Assert.That(model.Model.MatchShare, Is.EqualTo(1_000 / 1e6).Within(1e-4));
            Assert.That(address.Single(l => l.Name == "exact").M, Is.EqualTo(0.8).Within(0.02));
            Assert.That(address.Single(l => l.Name == "other number").BayesFactor, Is.LessThan(0.1));
            Assert.That(model.Model.ToString(), Does.Contain("address    exact"));
        });
    }

    [Test]
    public void Train_MatchesAmongRandomPairs_LeftOutOfU()
    {
        // 1,000 matches among 1e6 pairs: a sample of 100,100 random pairs holds about 100 of them, which agree on
        // everything. Counted as non-matches they would make u of an exact name 0.001; they are matches, so u is the
        // non-matches' own (none of which agrees exactly here).
        var candidates = Gamma.Fields.Select(_ => new long[Gamma.PatternCount]).ToArray();
        candidates[0][Pattern(Gamma.NameExact, Gamma.AddressExact, Gamma.Same)] = 1_000;
        candidates[0][Pattern(Gamma.NameOwnWords, Gamma.AddressOtherNumber, Gamma.Differ)] = 9_000;
        var random = new long[Gamma.PatternCount];
        random[Pattern(Gamma.NameDifferent, Gamma.AddressOtherNumber, Gamma.Differ)] = 99_000;
        random[Pattern(Gamma.NameOwnWords, Gamma.AddressOtherNumber, Gamma.Differ)] = 1_000;
        random[Pattern(Gamma.NameExact, Gamma.AddressExact, Gamma.Same)] = 100;

        var model = FellegiSunter.Train(candidates, Gamma.Fields.Select(_ => new long[Gamma.PatternCount]).ToArray(), random, allPairs: 1e6);

        var exact = model.Model.Fields.Single(f => f.Name == "name").Levels.Single(l => l.Name == "exact");
        Assert.That(exact.U, Is.LessThan(1e-4));
    }

    [Test]
    public void Train_NoPairs_KeepsThePrior()
    {
        var model = FellegiSunter.Train([], [], new long[Gamma.PatternCount], allPairs: 1);

        Assert.That(model.Model.Fields.Single(f => f.Name == "phone").Levels[0].M, Is.EqualTo(Gamma.Fields[4].PriorM[0]));
    }

    [Test]
    public void PatternCount_EveryPatternFitsTheCompareStageNumbers()
    {
        // Scoring keeps each pair's pattern in an int, -1 meaning "not modelled"; the model a histogram of them.
        Assert.That(Gamma.PatternCount, Is.GreaterThan(0).And.LessThan(1 << 20));
        Assert.That(Gamma.FromPattern(Gamma.PatternCount - 1).Pattern, Is.EqualTo(Gamma.PatternCount - 1));
    }

    private static int Pattern(byte name, byte address, byte phone) => new Gamma(name, address, 0, 0, phone, 0, 0, 0).Pattern;
}
