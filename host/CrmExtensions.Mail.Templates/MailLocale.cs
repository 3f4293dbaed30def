using System.Globalization;
using System.Text;

namespace CrmExtensions.Mail.Templates;

/// <summary>How a template's locale writes money, dates and counted nouns: <c>ru-RU</c> or <c>en</c>.</summary>
/// <remarks>
/// Written out here rather than taken from ICU so that a mail reads the same on every machine: Russian money is
/// <c>1 234,56 ₽</c> with a no-break space between groups and before the sign, English <c>RUB 1,234.56</c>.
/// </remarks>
internal sealed class MailLocale
{
    private const char NoBreakSpace = '\u00A0';

    private static readonly string[] RussianMonthsGenitive =
        ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря"];

    private static readonly string[] EnglishMonths =
        ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

    public static MailLocale Russian { get; } = new("ru-RU", isRussian: true);

    public static MailLocale English { get; } = new("en", isRussian: false);

    private readonly bool _isRussian;

    private MailLocale(string name, bool isRussian)
    {
        Name = name;
        _isRussian = isRussian;
    }

    /// <summary>The locale's name as a manifest gives it.</summary>
    public string Name { get; }

    /// <summary>The locales a pack may name, for messages.</summary>
    public static string Supported => "ru-RU (or ru), en (or en-US, en-GB)";

    /// <summary>Finds a locale by name: <c>ru</c>, <c>ru-RU</c>, <c>en</c>, <c>en-*</c>.</summary>
    public static bool TryFind(string? name, out MailLocale locale)
    {
        locale = Russian;
        if (name is null)
        {
            return false;
        }

        if (name.Equals("ru", StringComparison.OrdinalIgnoreCase) || name.Equals("ru-RU", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (name.Equals("en", StringComparison.OrdinalIgnoreCase) || name.StartsWith("en-", StringComparison.OrdinalIgnoreCase))
        {
            locale = English;
            return true;
        }

        return false;
    }

    /// <summary>An amount with two decimals, grouped, with the currency: <c>1 234,56 ₽</c> or <c>RUB 1,234.56</c>.</summary>
    public string Money(decimal amount, string? currency = null)
    {
        var code = string.IsNullOrWhiteSpace(currency) ? "RUB" : currency.Trim().ToUpperInvariant();
        var number = Number(amount, 2);
        if (_isRussian)
        {
            var sign = code switch { "RUB" or "RUR" => "₽", "USD" => "$", "EUR" => "€", _ => code };
            return number + NoBreakSpace + sign;
        }

        var minus = number.StartsWith('-') ? "-" : "";
        var digits = number.TrimStart('-');
        return minus + code switch
        {
            "USD" => "$" + digits,
            "EUR" => "€" + digits,
            _ => code + NoBreakSpace + digits,
        };
    }

    /// <summary>A number with the given decimals, grouped by thousands in the locale's way.</summary>
    public string Number(decimal value, int decimals)
    {
        var rounded = decimal.Round(value, decimals, MidpointRounding.AwayFromZero);
        var text = Math.Abs(rounded).ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        var point = text.IndexOf('.', StringComparison.Ordinal);
        var whole = point < 0 ? text : text[..point];
        var builder = new StringBuilder(text.Length + 8);
        if (rounded < 0)
        {
            builder.Append('-');
        }

        var group = _isRussian ? NoBreakSpace : ',';
        for (var i = 0; i < whole.Length; i++)
        {
            if (i > 0 && (whole.Length - i) % 3 == 0)
            {
                builder.Append(group);
            }

            builder.Append(whole[i]);
        }

        if (point >= 0)
        {
            builder.Append(_isRussian ? ',' : '.').Append(text, point + 1, text.Length - point - 1);
        }

        return builder.ToString();
    }

    /// <summary>A short date: <c>24.11.2026</c> or <c>24 Nov 2026</c>.</summary>
    public string Date(DateOnly date) => _isRussian
        ? date.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture)
        : string.Create(CultureInfo.InvariantCulture, $"{date.Day} {EnglishMonths[date.Month - 1][..3]} {date.Year}");

    /// <summary>A long date: <c>24 ноября 2026 г.</c> or <c>24 November 2026</c>.</summary>
    public string LongDate(DateOnly date) => _isRussian
        ? string.Create(CultureInfo.InvariantCulture, $"{date.Day} {RussianMonthsGenitive[date.Month - 1]} {date.Year} г.")
        : string.Create(CultureInfo.InvariantCulture, $"{date.Day} {EnglishMonths[date.Month - 1]} {date.Year}");

    /// <summary>
    /// The noun form for a count: Russian takes three forms (1 счёт, 2 счёта, 5 счетов), English two (1 invoice,
    /// 2 invoices; the third form, if given, is ignored).
    /// </summary>
    public string Plural(long count, string one, string few, string? many)
    {
        var n = Math.Abs(count);
        if (!_isRussian)
        {
            return n == 1 ? one : few;
        }

        var lastTwo = n % 100;
        var last = n % 10;
        if (last == 1 && lastTwo != 11)
        {
            return one;
        }

        if (last is >= 2 and <= 4 && lastTwo is < 12 or > 14)
        {
            return few;
        }

        return many ?? few;
    }
}
