using System.Globalization;

namespace CrmExtensions.Samples.Internal;

/// <summary>The identifiers of a sample: INNs, OGRNs, phone numbers, mailboxes and domains, each unique where a real one is.</summary>
/// <remarks>
/// A shared INN, OGRN, number, mailbox or domain is evidence to the unification engine, so the sample only ever repeats
/// one on purpose. The registries are the only memory that grows with the size of the sample.
/// </remarks>
internal sealed class Identifiers
{
    private const int PhoneSpace = 8_000_000;

    private static readonly string[] MobileCodes = ["903", "905", "909", "912", "915", "916", "925", "926", "950", "977", "985", "999"];

    private readonly Rng _rng;
    private readonly uint[] _phoneKeys;
    private readonly int _reservedNumbers;
    private readonly HashSet<long> _usedInns = [];
    private readonly HashSet<long> _usedOgrns = [];
    private readonly HashSet<string> _usedDomains = new(StringComparer.Ordinal);
    private int _nextPhone;
    private long _nextMail;

    /// <summary>Creates the registries; the first <paramref name="reservedNumbers"/> phone numbers are kept for
    /// <see cref="ReservedNumber"/>.</summary>
    public Identifiers(Rng rng, int seed, int reservedNumbers)
    {
        _rng = rng;
        var keys = new Rng(~(long)seed);
        _phoneKeys = [.. Enumerable.Range(0, 4).Select(_ => (uint)keys.NextUInt64())];
        _reservedNumbers = reservedNumbers;
        _nextPhone = reservedNumbers;
    }

    /// <summary>Reserved subscriber number <paramref name="index"/> (0 to the reserved count − 1), the same on every call.</summary>
    public int ReservedNumber(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, _reservedNumbers);
        return Permute(index);
    }

    /// <summary>A subscriber number no one else has.</summary>
    public int NewNumber() => Permute(_nextPhone++);

    public string TaxOffice(Region region) =>
        region.Code + _rng.Next(1, region.TaxOffices + 1).ToString("D2", CultureInfo.InvariantCulture);

    public string NewInn10(string office)
    {
        while (true)
        {
            var inn = RussianIds.CompleteInn10(office + _rng.Next(100_000).ToString("D5", CultureInfo.InvariantCulture));
            if (_usedInns.Add(long.Parse(inn, CultureInfo.InvariantCulture)))
            {
                return inn;
            }
        }
    }

    public string NewInn12(string office)
    {
        while (true)
        {
            var inn = RussianIds.CompleteInn12(office + _rng.Next(1_000_000).ToString("D6", CultureInfo.InvariantCulture));
            if (_usedInns.Add(long.Parse(inn, CultureInfo.InvariantCulture)))
            {
                return inn;
            }
        }
    }

    public string NewOgrn(Region region, int year)
    {
        while (true)
        {
            var first = string.Create(CultureInfo.InvariantCulture, $"1{year % 100:D2}{region.Code}{_rng.Next(1, 100):D2}{_rng.Next(100_000):D5}");
            var ogrn = RussianIds.CompleteOgrn(first);
            if (_usedOgrns.Add(long.Parse(ogrn, CultureInfo.InvariantCulture)))
            {
                return ogrn;
            }
        }
    }

    public string NewOgrnip(Region region, int year)
    {
        while (true)
        {
            var first = string.Create(CultureInfo.InvariantCulture, $"3{year % 100:D2}{region.Code}{_rng.Next(1_000_000_000):D9}");
            var ogrnip = RussianIds.CompleteOgrnip(first);
            if (_usedOgrns.Add(long.Parse(ogrnip, CultureInfo.InvariantCulture)))
            {
                return ogrnip;
            }
        }
    }

    /// <summary>An INN that fails the rules in one of the ways real ledgers do, or none at all.</summary>
    public string? InvalidInn(string office)
    {
        var valid = NewInn10(office);
        switch (_rng.Next(10))
        {
            case < 4:
                var last = valid[^1] - '0';
                return valid[..^1] + (char)('0' + ((last + 1 + _rng.Next(9)) % 10));
            case 4:
                var at = _rng.Next(2, 9);
                return valid[..at] + (_rng.Chance(0.5) ? "О" : "O") + valid[(at + 1)..];
            case 5:
                return valid[..^1];
            case 6:
                return valid + _rng.Next(10).ToString(CultureInfo.InvariantCulture);
            case 7:
                return "1234567890";
            default:
                return null;
        }
    }

    public (string Code, int Number, string Text) NewLandline(City city)
    {
        var number = NewNumber();
        return (city.PhoneCode, number, Spelling.Phone(_rng, city.PhoneCode, number));
    }

    public string NewMobile()
    {
        var code = _rng.Pick(MobileCodes);
        return Spelling.Phone(_rng, code, NewNumber());
    }

    /// <summary>A free-mail address whose mailbox is unique: sharing only mail.ru must never look like evidence.</summary>
    public string NewFreeMail(string text)
    {
        var slug = Spelling.ToSlug(text);
        if (slug.Length == 0)
        {
            slug = "client";
        }

        return string.Create(CultureInfo.InvariantCulture, $"{slug}{++_nextMail}@{_rng.Pick(Vocabulary.FreeMailDomains)}");
    }

    /// <summary>A company's own domain, never shared with another client.</summary>
    public string NewDomain(string brand, string tld, string? hint)
    {
        var slug = Spelling.ToSlug(brand);
        if (slug.Length == 0)
        {
            slug = "firm";
        }

        var candidate = $"{slug}.{tld}";
        if (_usedDomains.Add(candidate))
        {
            return candidate;
        }

        if (hint is not null)
        {
            candidate = $"{slug}-{Spelling.ToSlug(hint)}.{tld}";
            if (_usedDomains.Add(candidate))
            {
                return candidate;
            }
        }

        while (true)
        {
            candidate = string.Create(CultureInfo.InvariantCulture, $"{slug}{_rng.Next(2, 100_000)}.{tld}");
            if (_usedDomains.Add(candidate))
            {
                return candidate;
            }
        }
    }

    /// <summary>Maps a counter one-to-one onto seven-digit subscriber numbers 2000000–9999999 that look random.</summary>
    /// <remarks>A four-round Feistel network over 24 bits with cycle walking: numbers never repeat, so a shared number is always meant.</remarks>
    private int Permute(int counter)
    {
        if (counter >= PhoneSpace)
        {
            throw new InvalidOperationException("The sample ran out of unique phone numbers.");
        }

        var x = (uint)counter;
        do
        {
            var left = x >> 12;
            var right = x & 0xFFF;
            foreach (var key in _phoneKeys)
            {
                (left, right) = (right, left ^ (Mix(right ^ key) & 0xFFF));
            }

            x = (left << 12) | right;
        }
        while (x >= PhoneSpace);

        return (int)x + 2_000_000;
    }

    private static uint Mix(uint v)
    {
        v ^= v >> 7;
        v *= 0x9E3779B1;
        v ^= v >> 15;
        v *= 0x85EBCA77;
        return v ^ (v >> 13);
    }
}
