using System.Globalization;
using System.Text;

namespace CrmExtensions.Unification.Internal;

/// <summary>Scores a pair of records; the weights are the engine's calibration, see docs/unification.md.</summary>
/// <remarks>
/// Two modes. When identifiers do not contradict (at most one side has a valid INN/OGRN), the pair may be one
/// legal entity typed differently: names and addresses carry the score, location and contacts adjust it.
/// When both have different valid INNs, only group evidence counts: shared domain, phone, director,
/// a near-identical name in one region.
/// </remarks>
internal sealed class PairScorer(RecordTable table, bool[] ignoredContact)
{
    private const float NameContainment = 0.85f;
    private const float AddressContainment = 0.9f;

    private readonly NormalizedRecord[] _records = table.Records;
    private readonly StringPool _pool = table.Pool;

    public float Score(int i, int j, out LinkRule rule, StringBuilder? explain = null) => Score(i, j, out rule, 0f, explain);

    /// <summary>Scores a pair; a score that would fall below <paramref name="floor"/> may be returned as 0 without
    /// the costly part of the comparison.</summary>
    public float Score(int i, int j, out LinkRule rule, float floor, StringBuilder? explain = null)
    {
        ref readonly var a = ref _records[i];
        ref readonly var b = ref _records[j];
        rule = LinkRule.Similarity;
        var bothInn = a.HasValidInn && b.HasValidInn;
        var bothOgrn = a.HasValidOgrn && b.HasValidOgrn;
        if ((bothInn && a.Inn == b.Inn) || (bothOgrn && a.Ogrn == b.Ogrn))
        {
            // Identity links are made directly, not scored.
            return 0f;
        }

        if ((bothInn || bothOgrn) && explain is null && floor > 0f && GroupBound(a, b, floor) < floor)
        {
            // Most pairs a rare word or an address brings together are firms with their own INNs and nothing
            // in common: no name comparison can lift them to the floor.
            rule = LinkRule.GroupEvidence;
            return 0f;
        }

        var name = Similarity.SoftTokens(a.Name, b.Name, table.NameIdf, _pool, NameContainment);
        var email = a.Email >= 0 && a.Email == b.Email;
        if (!bothInn && !bothOgrn && name < 0.4f && !email && explain is null)
        {
            // Capped at 0.5 below whatever the address says: skip the costliest part of the comparison.
            return 0f;
        }

        var hasAddress = a.Address.Length > 0 && b.Address.Length > 0;
        var address = hasAddress ? Similarity.SoftTokens(a.Address, b.Address, table.AddressIdf, _pool, AddressContainment) : 0f;
        var city = Compare(a.City, b.City, a.CityTokens, b.CityTokens);
        var region = a.Region < 0 || b.Region < 0 ? Match.Unknown : a.Region == b.Region ? Match.Same : Match.Differ;
        var phone = a.Phone >= 0 && a.Phone == b.Phone && !ignoredContact[a.Phone];
        var domain = SharedDomain(a, b);
        var sharedDirector = SharedDirector(a, b);
        var director = sharedDirector >= 0;
        var rarity = Rarity(a.Name, b.Name);

        float score;
        if (bothInn || bothOgrn)
        {
            rule = LinkRule.GroupEvidence;
            score = 0f;
            if (domain >= 0)
            {
                score += 0.5f;
            }

            if (phone)
            {
                score += 0.35f;
            }

            if (director)
            {
                // One person heading two companies is the classic sign of a group; with a shared phone or company
                // domain it is enough to link.
                score += 0.5f;
            }

            if (name >= 0.85f)
            {
                var place = region == Match.Same || city == Match.Same ? 0.4f : region == Match.Unknown && city == Match.Unknown ? 0.2f : 0f;
                score += place * rarity;
            }

            if (hasAddress && address >= 0.9f)
            {
                score += 0.2f;
            }
        }
        else
        {
            score = hasAddress ? (0.55f * name) + (0.45f * address) : name * rarity;
            var addressAgrees = hasAddress && address >= 0.6f;
            if (city == Match.Same)
            {
                score += 0.05f;
            }
            else if (city == Match.Differ && !addressAgrees)
            {
                score -= 0.35f;
            }

            if (region == Match.Differ && !addressAgrees)
            {
                score -= 0.2f;
            }

            if (phone)
            {
                score += 0.2f;
            }

            if (email)
            {
                score += 0.3f;
            }
            else if (domain >= 0)
            {
                score += 0.1f;
            }

            if (director)
            {
                score += 0.05f;
            }

            if (name < 0.4f && !email)
            {
                // Contacts alone do not make two differently named rows one organisation.
                score = Math.Min(score, 0.5f);
            }

            if (Similarity.BothHaveOwnWords(a.Name, b.Name, table.NameIdf, _pool))
            {
                // Each name has a word of its own: two firms sharing a word, or a misspelling too far to be sure.
                score = Math.Min(score, 0.75f);
            }

            var phonesDiffer = a.Phone >= 0 && b.Phone >= 0 && !phone;
            var mailDiffers = a.Email >= 0 && b.Email >= 0 && !email && domain < 0;
            if (phonesDiffer && mailDiffers)
            {
                // Both rows give a phone and a mail, and neither agrees: a namesake, not the same firm typed twice.
                score = Math.Min(score, 0.75f);
            }

            if (hasAddress && address < 0.5f && !phone && !email)
            {
                // The same name at another address with no contact in common: two firms, or one that moved.
                // Not for a machine to decide: at most review.
                score = Math.Min(score, 0.75f);
            }
        }

        score = Math.Clamp(score, 0f, 1f);
        if (explain is not null)
        {
            var inv = CultureInfo.InvariantCulture;
            explain.Append(inv, $"name {name:0.00}");
            if (hasAddress)
            {
                explain.Append(inv, $"; address {address:0.00}");
            }

            explain.Append(inv, $"; city {city.ToString().ToLowerInvariant()}; region {region.ToString().ToLowerInvariant()}");
            if (phone)
            {
                explain.Append(inv, $"; phone {_pool[a.Phone]}");
            }

            if (email)
            {
                explain.Append(inv, $"; email {_pool[a.Email]}");
            }
            else if (domain >= 0)
            {
                explain.Append(inv, $"; domain {_pool[domain]}");
            }

            if (director)
            {
                explain.Append(inv, $"; director {_pool[sharedDirector]}");
            }

            if (rarity < 1f && !hasAddress)
            {
                explain.Append(inv, $"; common name x{rarity:0.0}");
            }
        }

        return score;
    }

