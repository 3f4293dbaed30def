using System.Text.RegularExpressions;

namespace CrmExtensions.Samples.Tests;

/// <summary>The checksum rules for INN, KPP, OGRN and OGRNIP, written from the rules themselves and not from the generator.</summary>
internal static partial class RussianRules
{
    public static bool IsInn(string? value)
    {
        if (value is null || !value.All(c => c is >= '0' and <= '9'))
        {
            return false;
        }

        int[] d = value.Select(c => c - '0').ToArray();
        int Check(int[] weights) => weights.Select((w, i) => w * d[i]).Sum() % 11 % 10;
        return value.Length switch
        {
            10 => Check([2, 4, 10, 3, 5, 9, 4, 6, 8]) == d[9],
            12 => Check([7, 2, 4, 10, 3, 5, 9, 4, 6, 8]) == d[10] && Check([3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8]) == d[11],
            _ => false,
        };
    }

    public static bool IsOgrn(string value) =>
        value.Length == 13 && value.All(char.IsAsciiDigit) && long.Parse(value[..12]) % 11 % 10 == value[12] - '0';

    public static bool IsOgrnip(string value) =>
        value.Length == 15 && value.All(char.IsAsciiDigit) && long.Parse(value[..14]) % 13 % 10 == value[14] - '0';

    public static bool IsHeadKpp(string value) => Kpp().Match(value) is { Success: true } m && m.Groups[1].Value is "01" or "50";

    public static bool IsBranchKpp(string value) => Kpp().Match(value) is { Success: true } m && m.Groups[1].Value is "02" or "03" or "04" or "05" or "31" or "32";

    [GeneratedRegex(@"^\d{4}(\d{2})\d{3}$")]
    private static partial Regex Kpp();
}
