using System.Globalization;
using CrmExtensions.Store.Mirror;

namespace CrmExtensions.Ledger.Reading;

/// <summary>Converts ledger values of whatever type the ledger keeps into the mirror's canonical values.</summary>
/// <remarks>
/// Real ledgers keep money as REAL, INTEGER, DECIMAL or text ("1 234,56 ₽"), dates as text in several formats,
/// Unix seconds, yyyyMMdd numbers or Julian days, and keys with trailing spaces. Every conversion either gives a
/// value or says why it cannot; nothing is guessed silently.
/// </remarks>
public static class ValueConverter
{
    private static readonly string[] DateFormats =
    [
        "yyyy-MM-dd", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF",
        "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd HH:mm", "dd.MM.yyyy", "dd.MM.yyyy H:mm:ss",
        "dd.MM.yyyy HH:mm", "yyyyMMdd", "yyyy/MM/dd",
    ];

    /// <summary>Converts one value.</summary>
    /// <param name="type">The canonical column's type.</param>
    /// <param name="value">The value as the provider returned it; <see cref="DBNull"/> and null are both null.</param>
    /// <param name="result">The canonical value: a string, a long (money) or null.</param>
    /// <param name="error">Why the value could not be converted.</param>
    public static bool TryConvert(ColumnType type, object? value, out object? result, out string? error)
    {
        error = null;
        result = null;
        if (value is null or DBNull)
        {
            return true;
        }

        switch (type)
        {
            case ColumnType.Text:
                result = Text(value);
                return true;
            case ColumnType.Stamp:
                result = Stamp(value);
                return true;
            case ColumnType.Currency:
                if (Currency.TryNormalize(Text(value), out var code))
                {
                    result = code;
                    return true;
                }

                error = "not a currency (write an ISO 4217 code such as RUB, USD, EUR, the numeric 643, or ₽, $, €)";
                return false;
            case ColumnType.Money:
                if (TryMoney(value, out var amount, out error))
                {
                    result = amount;
                    return true;
                }

                return false;
            case ColumnType.Date:
                if (TryDate(value, out var date, out error))
                {
                    // 01.01.0001 is no day a ledger recorded but its empty date (1C's "ПустаяДата", .NET's default): empty,
                    // or every unknown birthday would be greeted on New Year's Day.
                    result = date == DateOnly.MinValue ? null : date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                    return true;
                }

                return false;
            default:
                throw new ArgumentOutOfRangeException(nameof(type), type, null);
        }
    }

    /// <summary>Whether values of a provider's CLR type can convert to a canonical type at all.</summary>
    public static bool IsCompatible(ColumnType type, Type clrType)
    {
        var t = Nullable.GetUnderlyingType(clrType) ?? clrType;
        return type switch
        {
            ColumnType.Text or ColumnType.Stamp => t != typeof(bool) || type == ColumnType.Text,
            ColumnType.Currency => t == typeof(string) || t == typeof(long) || t == typeof(int) || t == typeof(short),
            ColumnType.Money => IsNumber(t) || t == typeof(string),
            ColumnType.Date => t == typeof(DateTime) || t == typeof(DateOnly) || t == typeof(DateTimeOffset) || t == typeof(string)
                || t == typeof(long) || t == typeof(int) || t == typeof(double),
            _ => false,
        };
    }

    /// <summary>A value shown in a message: short, on one line.</summary>
    public static string Show(object? value) => value switch
    {
        null or DBNull => "NULL",
        byte[] b => "0x" + Convert.ToHexString(b.AsSpan(0, Math.Min(b.Length, 16))) + (b.Length > 16 ? "…" : ""),
        _ => Truncate(Convert.ToString(value, CultureInfo.InvariantCulture)!.ReplaceLineEndings(" ")),
    };

    private static string Truncate(string s) => s.Length <= 60 ? s : s[..60] + "…";

    private static bool IsNumber(Type t) =>
        t == typeof(long) || t == typeof(int) || t == typeof(short) || t == typeof(byte) || t == typeof(decimal)
        || t == typeof(double) || t == typeof(float);

