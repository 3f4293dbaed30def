using System.Globalization;
using System.Text;
using CrmExtensions.Unification.Identifiers;
using CrmExtensions.Unification.Names;

namespace CrmExtensions.Unification.Internal;

/// <summary>Compares and scores a pair of records.</summary>
/// <remarks>
/// Two modes. When identifiers do not contradict (at most one side has a valid INN/OGRN), the pair may be one legal
/// entity typed differently: its comparison vector (<see cref="Gamma"/>) is scored by the run's learnt
/// Fellegi–Sunter model as a match probability. When both have different valid INNs, only group evidence counts:
/// shared domain, phone, director, a near-identical name in one region. In both modes names that share a distinctive
/// stem and differ only by a country or region word are a group (subsidiaries), never one legal entity.
/// </remarks>
internal sealed class PairScorer(RecordTable table, bool[] ignoredContact)
{
    private const float NameContainment = 0.85f;
    private const float AddressContainment = 0.9f;

    /// <summary>Score of a group found by name stem: a rule, like the parent column's group link (0.9).</summary>
    private const float StemGroupScore = 0.9f;

    private readonly NormalizedRecord[] _records = table.Records;
    private readonly StringPool _pool = table.Pool;
    private readonly int _named = Math.Max(1, table.Records.Count(r => r.Name.Length > 0));
    private readonly int _addressed = Math.Max(1, table.Records.Count(r => r.Address.Length > 0));
    private readonly int _phoned = Math.Max(1, table.Records.Count(r => r.Phone >= 0));
    private readonly double _log2Rows = Math.Log2(Math.Max(2, table.Count) / 2.0);

    // The pool ids of the legal forms of a person's business, whose name is the person's own and is written with
    // initials as often as in full (those the ledger has).
    private readonly int[] _personForms = [.. LegalForms.PersonForms.Select(f => table.Pool.TryGet(f, out var id) ? id : -1).Where(id => id >= 0)];

    // Words: per name word (by id), whether it is a country or world region, asked of every compared pair's own words.
    // Rows: per row, whether its name holds a word that is a place for it (IsPlace): a name-stem group needs one on
    // either side, and most names hold none, so most pairs are settled without comparing their words.
    private readonly (bool[] Words, bool[] Rows) _places = Places(table);

    /// <summary>The learnt model; until one is set, the prior alone.</summary>
    public FellegiSunter Model { get; set; } = FellegiSunter.Train([], [], new long[Gamma.PatternCount], 1);

    /// <summary>The probability a pair whose every present field agrees exactly is never scored below.</summary>
    public float LinkThreshold { get; init; } = 0.8f;

    /// <summary>A pair whose names only partly agree, with nothing else agreeing, is held just under the link
    /// threshold: never linked by the name alone.</summary>
    private float NameAloneCap => LinkThreshold - 0.05f;

    public float Score(int i, int j, out LinkRule rule, StringBuilder? explain = null) => Score(i, j, out rule, 0f, explain);

    /// <summary>Whether both rows carry the same valid INN or OGRN: linked by rule, not scored.</summary>
    public bool SameIdentity(int i, int j)
    {
        ref readonly var a = ref _records[i];
        ref readonly var b = ref _records[j];
        return (a.HasValidInn && b.HasValidInn && a.Inn == b.Inn) || (a.HasValidOgrn && b.HasValidOgrn && a.Ogrn == b.Ogrn);
    }

    /// <summary>Whether both rows carry the same valid INN and the same KPP (or neither a KPP): one registration typed twice.</summary>
    public bool SameRegistration(int i, int j) =>
        _records[i].HasValidInn && _records[j].HasValidInn && _records[i].Inn == _records[j].Inn && _records[i].Kpp == _records[j].Kpp;

    /// <summary>Whether both rows carry valid INNs (or OGRNs), which then differ: at most a group.</summary>
    public bool Contradicts(int i, int j)
    {
        ref readonly var a = ref _records[i];
        ref readonly var b = ref _records[j];
        return !SameIdentity(i, j) && ((a.HasValidInn && b.HasValidInn) || (a.HasValidOgrn && b.HasValidOgrn));
    }

