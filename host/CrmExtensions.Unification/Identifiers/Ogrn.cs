namespace CrmExtensions.Unification.Identifiers;

/// <summary>Validation of the Russian primary state registration number: OGRN (13 digits) and OGRNIP (15).</summary>
/// <remarks>
/// The last digit of an OGRN is the number formed by the first 12 digits, mod 11, mod 10;
/// of an OGRNIP, the first 14 digits, mod 13, mod 10.
/// </remarks>
public static class Ogrn
{
    /// <summary>Classifies a raw value as missing, invalid, an OGRN or an OGRNIP.</summary>
    public static OgrnKind Classify(string? value)
    {
        if (!IdentifierText.TryGetDigits(value, out var digits, out var missing))
        {
            return missing ? OgrnKind.Missing : OgrnKind.Invalid;
        }

        if (IdentifierText.AllZeros(digits))
        {
            return OgrnKind.Invalid;
        }

        return digits.Length switch
        {
            13 when long.Parse(digits.AsSpan(0, 12), System.Globalization.CultureInfo.InvariantCulture) % 11 % 10 == digits[12] - '0' => OgrnKind.LegalEntity,
            15 when long.Parse(digits.AsSpan(0, 14), System.Globalization.CultureInfo.InvariantCulture) % 13 % 10 == digits[14] - '0' => OgrnKind.SoleProprietor,
            _ => OgrnKind.Invalid,
        };
    }

    /// <summary>Returns true when the value is a valid OGRN or OGRNIP.</summary>
    public static bool IsValid(string? value) => Classify(value) is OgrnKind.LegalEntity or OgrnKind.SoleProprietor;

    /// <summary>Returns the digits of a valid OGRN or OGRNIP without spaces, or null when missing or invalid.</summary>
    public static string? Normalize(string? value) =>
        IsValid(value) && IdentifierText.TryGetDigits(value, out var digits, out _) ? digits : null;
}
