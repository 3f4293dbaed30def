namespace CrmExtensions.Unification.Internal;

/// <summary>The comparison vector of a pair: one level per field, 0 meaning the field is missing on either side.</summary>
/// <remarks>Levels run from the strongest agreement (1) to disagreement (the last). Encoded as one small integer so
/// the model is trained on a histogram of patterns, not on millions of pairs.</remarks>
internal readonly record struct Gamma(byte Name, byte Address, byte City, byte Region, byte Phone, byte Email, byte Director, byte Birth)
{
    // The priors only matter for a ledger of a few rows: a few hundred candidate pairs and the random pairs of any real
    // ledger outweigh them (see FellegiSunter.PriorPairs and RandomPriorPairs).
    public static readonly FieldSpec[] Fields =
    [
        new("name", ["exact", "near", "contained", "partial", "weak", "own words", "different"], [0.55, 0.2, 0.08, 0.1, 0.04, 0.02, 0.01], [0.001, 0.001, 0.001, 0.002, 0.01, 0.01, 0.975]),
        new("address", ["exact", "near", "partial", "different", "other number"], [0.6, 0.2, 0.1, 0.05, 0.05], [0.001, 0.001, 0.003, 0.5, 0.495]),
        new("city", ["same", "different"], [0.9, 0.1], [0.2, 0.8]),
        new("region", ["same", "different"], [0.95, 0.05], [0.3, 0.7]),
        new("phone", ["same", "different"], [0.8, 0.2], [0.001, 0.999]),
        new("email", ["same", "near", "domain", "different"], [0.45, 0.1, 0.25, 0.2], [0.001, 0.001, 0.005, 0.993]),
        new("director", ["same", "different"], [0.8, 0.2], [0.001, 0.999]),
        new("birth date", ["same", "near", "different"], [0.85, 0.1, 0.05], [0.0005, 0.005, 0.9945]),
    ];

    /// <summary>Number of distinct patterns: the product of every field's level count (missing included).</summary>
    public static readonly int PatternCount = Fields.Aggregate(1, (n, f) => n * (f.Levels.Length + 1));

    public const byte NameExact = 1;
    public const byte NameNear = 2;
    public const byte NameContained = 3;
    public const byte NamePartial = 4;
    public const byte NameWeak = 5;
    public const byte NameOwnWords = 6;
    public const byte NameDifferent = 7;
    public const byte AddressExact = 1;
    public const byte AddressNear = 2;
    public const byte AddressPartial = 3;
    public const byte AddressDifferent = 4;
    public const byte AddressOtherNumber = 5;
    public const byte Same = 1;
    public const byte Differ = 2;
    public const byte EmailSame = 1;
    public const byte EmailNear = 2;
    public const byte EmailDomain = 3;
    public const byte EmailDiffer = 4;
    public const byte BirthSame = 1;
    public const byte BirthNear = 2;
    public const byte BirthDiffer = 3;

    public byte this[int field] => field switch
    {
        0 => Name,
        1 => Address,
        2 => City,
        3 => Region,
        4 => Phone,
        5 => Email,
        6 => Director,
        _ => Birth,
    };

    public int Pattern
    {
        get
        {
            var p = 0;
            for (var f = 0; f < Fields.Length; f++)
            {
                p = (p * (Fields[f].Levels.Length + 1)) + this[f];
            }

            return p;
        }
    }

    public static Gamma FromPattern(int pattern)
    {
        Span<byte> levels = stackalloc byte[Fields.Length];
        for (var f = Fields.Length - 1; f >= 0; f--)
        {
            var size = Fields[f].Levels.Length + 1;
            levels[f] = (byte)(pattern % size);
            pattern /= size;
        }

        return new Gamma(levels[0], levels[1], levels[2], levels[3], levels[4], levels[5], levels[6], levels[7]);
    }

    /// <summary>Every field present on both sides agrees at its strongest level, and at least the name does.</summary>
    public bool AllPresentExact =>
        Name == NameExact && Address is 0 or AddressExact && City is 0 or Same && Region is 0 or Same &&
        Phone is 0 or Same && Email is 0 or EmailSame && Director is 0 or Same && Birth is 0 or BirthSame;

    /// <summary>Something besides the name agrees: the address, the city, a contact or the birth date.</summary>
    public bool Corroborated => City == Same || ContactAgrees;

    /// <summary>The address, a phone, a mail, a director or the birth date agrees.</summary>
    public bool ContactAgrees =>
        Address is AddressExact or AddressNear or AddressPartial || Phone == Same || Email is EmailSame or EmailDomain || Director == Same ||
        Birth == BirthSame;

    /// <summary>The address, the phone, the mail, the director or the birth date disagrees.</summary>
    public bool ContactDisagrees =>
        Address is AddressDifferent or AddressOtherNumber || Phone == Differ || Email == EmailDiffer || Director == Differ || Birth == BirthDiffer;

    /// <summary>A field level's name, such as "near" or "unknown".</summary>
    public static string LevelName(int field, int level) => level == 0 ? "unknown" : Fields[field].Levels[level - 1];
}

/// <summary>A compared field: its levels (best first) and the m- and u-probabilities the estimates start from.</summary>
internal sealed record FieldSpec(string Name, string[] Levels, double[] PriorM, double[] PriorU);