    /// <summary>Scores a pair; a score that would fall below <paramref name="floor"/> may be returned as 0 without
    /// the costly part of the comparison.</summary>
    public float Score(int i, int j, out LinkRule rule, float floor, StringBuilder? explain = null)
    {
        rule = LinkRule.Similarity;
        if (SameIdentity(i, j))
        {
            // Identity links are made directly, not scored.
            return 0f;
        }

        if (Contradicts(i, j))
        {
            rule = LinkRule.GroupEvidence;
            return ScoreGroup(i, j, floor, explain);
        }

        if (StemGroup(i, j, explain))
        {
            rule = LinkRule.GroupEvidence;
            return StemGroupScore;
        }

        return ScoreGamma(i, j, Compare(i, j), explain);
    }

    /// <summary>The match probability of a pair whose identifiers do not contradict, from its comparison vector.</summary>
    public float ScoreGamma(int i, int j, Gamma g, StringBuilder? explain = null)
    {
        var model = Model;
        var log2Odds = Math.Log2(model.Lambda / (1 - model.Lambda));
        var inv = CultureInfo.InvariantCulture;
        var fields = explain is null ? null : new StringBuilder();
        for (var f = 0; f < Gamma.Fields.Length; f++)
        {
            var level = g[f];
            if (level == 0)
            {
                fields?.Append(inv, $"; {Gamma.Fields[f].Name} {Nested(i, j, g, f) ?? "unknown"}");
                continue;
            }

            var bits = model.Log2BayesFactor(f, level);
            string? note = null;
            if (f == 0 && level == Gamma.NameExact)
            {
                // Term frequency: agreeing on a name two rows carry says more than on one that fifty carry.
                // As Splink does: u of agreeing on this very name is the chance another row carries it.
                var count = NameCount(i, j);
                bits = Math.Log2(model.M(f, level) / Math.Max((count - 1.0) / Math.Max(1, _named - 1), 1.0 / _named));
                note = fields is null ? null : string.Create(inv, $" ({count} of {_named} rows{(SharedName(i, j) ? ", firms of different INNs among them" : string.Empty)})");
            }

            if (f == 1 && level == Gamma.AddressExact)
            {
                // An address ten rows share (a business centre, a casino's restaurants) says less than one two share.
                var count = table.AddressCount[i];
                bits = Math.Log2(model.M(f, level) / Math.Max((count - 1.0) / Math.Max(1, _addressed - 1), 1.0 / _addressed));
                note = fields is null ? null : string.Create(inv, $" ({count} rows at it)");
            }

            if (f == 2 && level == Gamma.Same && fields is not null && (_records[i].City < 0 || _records[j].City < 0))
            {
                note = " (written in the name)";
            }

            if (f == 4 && level == Gamma.Same)
            {
                // A phone ten rows share (a head office, a switchboard) says less than one two share.
                var count = table.PhoneCount[i];
                bits = Math.Log2(model.M(f, level) / Math.Max((count - 1.0) / Math.Max(1, _phoned - 1), 1.0 / _phoned));
                note = fields is null ? null : string.Create(inv, $" ({count} rows with it)");
            }

            if (f == 3 && level == Gamma.Differ && fields is not null && CountriesDiffer(_records[i], _records[j]))
            {
                note = $" (countries {_pool[_records[i].Country]} / {_pool[_records[j].Country]})";
            }

            if (f == 7 && level == Gamma.BirthSame && bits < StrongBits)
            {
                // Where the ledger's random pairs agree on the date about as often as its matches do (it writes
                // "1900-01-01" for every birthday it does not know), agreeing on it corroborates nothing below.
                g = g with { Birth = 0 };
            }

            log2Odds += bits;
            fields?.Append(inv, $"; {Gamma.Fields[f].Name} {Gamma.LevelName(f, level)} ×{Factor(bits)}{note}");
        }

        var raw = (float)(1 / (1 + Math.Pow(2, -log2Odds)));
        var p = raw;
        string? why = null;
        var sharedName = g.Name == Gamma.NameExact && SharedName(i, j);
        // Asked only where it decides something (every pair is scored here, and most differ in form or have none).
        var formsDiffer = (explain is not null || (g.AllPresentExact && p < LinkThreshold && !sharedName)) && FormsDiffer(i, j);
        if (formsDiffer)
        {
            fields?.Append(inv, $"; legal form {_pool[_records[i].LegalForm]} / {_pool[_records[j].LegalForm]}");
        }

        if (g.AllPresentExact && p < LinkThreshold && !sharedName && !formsDiffer)
        {
            // A name repeated fifty times is weak evidence for any one pair, yet fifty identical rows with nothing
            // that disagrees are one firm typed fifty times: never below the threshold merely because the name repeats.
            // Unless the ledger shows firms of different INNs under this very name, or the two are of different legal
            // forms ("ООО «Строй»" / "АО «Строй»", two firms whatever their name): then it is the model's to weigh.
            (p, why) = (LinkThreshold, "every field present agrees exactly");
        }
        else if (g.Name >= Gamma.NameContained && !g.Corroborated && p > NameAloneCap)
        {
            // A contained or shared word is never enough alone: at most review.
            (p, why) = (NameAloneCap, "the name alone, nothing else agrees");
        }
        else if (!g.ContactAgrees && g.ContactDisagrees && p > NameAloneCap && StronglyAgainst(g))
        {
            // The name and the place alone never outweigh an address, phone or mail that disagrees with nothing of the
            // kind agreeing: namesakes in one city, or one firm that moved — not for a machine to decide.
            (p, why) = (NameAloneCap, "a contact disagrees and none agrees");
        }
        else if (g.Name == Gamma.NameContained && !g.ContactAgrees && p > NameAloneCap && WrittenWithInitials(_records[i], _records[j]))
        {
            // A surname and initials fit every person of that surname whose names begin so ("Петров А.В.": Алексей
            // Владимирович and Андрей Викторович alike), even in one city: only an address, a phone, a mail or a director
            // that agrees makes them one.
            (p, why) = (NameAloneCap, "initials, and no address or contact agrees");
        }

        if (explain is not null)
        {
            explain.Append(inv, $"probability {p:0.000}");
            if (why is not null)
            {
                explain.Append(inv, $" (model {raw:0.000}; {why})");
            }

            explain.Append(inv, $"; prior λ {model.Lambda:0.####}").Append(fields);
        }

        return p;
    }

