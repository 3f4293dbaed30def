namespace CrmExtensions.Unification.Identifiers;

/// <summary>Validation of the Russian taxpayer identification number (INN).</summary>
/// <remarks>
/// 10 digits for an organisation (one check digit), 12 for a person or sole proprietor (two).
/// Each check digit is the weighted sum of the preceding digits, mod 11, mod 10.
/// Spaces around and inside the value are tolerated because ledgers store them; anything else is invalid.
/// </remarks>
public static class Inn
{
    private static readonly int[] Weights10 = [2, 4, 10, 3, 5, 9, 4, 6, 8];
    private static readonly int[] Weights11 = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8];
    private static readonly int[] Weights12 = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8];

    /// <summary>Classifies a raw value as missing, invalid, an organisation's INN or a person's INN.</summary>
    public static InnKind Classify(string? value)
    {
        if (!IdentifierText.TryGetDigits(value, out var digits, out var missing))
        {
            return missing ? InnKind.Missing : InnKind.Invalid;
        }

        // All zeros passes the checksum but is the placeholder ledgers use for "unknown".
        if (IdentifierText.AllZeros(digits))
        {
            return InnKind.Invalid;
        }

        return digits.Length switch
        {
            10 when Check(digits, Weights10) == digits[9] - '0' => InnKind.Organisation,
            12 when Check(digits, Weights11) == digits[10] - '0' && Check(digits, Weights12) == digits[11] - '0' => InnKind.Person,
            _ => InnKind.Invalid,
        };
    }

    /// <summary>Returns true when the value is a valid 10- or 12-digit INN.</summary>
    public static bool IsValid(string? value) => Classify(value) is InnKind.Organisation or InnKind.Person;

    /// <summary>Returns the digits of a valid INN without spaces, or null when the value is missing or invalid.</summary>
    public static string? Normalize(string? value) =>
        IsValid(value) && IdentifierText.TryGetDigits(value, out var digits, out _) ? digits : null;

    private static int Check(string digits, int[] weights)
    {
        var sum = 0;
        for (var i = 0; i < weights.Length; i++)
        {
            sum += (digits[i] - '0') * weights[i];
        }

        return sum % 11 % 10;
    }
}