    private static string? Text(object value)
    {
        var s = value switch
        {
            string str => str,
            double d => d.ToString("R", CultureInfo.InvariantCulture),
            float f => f.ToString("R", CultureInfo.InvariantCulture),
            decimal m => m.ToString(CultureInfo.InvariantCulture),
            DateTime dt => dt.ToString(dt.TimeOfDay == TimeSpan.Zero ? "yyyy-MM-dd" : "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture),
            byte[] bytes => Convert.ToHexString(bytes),
            IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "",
        };
        var trimmed = s.Trim();
        return trimmed.Length == 0 ? null : trimmed;
    }

    private static string? Stamp(object value) => value switch
    {
        DateTime dt => dt.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff", CultureInfo.InvariantCulture),
        DateTimeOffset dto => dto.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture),
        byte[] bytes => "0x" + Convert.ToHexString(bytes),
        _ => Text(value),
    };

    private static bool TryMoney(object value, out long amount, out string? error)
    {
        amount = 0;
        error = null;
        decimal d;
        try
        {
            switch (value)
            {
                case decimal m:
                    d = m;
                    break;
                case long or int or short or byte:
                    d = Convert.ToDecimal(value, CultureInfo.InvariantCulture);
                    break;
                case double or float:
                    var dbl = Convert.ToDouble(value, CultureInfo.InvariantCulture);
                    if (double.IsNaN(dbl) || double.IsInfinity(dbl))
                    {
                        error = "not a finite number";
                        return false;
                    }

                    d = (decimal)dbl;
                    break;
                case string s:
                    if (!TryParseMoneyText(s, out d))
                    {
                        error = "not an amount of money";
                        return false;
                    }

                    break;
                default:
                    error = $"a {value.GetType().Name} is not an amount of money";
                    return false;
            }

            amount = Money.ToStored(d);
            return true;
        }
        catch (OverflowException)
        {
            error = "amount out of range";
            return false;
        }
    }

    /// <summary>Parses "1234.56", "1 234,56", "1,234.56", "1.234,56", "-12,5 ₽", "1234 руб.".</summary>
    /// <remarks>
    /// With both '.' and ',' the later one is the decimal separator. A separator that occurs more than once groups
    /// thousands. A single separator is the decimal one: "12,345" is 12.345 (Russian ledgers write a decimal comma).
    /// </remarks>
    internal static bool TryParseMoneyText(string text, out decimal amount)
    {
        amount = 0;
        var core = new System.Text.StringBuilder(text.Length);
        var seenDigit = false;
        var afterNumber = false;
        var lastWasLetter = false;
        foreach (var c in text.Trim())
        {
            var letter = lastWasLetter;
            lastWasLetter = char.IsLetter(c);
            if (c == '.' && letter)
            {
                // The dot of an abbreviation: "руб.", "р.".
                continue;
            }

            if (char.IsDigit(c) || c is '.' or ',' || (c is '-' or '+' && !seenDigit))
            {
                if (afterNumber)
                {
                    return false;
                }

                seenDigit |= char.IsDigit(c);
                core.Append(c);
            }
            else if (char.IsWhiteSpace(c) || c is '\'' or '\u2009' or '\u202F' or '\u00A0')
            {
                // Group separators as Russian and Swiss accounting write them.
            }
            else if (char.IsLetter(c) || char.GetUnicodeCategory(c) == UnicodeCategory.CurrencySymbol)
            {
                // A currency word or symbol ("₽", "руб.", "RUB", "$") may stand before or after the number, not inside it.
                afterNumber = seenDigit;
            }
            else
            {
                return false;
            }
        }

        if (!seenDigit)
        {
            return false;
        }

        var s = core.ToString();
        var lastDot = s.LastIndexOf('.');
        var lastComma = s.LastIndexOf(',');
        char? decimalSeparator = (lastDot, lastComma) switch
        {
            (>= 0, >= 0) => lastDot > lastComma ? '.' : ',',
            (>= 0, _) => s.Count(c => c == '.') == 1 ? '.' : null,
            (_, >= 0) => s.Count(c => c == ',') == 1 ? ',' : null,
            _ => null,
        };
        if (!GroupsAreThousands(s, decimalSeparator))
        {
            return false;
        }

        var normalized = new System.Text.StringBuilder(s.Length);
        foreach (var c in s)
        {
            if (c is '.' or ',')
            {
                if (c == decimalSeparator)
                {
                    normalized.Append('.');
                }

                continue;
            }

            normalized.Append(c);
        }

        return decimal.TryParse(normalized.ToString(), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out amount);
    }