    /// <summary>How many rows carry the name two rows agree on: where one writes it split and the other joined, the
    /// more frequent spelling's count.</summary>
    private int NameCount(int i, int j) => Math.Max(table.NameKeyCount[_records[i].NameKey], table.NameKeyCount[_records[j].NameKey]);

    /// <summary>Whether the ledger carries the name two rows agree on under several INNs (either spelling).</summary>
    private bool SharedName(int i, int j) => table.NameKeyShared[_records[i].NameKey] || table.NameKeyShared[_records[j].NameKey];

    /// <summary>A Bayes factor of 10, "strong" on Jeffreys' scale, in bits.</summary>
    private static readonly double StrongBits = Math.Log2(10);

    /// <summary>Whether the contacts that disagree are strong evidence against a match in this ledger: its own matches
    /// disagree so at most a tenth as often as its non-matches (a Bayes factor under 1/10, "strong" on Jeffreys' scale).
    /// Where the ledger's matches often carry another house number (typed with errors), the model weighs it alone.</summary>
    private bool StronglyAgainst(Gamma g)
    {
        var bits = 0.0;
        if (g.Address is Gamma.AddressDifferent or Gamma.AddressOtherNumber)
        {
            bits += Model.Log2BayesFactor(1, g.Address);
        }

        bits += g.Phone == Gamma.Differ ? Model.Log2BayesFactor(4, g.Phone) : 0;
        bits += g.Email == Gamma.EmailDiffer ? Model.Log2BayesFactor(5, g.Email) : 0;
        bits += g.Director == Gamma.Differ ? Model.Log2BayesFactor(6, g.Director) : 0;
        bits += g.Birth == Gamma.BirthDiffer ? Model.Log2BayesFactor(7, g.Birth) : 0;
        return bits <= -StrongBits;
    }

    /// <summary>Why a place field known on both sides was not counted: the finer level that agreed already holds it
    /// (<see cref="Compare(int, int)"/> leaves the city out only when the agreeing addresses spell it).</summary>
    private string? Nested(int i, int j, Gamma g, int field) => field switch
    {
        2 when _records[i].City >= 0 && _records[j].City >= 0 => "in the address",
        3 when _records[i].Region >= 0 && _records[j].Region >= 0 => g.City == Gamma.Same ? "in the city" : "in the address",
        _ => null,
    };

    private static string Factor(double bits)
    {
        var bf = Math.Pow(2, bits);
        return bf.ToString(bf >= 100 ? "0" : bf >= 0.01 ? "0.##" : "0.####", CultureInfo.InvariantCulture);
    }

