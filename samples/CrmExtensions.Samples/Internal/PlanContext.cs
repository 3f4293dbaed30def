using System.Globalization;
using System.Text;

namespace CrmExtensions.Samples.Internal;

/// <summary>What every planner of a sample draws from: the one random sequence, the as-of day, the identifiers, the
/// ledgers and their managers, places, people, brand names and the numbering of clients and legal entities.</summary>
/// <remarks>
/// Every draw advances the one <see cref="Rng"/>: the planners and the writer must call in the same order for the same
/// options, which is what makes a sample byte-for-byte reproducible.
/// </remarks>
internal sealed class PlanContext
{
    private static readonly int[] Terms = [0, 7, 10, 14, 14, 30, 30, 30, 45, 60];

    private readonly Rng _rng;
    private readonly DateOnly _asOf;
    private readonly double[] _ledgerCumulative;
    private readonly double[][] _managerCumulative;
    private readonly string[] _recentBrands = new string[512];
    private int _recentBrandCount;
    private int _nextEntity;
    private int _nextClient;

    public PlanContext(Rng rng, DateOnly asOf, Identifiers ids, int ledgers, int managersPerLedger)
    {
        _rng = rng;
        _asOf = asOf;
        Ids = ids;
        LedgerCount = ledgers;
        _ledgerCumulative = Rng.Cumulative(Enumerable.Range(0, ledgers).Select(i => 1.0 / (1.0 + (0.5 * i))).ToArray());
        _managerCumulative = new double[ledgers][];
        for (var i = 0; i < ledgers; i++)
        {
            _managerCumulative[i] = Rng.Cumulative(Enumerable.Range(0, managersPerLedger).Select(m => Math.Pow(m + 1, -0.8)).ToArray());
        }
    }

    public Rng Rng => _rng;

    public DateOnly AsOf => _asOf;

    public Identifiers Ids { get; }

    public int LedgerCount { get; }

    /// <summary>Whether a brand was already given, for <see cref="RecentBrand"/>.</summary>
    public bool HasRecentBrands => _recentBrandCount > 0;

    /// <summary>One of the last brands given: a namesake's.</summary>
    public string RecentBrand() => _recentBrands[_rng.Next(Math.Min(_recentBrandCount, _recentBrands.Length))];

    public int PickLedger() => _rng.PickWeighted(_ledgerCumulative);

    public int PickManager(int ledger) => _rng.PickWeighted(_managerCumulative[ledger]);

    public int MaybeManager(int ledger) => _rng.Chance(0.05) ? -1 : PickManager(ledger);

    public Region PickRegion() => Vocabulary.Regions[_rng.PickWeighted(Vocabulary.RegionCumulative)];

    public string CityText(City city) => _rng.Next(20) switch
    {
        < 15 => city.Name,
        < 18 => "г. " + city.Name,
        _ => city.Name.ToUpperInvariant(),
    };

    public string Address(Region region, City city)
    {
        var postcode = city.Postcode + _rng.Next(0, 1000).ToString("D3", CultureInfo.InvariantCulture);
        postcode = postcode.PadRight(6, '0')[..6];
        var builder = new StringBuilder(96);
        builder.Append(CultureInfo.InvariantCulture, $"{postcode}, ");
        if (region.Code is not ("77" or "78"))
        {
            builder.Append(region.Name).Append(", ");
        }

        builder.Append(CultureInfo.InvariantCulture, $"г. {city.Name}, {_rng.Pick(Vocabulary.StreetKinds)} {_rng.Pick(Vocabulary.Streets)}, д. {_rng.Next(1, 120)}");
        if (_rng.Chance(0.4))
        {
            builder.Append(CultureInfo.InvariantCulture, $", оф. {_rng.Next(1, 600)}");
        }

        return builder.ToString();
    }

    public PersonName NewPerson()
    {
        var female = _rng.Chance(0.45);
        var surname = _rng.Pick(Vocabulary.Surnames);
        if (female)
        {
            surname = surname.EndsWith("ий", StringComparison.Ordinal) ? surname[..^2] + "ая" : surname + "а";
        }

        var first = female ? _rng.Pick(Vocabulary.FemaleFirst) : _rng.Pick(Vocabulary.MaleFirst);
        var (male, fem) = _rng.Pick(Vocabulary.Patronymics);
        return new PersonName(surname, first, _rng.Chance(0.96) ? (female ? fem : male) : null, female);
    }

    public DateOnly AdultBirthday() => _asOf.AddDays(-_rng.Next(22 * 365, 66 * 365));

    public DateOnly NewCreated() => _asOf.AddDays(-_rng.Next(30, 8 * 365));

    public int RegistrationYear(DateOnly created) => Math.Max(2002, created.Year - _rng.Next(0, 10));

    public string NewBrand()
    {
        string Join(string a, string b) => _rng.Next(4) switch
        {
            0 => a + b,
            1 => a + b.ToLowerInvariant(),
            2 => $"{a} {b}",
            _ => $"{a}-{b}",
        };

        var roll = _rng.Next(100);
        var brand = roll switch
        {
            < 30 => Join(_rng.Pick(Vocabulary.CommonWords), _rng.Pick(Vocabulary.Suffixes)),
            < 52 => _rng.Pick(Vocabulary.RareWords),
            < 72 => Join(_rng.Pick(Vocabulary.RareWords), _rng.Pick(Vocabulary.Suffixes)),
            < 80 => _rng.Pick(Vocabulary.CommonWords),
            < 90 => string.Create(CultureInfo.InvariantCulture, $"{_rng.Pick(Vocabulary.CommonWords)}-{_rng.Next(1, 100)}"),
            _ => $"{_rng.Pick(Vocabulary.RareWords)}-{_rng.Pick(Vocabulary.RareWords)}",
        };
        _recentBrands[_recentBrandCount++ % _recentBrands.Length] = brand;
        return brand;
    }

    public ClientProfile NewClient(EntityKind kind)
    {
        var currency = "643";
        if (kind == EntityKind.Foreign)
        {
            currency = _rng.Next(10) switch
            {
                < 6 => "978",
                < 8 => "840",
                _ => "643",
            };
        }

        return new ClientProfile
        {
            Id = "C" + (++_nextClient).ToString("D7", CultureInfo.InvariantCulture),
            AmountScale = _rng.Pareto(1.3, 400),
            Activity = _rng.LogNormalFactor(0.8),
            Reliability = _rng.Chance(0.1) ? 0.45 : 0.88,
            TermDays = _rng.Pick(Terms),
            Currency = currency,
        };
    }

    public string NewEntityId() => "LE" + (++_nextEntity).ToString("D7", CultureInfo.InvariantCulture);
}
