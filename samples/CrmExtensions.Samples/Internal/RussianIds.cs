using System.Globalization;

namespace CrmExtensions.Samples.Internal;

/// <summary>Check digits of Russian tax and registration numbers (INN, OGRN, OGRNIP).</summary>
internal static class RussianIds
{
    private static readonly int[] Inn10Weights = [2, 4, 10, 3, 5, 9, 4, 6, 8];
    private static readonly int[] Inn11Weights = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8];
    private static readonly int[] Inn12Weights = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8];

    /// <summary>Completes the first nine digits of an organisation's INN with its check digit.</summary>
    public static string CompleteInn10(string firstNine) => firstNine + CheckDigit(firstNine, Inn10Weights);

    /// <summary>Completes the first ten digits of a person's INN with its two check digits.</summary>
    public static string CompleteInn12(string firstTen)
    {
        var eleven = firstTen + CheckDigit(firstTen, Inn11Weights);
        return eleven + CheckDigit(eleven, Inn12Weights);
    }

    /// <summary>Completes the first twelve digits of an OGRN: (number mod 11) mod 10.</summary>
    public static string CompleteOgrn(string firstTwelve) =>
        firstTwelve + (long.Parse(firstTwelve, CultureInfo.InvariantCulture) % 11 % 10).ToString(CultureInfo.InvariantCulture);

    /// <summary>Completes the first fourteen digits of an OGRNIP: (number mod 13) mod 10.</summary>
    public static string CompleteOgrnip(string firstFourteen) =>
        firstFourteen + (long.Parse(firstFourteen, CultureInfo.InvariantCulture) % 13 % 10).ToString(CultureInfo.InvariantCulture);

    public static bool IsValidInn(string? value)
    {
        if (value is null || !value.All(char.IsAsciiDigit))
        {
            return false;
        }

        return value.Length switch
        {
            10 => CompleteInn10(value[..9]) == value,
            12 => CompleteInn12(value[..10]) == value,
            _ => false,
        };
    }

    private static char CheckDigit(string digits, int[] weights)
    {
        var sum = 0;
        for (var i = 0; i < weights.Length; i++)
        {
            sum += (digits[i] - '0') * weights[i];
        }

        return (char)('0' + (sum % 11 % 10));
    }
}
