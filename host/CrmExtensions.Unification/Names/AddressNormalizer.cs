namespace CrmExtensions.Unification.Names;

/// <summary>Normalises addresses and place names: common abbreviations made one word, filler dropped, words folded.</summary>
internal static class AddressNormalizer
{
    private static readonly Dictionary<string, string> Canonical = new(StringComparer.Ordinal)
    {
        ["street"] = "st", ["str"] = "st", ["avenue"] = "ave", ["av"] = "ave", ["boulevard"] = "blvd", ["blv"] = "blvd",
        ["road"] = "rd", ["drive"] = "dr", ["place"] = "pl", ["lane"] = "ln", ["square"] = "sq", ["highway"] = "hwy",
        ["west"] = "w", ["east"] = "e", ["north"] = "n", ["south"] = "s", ["saint"] = "st",
        ["first"] = "1st", ["second"] = "2nd", ["third"] = "3rd", ["fourth"] = "4th", ["fifth"] = "5th",
        ["sixth"] = "6th", ["seventh"] = "7th", ["eighth"] = "8th", ["ninth"] = "9th", ["tenth"] = "10th",
        ["улица"] = "ул", ["проспект"] = "пр", ["просп"] = "пр", ["пр-т"] = "пр", ["переулок"] = "пер",
        ["шоссе"] = "ш", ["площадь"] = "пл", ["набережная"] = "наб", ["бульвар"] = "б-р", ["корпус"] = "к",
        ["проезд"] = "пр-д", ["микрорайон"] = "мкр", ["мкр-н"] = "мкр", ["мкрн"] = "мкр",
        ["корп"] = "к", ["строение"] = "стр", ["офис"] = "оф", ["квартира"] = "кв", ["область"] = "обл",

        // The register's (FIAS) own abbreviations beside the words written out.
        ["пр-кт"] = "пр", ["тупик"] = "туп", ["квартал"] = "кв-л", ["территория"] = "тер", ["аллея"] = "ал",
        ["район"] = "р-н", ["р-он"] = "р-н", ["республика"] = "респ", ["помещение"] = "пом", ["помещ"] = "пом",
        ["литера"] = "лит", ["литер"] = "лит", ["владение"] = "вл", ["влд"] = "вл", ["здание"] = "зд", ["этаж"] = "эт",
        ["поселок"] = "пос", ["посёлок"] = "пос", ["п"] = "пос", ["пгт"] = "пос",

        // The postal service's (USPS) street suffixes and unit words.
        ["court"] = "ct", ["parkway"] = "pkwy", ["terrace"] = "ter", ["circle"] = "cir", ["expressway"] = "expy",
        ["freeway"] = "fwy", ["suite"] = "ste", ["apartment"] = "apt", ["floor"] = "fl", ["building"] = "bldg",
        ["northeast"] = "ne", ["northwest"] = "nw", ["southeast"] = "se", ["southwest"] = "sw",
    };

    private static readonly HashSet<string> Filler = new(StringComparer.Ordinal)
    {
        "д", "дом", "г", "гор", "город", "city", "россия", "рф", "russia", "between", "near", "and", "at",
    };

    // Abbreviations written with a hyphen, which the tokenizer splits: "пр-т" is read as "пр" and "т" unless joined again.
    private static readonly HashSet<string> Hyphenated = new(Canonical.Keys.Concat(Canonical.Values).Where(k => k.Contains('-', StringComparison.Ordinal)), StringComparer.Ordinal);

    public static string[] Normalize(string? text)
    {
        var tokens = Tokenizer.Split(text);
        for (var i = 0; i + 1 < tokens.Count; i++)
        {
            if (Hyphenated.Contains(tokens[i] + "-" + tokens[i + 1]))
            {
                tokens[i] += "-" + tokens[i + 1];
                tokens.RemoveAt(i + 1);
            }
        }

        var result = new List<string>(tokens.Count);
        foreach (var raw in tokens)
        {
            var t = Canonical.GetValueOrDefault(raw, raw);
            if (Filler.Contains(t))
            {
                continue;
            }

            var f = TextFolding.FoldCached(t);
            if (f.Length > 0 && !result.Contains(f))
            {
                result.Add(f);
            }
        }

        return [.. result];
    }
}
