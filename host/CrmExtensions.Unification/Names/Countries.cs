using System.Collections.Frozen;
using System.Globalization;
using System.Text;

namespace CrmExtensions.Unification.Names;

/// <summary>A country as a ledger writes it ("RU", "RUS", "Россия", "Russian Federation", "РФ") read as its ISO 3166
/// two-letter code, so that two rows' countries can be told apart however each ledger spells them.</summary>
/// <remarks>The names come from the runtime's own region data (every region's two- and three-letter codes, its English
/// and native names, and its Russian name where the runtime's ICU data has one), with the usual short forms it lacks.
/// A value it does not know ("643", the numeric code 1C keeps; a misspelling) is no country: compared with anything,
/// it says nothing.</remarks>
internal static class Countries
{
    // Before Codes: static fields are set in the order they are written.
    private static readonly (string Code, string Names)[] Aliases =
    [
        ("RU", "РФ|Российская Федерация|Russian Federation|Rossiya|Rossiia|Россия"),
        ("BY", "Белоруссия|Республика Беларусь|Belorussia|Byelorussia"),
        ("KZ", "Казахстан|Республика Казахстан"),
        ("KG", "Киргизия|Кыргызстан|Kirghizia|Kirgizia"),
        ("MD", "Молдавия|Молдова|Moldavia"),
        ("UA", "Украина"),
        ("UZ", "Узбекистан"),
        ("TJ", "Таджикистан"),
        ("TM", "Туркмения|Туркменистан"),
        ("AM", "Армения"),
        ("AZ", "Азербайджан"),
        ("GE", "Грузия"),
        ("US", "USA|U S A|U S|United States of America|America|США|Соединенные Штаты Америки"),
        ("GB", "UK|U K|Great Britain|Britain|England|Scotland|Wales|Northern Ireland|Великобритания|Англия|Соединенное Королевство"),
        ("NL", "The Netherlands|Holland|Голландия|Нидерланды"),
        ("CZ", "Czech Republic|Чехия"),
        ("KR", "South Korea|Republic of Korea|Южная Корея|Корея"),
        ("KP", "North Korea|Северная Корея|КНДР"),
        ("AE", "UAE|U A E|ОАЭ|Объединенные Арабские Эмираты"),
        ("CN", "PRC|Китай|КНР"),
        ("DE", "Германия|ФРГ"),
        ("TR", "Turkey|Турция"),
        ("CH", "Швейцария"),
    ];

    private static readonly FrozenDictionary<string, string> Codes = Build();

    /// <summary>The ISO 3166 two-letter code of a country as written, or null where the text names none it knows.</summary>
    public static string? Code(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        // Asked once per row: most ledgers write one of a few spellings exactly as listed ("Россия", "RU"), found without
        // making a key.
        if (Codes.TryGetValue(text, out var code))
        {
            return code;
        }

        var key = Key(text);
        return key.Length == 0 ? null : Codes.GetValueOrDefault(key);
    }

    /// <summary>Lower case, ё as е, dots dropped ("U.S.A." is "usa"), every other run of characters that are not letters or
    /// digits one space.</summary>
    private static string Key(string text)
    {
        var sb = new StringBuilder(text.Length);
        var space = false;
        foreach (var ch in text.Trim())
        {
            if (char.IsLetterOrDigit(ch))
            {
                if (space && sb.Length > 0)
                {
                    sb.Append(' ');
                }

                space = false;
                var c = char.ToLowerInvariant(ch);
                sb.Append(c == 'ё' ? 'е' : c);
            }
            else if (ch != '.')
            {
                space = true;
            }
        }

        return sb.ToString();
    }

    private static FrozenDictionary<string, string> Build()
    {
        var codes = new Dictionary<string, string>(StringComparer.Ordinal);
        void Add(string name, string code)
        {
            var key = Key(name);
            if (key.Length > 0)
            {
                codes.TryAdd(key, code);
            }
        }

        // Short forms and the official long names the region data does not give, first: they win over any clash.
        foreach (var (code, names) in Aliases)
        {
            foreach (var name in names.Split('|'))
            {
                Add(name, code);
            }
        }

        CultureInfo[] cultures;
        try
        {
            cultures = CultureInfo.GetCultures(CultureTypes.SpecificCultures);
        }
        catch (Exception e) when (e is CultureNotFoundException or PlatformNotSupportedException)
        {
            cultures = [];
        }

        var regions = new Dictionary<string, RegionInfo>(StringComparer.Ordinal);
        foreach (var culture in cultures)
        {
            try
            {
                var region = new RegionInfo(culture.Name);
                // Two letters: "001" (the world) and "150" (Europe) are regions of the data, not countries.
                if (region.TwoLetterISORegionName.Length == 2 && region.TwoLetterISORegionName.All(char.IsAsciiLetter))
                {
                    regions.TryAdd(region.TwoLetterISORegionName.ToUpperInvariant(), region);
                }
            }
            catch (ArgumentException)
            {
                // A culture without a region of its own (invariant globalisation, a neutral culture).
            }
        }

        foreach (var (code, region) in regions)
        {
            Add(code, code);
            Add(region.ThreeLetterISORegionName, code);
            Add(region.EnglishName, code);
            Add(region.NativeName, code);
        }

        // Russian names: ICU gives a culture's display name in the UI culture's language, "немецкий (Германия)".
        var ui = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("ru-RU");
            foreach (var culture in cultures)
            {
                var display = culture.DisplayName;
                var open = display.LastIndexOf('(');
                var close = display.LastIndexOf(')');
                if (open > 0 && close > open + 1 && TryRegion(culture.Name, out var code) && regions.ContainsKey(code))
                {
                    // "сербский (латиница, Сербия)": the country is the last part in the brackets.
                    var inside = display[(open + 1)..close];
                    Add(inside[(inside.LastIndexOf(',') + 1)..], code);
                }
            }
        }
        catch (CultureNotFoundException)
        {
            // No Russian names in this runtime's data: the aliases hold the usual ones.
        }
        finally
        {
            CultureInfo.CurrentUICulture = ui;
        }

        // The keys are lower case: ignoring case lets a value written as listed be found as it is.
        return codes.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }

    private static bool TryRegion(string culture, out string code)
    {
        var dash = culture.LastIndexOf('-');
        code = dash < 0 ? string.Empty : culture[(dash + 1)..].ToUpperInvariant();
        return code.Length == 2;
    }
}
