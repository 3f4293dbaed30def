using System.Globalization;

namespace CrmExtensions.Plugins.Greetings;

/// <summary>Russian plurals for the greetings.</summary>
internal static class Words
{
    /// <summary>"1 год", "2 года", "5 лет", "11 лет", "21 год".</summary>
    public static string Years(int n)
    {
        var last = Math.Abs(n) % 100;
        var word = last is >= 11 and <= 14 ? "лет" : (last % 10) switch
        {
            1 => "год",
            2 or 3 or 4 => "года",
            _ => "лет",
        };
        return n.ToString(CultureInfo.InvariantCulture) + " " + word;
    }
}