    /// <summary>Group separators stand between groups of three digits: "1 234 567", not "05.02.2024".</summary>
    private static bool GroupsAreThousands(string s, char? decimalSeparator)
    {
        var end = decimalSeparator is { } d ? s.LastIndexOf(d) : s.Length;
        var groups = s[..end].TrimStart('-', '+').Split('.', ',');
        if (groups.Length == 1)
        {
            return true;
        }

        return groups[0].Length is >= 1 and <= 3 && groups.Skip(1).All(g => g.Length == 3);
    }

    private static bool TryDate(object value, out DateOnly? date, out string? error)
    {
        date = null;
        error = null;
        switch (value)
        {
            case DateTime dt:
                date = DateOnly.FromDateTime(dt);
                return true;
            case DateOnly d:
                date = d;
                return true;
            case DateTimeOffset dto:
                date = DateOnly.FromDateTime(dto.DateTime);
                return true;
            case string s:
                var text = s.Trim();
                if (text.Length == 0)
                {
                    return true;
                }

                if (TryFastDate(text, out var fast))
                {
                    date = fast;
                    return true;
                }

                if (DateTime.TryParseExact(text, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var parsed))
                {
                    date = DateOnly.FromDateTime(parsed);
                    return true;
                }

                error = "not a date (expected yyyy-MM-dd, dd.MM.yyyy or an ISO timestamp)";
                return false;
            case long or int:
                return TryDateNumber(Convert.ToInt64(value, CultureInfo.InvariantCulture), out date, out error);
            case double dbl when dbl >= 2_000_000 && dbl < 3_000_000:
                // A Julian day, as SQLite's julianday() keeps dates.
                date = DateOnly.FromDateTime(new DateTime(2000, 1, 1, 12, 0, 0, DateTimeKind.Unspecified).AddDays(dbl - 2_451_545.0));
                return true;
            case double dbl when dbl == Math.Floor(dbl) && Math.Abs(dbl) < long.MaxValue:
                return TryDateNumber((long)dbl, out date, out error);
            default:
                error = $"a {value.GetType().Name} is not a date";
                return false;
        }
    }

    /// <summary>The two shapes nearly every ledger uses, "yyyy-MM-dd…" and "dd.MM.yyyy…", without the general parser's cost.</summary>
    private static bool TryFastDate(string text, out DateOnly date)
    {
        date = default;
        if (text.Length < 10 || (text.Length > 10 && text[10] is not (' ' or 'T')))
        {
            return false;
        }

        int year, month, day;
        if (text[4] == '-' && text[7] == '-')
        {
            (year, month, day) = (Digits(text, 0, 4), Digits(text, 5, 2), Digits(text, 8, 2));
        }
        else if (text[2] == '.' && text[5] == '.')
        {
            (day, month, year) = (Digits(text, 0, 2), Digits(text, 3, 2), Digits(text, 6, 4));
        }
        else
        {
            return false;
        }

        if (text.Length > 10 && !DateTime.TryParseExact(text, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out _))
        {
            // Only the date part was read here; a malformed time part still makes the value unreadable.
            return false;
        }

        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }

        date = new DateOnly(year, month, day);
        return true;

        static int Digits(string s, int start, int count)
        {
            var n = 0;
            for (var i = start; i < start + count; i++)
            {
                var c = s[i];
                if (c is < '0' or > '9')
                {
                    return -1;
                }

                n = n * 10 + (c - '0');
            }

            return n;
        }
    }

    private static bool TryDateNumber(long n, out DateOnly? date, out string? error)
    {
        date = null;
        error = null;
        if (n is >= 1900_01_01 and <= 2999_12_31)
        {
            var year = (int)(n / 10_000);
            var month = (int)(n / 100 % 100);
            var day = (int)(n % 100);
            if (month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month))
            {
                date = new DateOnly(year, month, day);
                return true;
            }

            // As Unix seconds these would all be days of 1970: 20260230 (a mistyped 30 February) became 1970-08-23.
            error = "an 8-digit number is read as yyyyMMdd, and there is no such day";
            return false;
        }

        // Unix time: seconds, or milliseconds when too large to be seconds.
        var seconds = Math.Abs(n) >= 100_000_000_000 ? n / 1000 : n;
        if (seconds is > -2_208_988_800 and < 32_503_680_000)
        {
            date = DateOnly.FromDateTime(DateTime.UnixEpoch.AddSeconds(seconds));
            return true;
        }

        error = "a number that is neither yyyyMMdd nor Unix time";
        return false;
    }
}