    /// <summary>The comparison vector of a pair: one level per field.</summary>
    public Gamma Compare(int i, int j)
    {
        ref readonly var a = ref _records[i];
        ref readonly var b = ref _records[j];
        // One place is evidence once: an address that agrees already names the city and the region, and a city that
        // agrees names the region. Each coarser level counts only where the finer one does not agree (as Splink nests
        // the levels of one comparison), so a shared postcode is not counted again as the same city and region.
        var address = CompareAddress(a, b);
        var placeInAddress = AddressAgrees(address) && CityInAddress(a) && CityInAddress(b);
        var name = CompareName(a, b);
        var placeInName = name != Gamma.NameExact && PlaceInName(i, j);
        var city = placeInAddress ? Match.Unknown : placeInName ? Match.Same : Compare(a.City, b.City, a.CityTokens, b.CityTokens);
        // Another country is another place whatever the city or the address says ("Acme Trading Ltd" in the UK and in
        // Ireland): as a region that differs.
        var region = CountriesDiffer(a, b) ? Match.Differ
            : placeInAddress || city == Match.Same || a.Region < 0 || b.Region < 0 ? Match.Unknown
            : a.Region == b.Region ? Match.Same : Match.Differ;
        return new Gamma(
            placeInName ? Gamma.NameExact : name,
            address,
            (byte)city,
            (byte)region,
            ComparePhone(a, b),
            CompareMail(a, b),
            a.Directors.Length == 0 || b.Directors.Length == 0 ? (byte)0 : SharedDirector(a, b) >= 0 ? Gamma.Same : Gamma.Differ,
            CompareBirth(a.Birth, b.Birth));
    }

    /// <summary>Two birth dates (yyyyMMdd, the year 0 where not known): the same day; near — one digit typed wrong, two
    /// digits side by side swapped, the day and the month swapped, or the same day and month where a year is not
    /// known; or different.</summary>
    internal static byte CompareBirth(int a, int b)
    {
        if (a == 0 || b == 0)
        {
            return 0;
        }

        if (a == b)
        {
            return Gamma.BirthSame;
        }

        if (a < 10000 || b < 10000)
        {
            return a % 10000 == b % 10000 ? Gamma.BirthNear : Gamma.BirthDiffer;
        }

        var (ya, ma, da) = (a / 10000, a / 100 % 100, a % 100);
        var (yb, mb, db) = (b / 10000, b / 100 % 100, b % 100);
        if (ya == yb && ma == db && da == mb)
        {
            return Gamma.BirthNear;
        }

        // The eight digits compared: one differs, or two side by side are swapped.
        Span<int> x = stackalloc int[8];
        Span<int> y = stackalloc int[8];
        for (var k = 7; k >= 0; k--)
        {
            (x[k], a) = (a % 10, a / 10);
            (y[k], b) = (b % 10, b / 10);
        }

        var first = -1;
        var differ = 0;
        for (var k = 0; k < 8; k++)
        {
            if (x[k] != y[k])
            {
                first = differ++ == 0 ? k : first;
            }
        }

        var near = differ == 1 ||
            (differ == 2 && first < 7 && x[first] == y[first + 1] && x[first + 1] == y[first]);
        return near ? Gamma.BirthNear : Gamma.BirthDiffer;
    }

    /// <summary>Whether one name is the other's with the other row's city written into it ("Zenith Tools Corp (London)" /
    /// "Zenith Tools Corp" of London, "Ромашка Казань" / "Ромашка" of Казань), the row that writes it having no other
    /// city: the one firm's name, and the same place.</summary>
    private bool PlaceInName(int i, int j) => PlaceInName(_records[i], _records[j]) || PlaceInName(_records[j], _records[i]);

    private static bool PlaceInName(in NormalizedRecord x, in NormalizedRecord y)
    {
        if (y.CityTokens.Length == 0 || (x.City >= 0 && x.City != y.City) || x.Name.Length <= y.Name.Length || y.Name.Length == 0)
        {
            return false;
        }

        foreach (var t in y.Name)
        {
            if (Array.IndexOf(x.Name, t) < 0)
            {
                return false;
            }
        }

        foreach (var t in x.Name)
        {
            if (Array.IndexOf(y.Name, t) < 0 && Array.IndexOf(y.CityTokens, t) < 0)
            {
                return false;
            }
        }

        return true;
    }

    private static bool AddressAgrees(byte level) => level is Gamma.AddressExact or Gamma.AddressNear or Gamma.AddressPartial;

