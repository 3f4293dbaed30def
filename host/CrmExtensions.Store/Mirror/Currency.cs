using System.Globalization;

namespace CrmExtensions.Store.Mirror;

/// <summary>Currency codes: the one place that reads the ways ledgers write a currency and says how one is shown.</summary>
/// <remarks>
/// A ledger writes the rouble as <c>RUB</c>, the old <c>RUR</c>, the ISO numeric <c>643</c>, <c>руб.</c> or <c>₽</c>; the
/// mirror keeps the ISO 4217 letter code, so that rows of one currency are one group in every sum and every rate lookup.
/// </remarks>
public static class Currency
{
    /// <summary>The store's base currency when <c>store:baseCurrency</c> does not name one.</summary>
    public const string DefaultBase = "RUB";

    // Numeric ISO codes, symbols and local names of the currencies Russian ledgers meet; any other three-letter code is
    // taken as it is written (upper-cased).
    private static readonly Dictionary<string, string> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["643"] = "RUB", ["810"] = "RUB", ["RUR"] = "RUB", ["₽"] = "RUB", ["р"] = "RUB", ["р."] = "RUB", ["руб"] = "RUB", ["руб."] = "RUB",
        ["рубль"] = "RUB", ["рублей"] = "RUB", ["рубли"] = "RUB",
        ["840"] = "USD", ["$"] = "USD", ["US$"] = "USD", ["долл"] = "USD", ["долл."] = "USD", ["доллар"] = "USD", ["доллар сша"] = "USD",
        ["978"] = "EUR", ["€"] = "EUR", ["евро"] = "EUR",
        ["826"] = "GBP", ["£"] = "GBP",
        ["156"] = "CNY", ["¥"] = "CNY", ["юань"] = "CNY",
        ["398"] = "KZT", ["₸"] = "KZT", ["тенге"] = "KZT",
        ["933"] = "BYN", ["974"] = "BYR",
        ["756"] = "CHF", ["392"] = "JPY", ["949"] = "TRY", ["980"] = "UAH", ["₴"] = "UAH", ["051"] = "AMD", ["860"] = "UZS",
    };

    private static readonly Dictionary<string, string> Symbols = new(StringComparer.Ordinal)
    {
        ["RUB"] = "₽", ["USD"] = "$", ["EUR"] = "€", ["GBP"] = "£", ["CNY"] = "¥", ["KZT"] = "₸", ["UAH"] = "₴",
    };

    /// <summary>Reads a currency as a ledger writes it.</summary>
    /// <param name="text">A code, a symbol or a name; surrounding spaces ignored.</param>
    /// <param name="code">The ISO 4217 letter code, or null when <paramref name="text"/> is empty.</param>
    /// <returns>False when the text is no currency this knows: neither an alias nor three Latin letters.</returns>
    public static bool TryNormalize(string? text, out string? code)
    {
        code = null;
        var t = text?.Trim();
        if (string.IsNullOrEmpty(t))
        {
            return true;
        }

        if (Aliases.TryGetValue(t, out var known))
        {
            code = known;
            return true;
        }

        if (t.Length == 3 && t.All(char.IsAsciiLetter))
        {
            code = t.ToUpperInvariant();
            return true;
        }

        if (t.Length == 3 && t.All(char.IsAsciiDigit))
        {
            // An ISO numeric code this does not know: kept as written rather than guessed.
            code = t;
            return true;
        }

        return false;
    }

    /// <summary>How an amount of a currency is labelled: its sign where it has a common one (₽, $, €), else its code.</summary>
    public static string Symbol(string? code) => code is null ? "" : Symbols.TryGetValue(code, out var s) ? s : code;

    /// <summary>An amount with its currency's label after it, in a culture (<c>1 234,50 $</c>).</summary>
    public static string Format(decimal amount, string? code, CultureInfo culture) =>
        amount.ToString("N2", culture) + (code is null ? "" : " " + Symbol(code));
}
