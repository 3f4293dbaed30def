using CrmExtensions.Unification.Internal;

namespace CrmExtensions.Unification.Tests.Internal;

public sealed class PairScorerTests
{
    private const float Floor = 0.6f - 1e-4f;

    private static readonly string[] Names = ["Ромашка", "Ромашка Плюс", "Вектор", "Вектор Строй", "Альфа Трейд"];
    private static readonly string[] Regions = ["Татарстан", "Москва", null!];
    private static readonly string[] Phones = ["+7 843 111-22-33", "+7 495 222-33-44", null!];
    private static readonly string[] Mails = ["info@romashka.ru", "office@vektor.ru", null!];

    [Test]
    public void Score_TwoInnsNothingShared_ReturnsZeroUnderTheFloor()
    {
        var (scorer, _) = Scorer(
            Firm("1", "Ромашка", Inn(1), "Татарстан", null, null),
            Firm("2", "Ромашка", Inn(2), "Москва", null, null));

        var full = scorer.Score(0, 1, out _);
        var bounded = scorer.Score(0, 1, out _, Floor);

        Assert.Multiple(() =>
        {
            Assert.That(full, Is.GreaterThan(0f).And.LessThan(Floor));
            Assert.That(bounded, Is.Zero);
        });
    }

    [TestCase(19800512, 19800512, Gamma.BirthSame)]
    [TestCase(19800512, 19800513, Gamma.BirthNear)] // a digit typed wrong
    [TestCase(19800512, 19800521, Gamma.BirthNear)] // two digits side by side swapped
    [TestCase(19800512, 19080512, Gamma.BirthNear)]
    [TestCase(19800512, 19801205, Gamma.BirthNear)] // the day and the month swapped
    [TestCase(512, 19800512, Gamma.BirthNear)] // the day and month of a ledger that keeps no year
    [TestCase(512, 513, Gamma.BirthDiffer)]
    [TestCase(19800512, 19750312, Gamma.BirthDiffer)]
    [TestCase(19800512, 19800415, Gamma.BirthDiffer)]
    [TestCase(19800512, 19800125, Gamma.BirthDiffer)] // the day's digits swapped across the month: two apart
    [TestCase(0, 19800512, 0)]
    public void CompareBirth_TwoDates_Level(int a, int b, int level)
    {
        Assert.Multiple(() =>
        {
            Assert.That(PairScorer.CompareBirth(a, b), Is.EqualTo(level));
            Assert.That(PairScorer.CompareBirth(b, a), Is.EqualTo(level), "either way round");
        });
    }

    [Test]
    public void ScoreGamma_BirthDateTheLedgersRandomPairsShare_CorroboratesNothing()
    {
        var (scorer, _) = Scorer(
            new Counterparty("main", "short", "Кузнецова Анна") { Birthday = new DateOnly(1900, 1, 1) },
            new Counterparty("main", "long", "Кузнецова Анна Игоревна") { Birthday = new DateOnly(1900, 1, 1) });
        // A contained name strong enough alone, and a date that random pairs agree on as often as matches do.
        scorer.Model = FellegiSunter.FromModel(MatchModel.Restore(0.01, 2, [.. Gamma.Fields.Select(f => new ModelField(f.Name,
            [.. f.Levels.Select((level, l) => new ModelLevel(level, f.PriorM[l],
                f.Name == "name" && level == "contained" ? 1e-6 : f.Name == "birth date" && level == "same" ? f.PriorM[l] : f.PriorU[l]))]))]))!;
        var g = scorer.Compare(0, 1);
        var explain = new System.Text.StringBuilder();

        var p = scorer.ScoreGamma(0, 1, g, explain);

        Assert.Multiple(() =>
        {
            Assert.That((g.Name, g.Birth), Is.EqualTo((Gamma.NameContained, Gamma.BirthSame)));
            Assert.That(p, Is.LessThan(scorer.LinkThreshold));
            Assert.That(explain.ToString(), Does.Contain("the name alone"));
        });
    }

    [Test]
    public void Score_WithFloor_SameAsWithoutWhereverTheFloorIsReached()
    {
        var rows = new List<Counterparty>();
        var n = 0;
        foreach (var name in Names)
        {
            foreach (var region in Regions)
            {
                foreach (var phone in Phones)
                {
                    foreach (var mail in Mails)
                    {
                        n++;
                        rows.Add(Firm(n.ToString(System.Globalization.CultureInfo.InvariantCulture), name, Inn(n), region, phone, mail));
                    }
                }
            }
        }

        var (scorer, count) = Scorer([.. rows]);
        var reached = 0;
        var wrong = new List<string>();
        for (var i = 0; i < count; i++)
        {
            for (var j = i + 1; j < count; j++)
            {
                var full = scorer.Score(i, j, out var rule);
                var bounded = scorer.Score(i, j, out var boundedRule, Floor);
                if (full >= Floor)
                {
                    reached++;
                    if (bounded != full || boundedRule != rule)
                    {
                        wrong.Add($"{i}-{j}: {full} {rule} vs {bounded} {boundedRule}");
                    }
                }
                else if (bounded >= Floor)
                {
                    wrong.Add($"{i}-{j}: {full} under the floor, {bounded} with it");
                }
            }
        }

        Assert.That((wrong, reached > 0), Is.EqualTo((new List<string>(), true)));
    }