    /// <summary>Whether the row's address spells its city (every word of it): then an address that agrees has said so.</summary>
    private static bool CityInAddress(in NormalizedRecord r)
    {
        if (r.CityTokens.Length == 0 || r.Address.Length == 0)
        {
            return false;
        }

        foreach (var t in r.CityTokens)
        {
            if (Array.IndexOf(r.Address, t) < 0)
            {
                return false;
            }
        }

        return true;
    }

    private byte CompareName(in NormalizedRecord a, in NormalizedRecord b)
    {
        if (a.Name.Length == 0 || b.Name.Length == 0)
        {
            return 0;
        }

        if (a.NameKey == b.NameKey || a.NameJoined == b.NameJoined)
        {
            // One name, whether its words are split where the other's are joined ("Exxon Mobil" / "ExxonMobil").
            return Gamma.NameExact;
        }

        if (WrittenWithInitials(a, b))
        {
            // "Петров А.В." / "Петров Алексей Владимирович": the one name held in the other, as a contained name is.
            return Gamma.NameContained;
        }

        if ((a.Acronym >= 0 && a.Acronym == b.Initials) || (b.Acronym >= 0 && b.Acronym == a.Initials))
        {
            // "IBM Corp" / "International Business Machines Corp", "ОАО «РЖД»" / "ОАО «Российские железные дороги»": the
            // one name written short in the other, as a contained name is — never enough alone.
            return Gamma.NameContained;
        }

        var (dice, inA, inB) = Similarity.Overlap(a.Name, b.Name, table.NameIdf, _pool);
        if (dice >= 0.9f)
        {
            return Gamma.NameNear;
        }

        if ((inA >= 0.95f && Distinctive(a.Name)) || (inB >= 0.95f && Distinctive(b.Name)))
        {
            return Gamma.NameContained;
        }

        if (dice <= 0f)
        {
            return Gamma.NameDifferent;
        }

        // "Ritz-Carlton Cafe" / "Ritz-Carlton Dining Room", "Orbit Foods" / "Pioneer Foods": words in common, but each
        // name has a word of its own — two firms sharing a word, more often than one firm typed twice.
        if (Similarity.BothHaveOwnWords(a.Name, b.Name, table.NameIdf, _pool))
        {
            return Gamma.NameOwnWords;
        }

        return dice >= 0.6f ? Gamma.NamePartial : Gamma.NameWeak;
    }

    /// <summary>Whether a person's name is written with initials on one side and in full on the other ("ИП Петров А.В." /
    /// "Петров Алексей Владимирович ИП"): either row is a person's business (its legal form, or a person's INN), every
    /// word of the shorter name but one is a word of the other, and that one, the initials, is spelt by the first letters
    /// of the other's remaining words, in order (a folded letter may be two or three: "Щ" is "sh").</summary>
    private bool WrittenWithInitials(in NormalizedRecord a, in NormalizedRecord b)
    {
        if (!IsPerson(a) && !IsPerson(b))
        {
            return false;
        }

        return Initials(a.Name, b.Name) || Initials(b.Name, a.Name);
    }

    /// <summary>Whether both rows name a legal form, forms of two different firms (<see cref="LegalForms.OfTwoFirms"/>).</summary>
    private bool FormsDiffer(int i, int j)
    {
        var (a, b) = (_records[i].LegalForm, _records[j].LegalForm);
        return a >= 0 && b >= 0 && a != b && LegalForms.OfTwoFirms(_pool[a], _pool[b]);
    }

    private bool IsPerson(in NormalizedRecord r) =>
        r.InnKind == InnKind.Person || (r.LegalForm >= 0 && Array.IndexOf(_personForms, r.LegalForm) >= 0);