    /// <summary>The most a pair of two different valid INNs can score: the group branch below with the name and
    /// address taken as agreeing; summed in the same order, so it is never below the real score.</summary>
    private float GroupBound(in NormalizedRecord a, in NormalizedRecord b, float floor)
    {
        var phone = a.Phone >= 0 && a.Phone == b.Phone && !ignoredContact[a.Phone];
        if (phone || SharedDomain(a, b) >= 0 || SharedDirector(a, b) >= 0)
        {
            return float.MaxValue;
        }

        var rarity = Rarity(a.Name, b.Name);
        var address = a.Address.Length > 0 && b.Address.Length > 0 ? 0.2f : 0f;
        var best = 0f;
        best += 0.4f * rarity;
        if (best + address < floor)
        {
            // Even the best place cannot lift a common name to the floor: no need to compare the cities.
            return best + address;
        }

        var region = a.Region < 0 || b.Region < 0 ? Match.Unknown : a.Region == b.Region ? Match.Same : Match.Differ;
        var place = 0f;
        if (region == Match.Same)
        {
            place = 0.4f;
        }
        else
        {
            var city = Compare(a.City, b.City, a.CityTokens, b.CityTokens);
            place = city == Match.Same ? 0.4f : region == Match.Unknown && city == Match.Unknown ? 0.2f : 0f;
        }

        var bound = 0f;
        bound += place * rarity;
        return bound + address;
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

    private enum Match
    {
        Unknown,
        Same,
        Differ,
    }
}