    [Test]
    public void ScoreGamma_PhoneManyRowsShare_WeighsLessThanAPhoneTwoShare()
    {
        // Two sites of one network: near names, other house numbers, one phone. Once only they carry the phone, once
        // twenty rows (the network's switchboard) do; the rest of the table is the same size both times.
        static Counterparty Site(string id, string name, string address, string? phone) =>
            new("main", id, name) { Address = address, Phone = phone };
        Counterparty[] Table(bool shared) =>
        [
            Site("a", "Centers for New Horizons Altgeld", "939 E 132nd Street", "+1 773 468 6033"),
            Site("b", "Centers for New Horizons Altgeld II", "941 E 132nd Street", "+1 773 468 6033"),
            .. Enumerable.Range(0, 20).Select(n => Site("x" + n, "Unrelated Firm " + (char)('A' + n), (100 + n) + " W Lake Street",
                shared ? "+1 773 468 6033" : "+1 312 555 " + (1000 + n))),
        ];

        float ScoreOfPair(bool shared)
        {
            var (scorer, _) = Scorer(Table(shared));
            return scorer.ScoreGamma(0, 1, scorer.Compare(0, 1));
        }

        var rare = ScoreOfPair(shared: false);
        var common = ScoreOfPair(shared: true);

        Assert.That(common, Is.LessThan(rare), $"a phone 22 rows share scored {common}, one two share {rare}");
    }

    [Test]
    public void Compare_AddressesThatSpellTheCity_CountTheCityAndRegionOnce()
    {
        // The city is in both addresses: an address that agrees has said it, and the region with it.
        var (inAddress, _) = Scorer(
            new Counterparty("main", "a", "Ресурс Логистика") { Address = "420000, г. Казань, ул. Баумана, д. 5", City = "Казань", Region = "Татарстан" },
            new Counterparty("main", "b", "Ресурс Логистика") { Address = "420000, г. Казань, ул. Баумана, д. 5", City = "Казань", Region = "Татарстан" });
        // Febrl's suburb is not in the address: it is evidence of its own, and only the region is implied by it.
        var (apart, _) = Scorer(
            new Counterparty("main", "a", "Jane Smith") { Address = "48 Goldfinch Circuit 2615", City = "Kooltuo", Region = "NSW" },
            new Counterparty("main", "b", "Jane Smith") { Address = "48 Goldfinch Circuit 2615", City = "Kooltuo", Region = "NSW" });

        var g = inAddress.Compare(0, 1);
        var h = apart.Compare(0, 1);

        Assert.Multiple(() =>
        {
            Assert.That((g.Address, g.City, g.Region), Is.EqualTo((Gamma.AddressExact, (byte)0, (byte)0)));
            Assert.That((h.Address, h.City, h.Region), Is.EqualTo((Gamma.AddressExact, Gamma.Same, (byte)0)));
            Assert.That(Explain(inAddress), Does.Contain("city in the address; region in the address"));
            Assert.That(Explain(apart), Does.Contain("city same ×").And.Contain("region in the city"));
        });
    }

    [Test]
    public void Compare_CountriesWrittenTwoWaysAgreeAndAnotherDiffers_RegionDiffersEvenWithTheAddress()
    {
        var (same, _) = Scorer(
            new Counterparty("main", "a", "Вектор-Норд") { Country = "Россия", Address = "ул. Ленина, 1" },
            new Counterparty("main", "b", "Вектор-Норд") { Country = "RU", Address = "ул. Ленина, 1" });
        var (other, _) = Scorer(
            new Counterparty("main", "a", "Вектор-Норд") { Country = "Россия", Address = "ул. Ленина, 1" },
            new Counterparty("main", "b", "Вектор-Норд") { Country = "Казахстан", Address = "ул. Ленина, 1" });

        Assert.Multiple(() =>
        {
            Assert.That(same.Compare(0, 1).Region, Is.EqualTo((byte)0), "one country, written two ways: nothing said");
            Assert.That(other.Compare(0, 1).Region, Is.EqualTo(Gamma.Differ));
            Assert.That(Explain(other), Does.Contain("region different ×").And.Contain("(countries RU / KZ)"));
        });
    }

    private static string Explain(PairScorer scorer)
    {
        var text = new System.Text.StringBuilder();
        scorer.ScoreGamma(0, 1, scorer.Compare(0, 1), text);
        return text.ToString();
    }

    private static (PairScorer Scorer, int Count) Scorer(params Counterparty[] rows)
    {
        var table = RecordTable.Build(rows, [], new ParallelOptions());
        return (new PairScorer(table, new bool[table.Pool.Count]), table.Count);
    }

    private static Counterparty Firm(string id, string name, string inn, string? region, string? phone, string? mail) =>
        new("main", id, name) { TaxId = inn, Region = region, Phone = phone, Email = mail, Address = "ул. Ленина, 1" };

    /// <summary>A valid 10-digit INN: nine digits from the seed and the check digit.</summary>
    private static string Inn(int seed)
    {
        int[] weights = [2, 4, 10, 3, 5, 9, 4, 6, 8];
        var digits = (770_000_000 + seed).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var sum = 0;
        for (var i = 0; i < 9; i++)
        {
            sum += (digits[i] - '0') * weights[i];
        }

        return digits + (sum % 11 % 10).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