    private bool Initials(int[] shorter, int[] longer)
    {
        if (shorter.Length < 2)
        {
            return false;
        }

        var initials = -1;
        foreach (var t in shorter)
        {
            if (Array.IndexOf(longer, t) < 0)
            {
                if (initials >= 0)
                {
                    return false;
                }

                initials = t;
            }
        }

        if (initials < 0 || _pool[initials].Length > MaxInitialsLength)
        {
            return false;
        }

        // The longer name's own words (those the shorter does not hold), in order: one to three given names.
        var own = 0;
        foreach (var t in longer)
        {
            own += Array.IndexOf(shorter, t) < 0 ? 1 : 0;
        }

        return own is >= 1 and <= 3 && Spells(_pool[initials], 0, 0);

        bool Spells(string text, int at, int from)
        {
            var w = from;
            while (w < longer.Length && Array.IndexOf(shorter, longer[w]) >= 0)
            {
                w++;
            }

            if (w == longer.Length)
            {
                return at == text.Length;
            }

            var word = _pool[longer[w]];
            for (var k = 1; k <= Math.Min(3, word.Length) && at + k <= text.Length; k++)
            {
                if (string.CompareOrdinal(text, at, word, 0, k) == 0 && Spells(text, at + k, w + 1))
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>Three initials, each folded to at most three letters.</summary>
    private const int MaxInitialsLength = 9;

    /// <summary>Whether a name is expected to occur no more often than in the pair itself: the information of its words
    /// (log2 of rows over rows carrying each word) reaches log2 of half the rows. A word many rows share never is.</summary>
    private bool Distinctive(int[] name)
    {
        var bits = 0.0;
        foreach (var t in name)
        {
            bits += Math.Log2((double)table.Count / Math.Max(1, table.NameDf[t]));
        }

        return bits >= _log2Rows;
    }

    private byte CompareAddress(in NormalizedRecord a, in NormalizedRecord b)
    {
        if (a.Address.Length == 0 || b.Address.Length == 0)
        {
            return 0;
        }

        if (Similarity.NumbersConflict(a.Address, b.Address, _pool))
        {
            // Another house number: another building, however alike the street.
            return Gamma.AddressOtherNumber;
        }

        var s = Similarity.SoftTokens(a.Address, b.Address, table.AddressIdf, _pool, AddressContainment);
        if (s < 0.85f && Similarity.JoinedAlike(a.Address, b.Address, _pool))
        {
            // "804 Northpoint" / "804 North Point St.", "Lakeshore Dr" / "Lake Shore Drive": words split or run together.
            return Gamma.AddressNear;
        }

        return s >= 0.999f ? Gamma.AddressExact : s >= 0.85f ? Gamma.AddressNear : s >= 0.6f ? Gamma.AddressPartial : Gamma.AddressDifferent;
    }

    private byte ComparePhone(in NormalizedRecord a, in NormalizedRecord b)
    {
        if (a.Phone < 0 || b.Phone < 0 || ignoredContact[a.Phone] || ignoredContact[b.Phone])
        {
            return 0;
        }

        // A phone a digit apart is another line as often as a line typed wrong: one firm's lines, or its neighbour's in a
        // business centre, are numbered in a row (a near level made EM take such a building for one firm).
        return a.Phone == b.Phone ? Gamma.Same : Gamma.Differ;
    }

    private byte CompareMail(in NormalizedRecord a, in NormalizedRecord b)
    {
        if (a.Email >= 0 && a.Email == b.Email)
        {
            return Gamma.EmailSame;
        }

        if (a.Email >= 0 && b.Email >= 0 && Similarity.Mistyped(_pool[a.Email], _pool[b.Email]))
        {
            // "evied56@harris-bailey.net" / "evihd56@earris-bailey.net": one address typed wrong, not two.
            return Gamma.EmailNear;
        }

        if (SharedDomain(a, b) >= 0)
        {
            return Gamma.EmailDomain;
        }

        return (a.Email >= 0 || a.WebDomain >= 0) && (b.Email >= 0 || b.WebDomain >= 0) ? Gamma.EmailDiffer : (byte)0;
    }

    /// <summary>Whether both rows name a country and the countries differ.</summary>
    private static bool CountriesDiffer(in NormalizedRecord a, in NormalizedRecord b) => a.Country >= 0 && b.Country >= 0 && a.Country != b.Country;

    /// <summary>Whether the names share a distinctive stem (two words or more, not all of them common) and every word
    /// either name has of its own is a country or world region, or the row's own region: a group's subsidiaries.</summary>
    /// <remarks>One name with no word of its own in two countries is not enough: a ledger may carry "Trident Chemicals"
    /// in a dozen countries for a dozen firms, its words each rare and together common. Another country there only
    /// makes the two rows' region differ (<see cref="Compare(int, int)"/>).</remarks>
    public bool StemGroup(int i, int j, StringBuilder? explain = null)
    {
        // The flags first: a byte per row stays in the cache, a row's record and name seldom do.
        if (!(_places.Rows[i] || _places.Rows[j]))
        {
            return false;
        }

        ref readonly var a = ref _records[i];
        ref readonly var b = ref _records[j];
        if (a.Name.Length < 3 && b.Name.Length < 3)
        {
            return false;
        }

        var stem = 0;
        var common = 0;
        var ownPlace = 0;
        foreach (var t in a.Name)
        {
            if (Array.IndexOf(b.Name, t) >= 0)
            {
                stem++;
                common += IsCommon(t) || IsLetters(t) ? 1 : 0;
            }
            else if (IsPlace(t, a))
            {
                ownPlace++;
            }
            else
            {
                return false;
            }
        }

        if (stem < 2 || common == stem)
        {
            return false;
        }

        foreach (var t in b.Name)
        {
            if (Array.IndexOf(a.Name, t) < 0)
            {
                if (!IsPlace(t, b))
                {
                    return false;
                }

                ownPlace++;
            }
        }

        if (ownPlace == 0)
        {
            return false;
        }

        explain?.Append(CultureInfo.InvariantCulture, $"name stem '{StemText(i, b.Name)}'; own words {Own(i, b.Name)} / {Own(j, a.Name)}");
        return true;
    }

    /// <summary>A word more rows carry than the square root of the rows (in a ledger of a hundred rows or more).</summary>
    private bool IsCommon(int token) => table.Count >= 100 && (long)table.NameDf[token] * table.NameDf[token] > table.Count;

    /// <summary>A word of one or two characters: initials, or what is left of a form written with dots that no list knows
    /// ("s c" for a Polish "s.c."), never what makes a stem a firm's own.</summary>
    private bool IsLetters(int token) => _pool[token].Length < 3;

    // A city is not enough: "Morton's of Chicago (Las Vegas)" and "(Atlanta)" are two restaurants, not subsidiaries.
    private bool IsPlace(int token, in NormalizedRecord r) => _places.Words[token] || token == r.Region;

    private static (bool[] Words, bool[] Rows) Places(RecordTable table)
    {
        var words = new bool[table.Pool.Count];
        for (var t = 0; t < words.Length; t++)
        {
            words[t] = table.NameDf[t] > 0 && PlaceWords.Contains(table.Pool[t]);
        }

        var rows = new bool[table.Count];
        for (var i = 0; i < rows.Length; i++)
        {
            foreach (var t in table.Records[i].Name)
            {
                rows[i] |= words[t] || t == table.Records[i].Region;
            }
        }

        return (words, rows);
    }


    /// <summary>The row's own spelling of the words whose folded forms the other name shares.</summary>
    private string StemText(int i, int[] other) =>
        string.Join(' ', Tokenizer.Split(table.Rows[i].Name).Where(w => Holds(other, w)));

    /// <summary>The row's own words (legal form aside) the other name lacks.</summary>
    private string Own(int i, int[] other)
    {
        var text = string.Join(' ', Tokenizer.Split(table.Rows[i].Name).Where(w => Holds(_records[i].Name, w) && !Holds(other, w)));
        return text.Length == 0 ? "-" : text;
    }

    // The pool's lookup is gone by the time links are explained: compare the folded text.
    private bool Holds(int[] tokens, string word)
    {
        var folded = TextFolding.FoldCached(word);
        foreach (var t in tokens)
        {
            if (string.Equals(_pool[t], folded, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The group evidence of two different valid INNs. With a <paramref name="floor"/> (and nothing to explain),
    /// the costly comparisons are made only while the score can still reach it: each bound below is the score summed in
    /// the same order with what is not yet compared taken as agreeing, and float addition is monotone, so a pair
    /// returned as 0 would have scored under the floor. Most pairs a rare word or an address brings together are firms
    /// with their own INNs and nothing in common: their names decide it, and their addresses are never compared.</summary>
    private float ScoreGroup(int i, int j, float floor, StringBuilder? explain)
    {
        ref readonly var a = ref _records[i];
        ref readonly var b = ref _records[j];
        if (StemGroup(i, j, explain))
        {
            return StemGroupScore;
        }

        var bounded = explain is null && floor > 0f;
        var hasAddress = a.Address.Length > 0 && b.Address.Length > 0;
        var phone = a.Phone >= 0 && a.Phone == b.Phone && !ignoredContact[a.Phone];
        var domain = SharedDomain(a, b);
        var sharedDirector = SharedDirector(a, b);
        var director = sharedDirector >= 0;
        var rarity = Rarity(a.Name, b.Name);
        var contacts = 0f;
        if (domain >= 0)
        {
            contacts += 0.5f;
        }

        if (phone)
        {
            contacts += 0.35f;
        }

        if (director)
        {
            // One person heading two companies is the classic sign of a group; with a shared phone or company
            // domain it is enough to link.
            contacts += 0.5f;
        }

        var region = CountriesDiffer(a, b) ? Match.Differ
            : a.Region < 0 || b.Region < 0 ? Match.Unknown : a.Region == b.Region ? Match.Same : Match.Differ;
        if (bounded && contacts == 0f && (0.4f * rarity) + (hasAddress ? 0.2f : 0f) < floor)
        {
            // Even the best place cannot lift a common name to the floor: no need to compare the cities.
            return 0f;
        }

        var city = Compare(a.City, b.City, a.CityTokens, b.CityTokens);
        var place = region == Match.Same || city == Match.Same ? 0.4f : region == Match.Unknown && city == Match.Unknown ? 0.2f : 0f;
        var addressTerm = hasAddress ? 0.2f : 0f;
        if (bounded && Math.Clamp(contacts + (place * rarity) + addressTerm, 0f, 1f) < floor)
        {
            return 0f;
        }

        var name = bounded && place * rarity == 0f ? 0f : Similarity.SoftTokens(a.Name, b.Name, table.NameIdf, _pool, NameContainment);
        var score = contacts;
        if (name >= 0.85f)
        {
            score += place * rarity;
        }

        if (bounded && Math.Clamp(score + addressTerm, 0f, 1f) < floor)
        {
            return 0f;
        }

        var address = hasAddress ? Similarity.SoftTokens(a.Address, b.Address, table.AddressIdf, _pool, AddressContainment) : 0f;
        if (hasAddress && address >= 0.9f)
        {
            score += 0.2f;
        }

        score = Math.Clamp(score, 0f, 1f);
        if (explain is not null)
        {
            var inv = CultureInfo.InvariantCulture;
            explain.Append(inv, $"group evidence {score:0.00}: name {name:0.00}");
            if (hasAddress)
            {
                explain.Append(inv, $"; address {address:0.00}");
            }

            explain.Append(inv, $"; city {city.ToString().ToLowerInvariant()}; region {region.ToString().ToLowerInvariant()}");
            if (phone)
            {
                explain.Append(inv, $"; phone {_pool[a.Phone]}");
            }

            if (domain >= 0)
            {
                explain.Append(inv, $"; domain {_pool[domain]}");
            }

            if (director)
            {
                explain.Append(inv, $"; director {_pool[sharedDirector]}");
            }

            if (rarity < 1f)
            {
                explain.Append(inv, $"; common name x{rarity:0.0}");
            }
        }

        return score;
    }

    private static int SharedDirector(in NormalizedRecord a, in NormalizedRecord b)
    {
        foreach (var x in a.Directors)
        {
            if (Array.IndexOf(b.Directors, x) >= 0)
            {
                return x;
            }
        }

        return -1;
    }

    private int SharedDomain(in NormalizedRecord a, in NormalizedRecord b)
    {
        foreach (var x in (ReadOnlySpan<int>)[a.EmailDomain, a.WebDomain])
        {
            if (x >= 0 && !ignoredContact[x] && (x == b.EmailDomain || x == b.WebDomain))
            {
                return x;
            }
        }

        return -1;
    }

    /// <summary>How much a name match says: a name shared by few rows says more than one shared by hundreds.</summary>
    private float Rarity(int[] a, int[] b)
    {
        var minDf = int.MaxValue;
        foreach (var x in a)
        {
            if (Array.IndexOf(b, x) >= 0)
            {
                minDf = Math.Min(minDf, table.NameDf[x]);
            }
        }

        return minDf switch
        {
            <= 3 => 1f,
            <= 20 => 0.7f,
            <= 200 => 0.65f,
            int.MaxValue => 1f,
            _ => 0.5f,
        };
    }

    private Match Compare(int x, int y, int[] xTokens, int[] yTokens)
    {
        if (x < 0 || y < 0)
        {
            return Match.Unknown;
        }

        if (x == y)
        {
            return Match.Same;
        }

        // "New York" and "New York City", "Kazan" and "Kazan'" are one place.
        return Similarity.SoftTokens(xTokens, yTokens, table.CityIdf, _pool) >= 0.75f ? Match.Same : Match.Differ;
    }

    private enum Match : byte
    {
        Unknown,
        Same,
        Differ,
    }
}
