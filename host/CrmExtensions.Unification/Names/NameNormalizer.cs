using System.Text.RegularExpressions;

namespace CrmExtensions.Unification.Names;

/// <summary>Normalises an organisation's or person's name: legal form and branch wording stripped, words folded.</summary>
internal static partial class NameNormalizer
{
    private static readonly HashSet<string> BranchWords = new(StringComparer.Ordinal)
    {
        "филиал", "филиала", "представительство", "представительства", "обособленное", "подразделение",
        "оп", "branch", "representative", "office",
    };

    private static readonly HashSet<string> PlaceMarkers = new(StringComparer.Ordinal)
    {
        "в", "г", "гор", "город", "по", "in", "city", "of",
    };

    // Words one firm's name is written with or without: "&" is a symbol and never a word, so "Johnson & Johnson" and
    // "Johnson and Johnson" differ by "and" alone. Checked before folding: "и" folds to the same letter as "J".
    private static readonly HashSet<string> Optional = new(StringComparer.Ordinal)
    {
        "and", "und", "et", "и", "the",
    };

    /// <summary>The firm's own name: what stands before another name the ledger wrote after it ("Harbor Supplies Ltd t/a
    /// Harbor Marine", "Crescent Media Corp c/o John Smith", "Orchid Labs Inc. (formerly Petal Labs Inc.)"); the whole
    /// name where nothing of its own stands before such words. Without the marks a ledger's users put on a row in
    /// brackets ("ООО «Ромашка» (дубль)", "(не использовать)", "[DUPLICATE]"): they say what to do with the row, not
    /// what the firm is called.</summary>
    internal static string? OwnName(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return name;
        }

        if (MayHoldMark(name))
        {
            name = UsersMark().Replace(name, " ");
        }

        if (MayHoldIdentifiers(name))
        {
            name = IdentifierInName().Replace(name, " ");
        }

        foreach (var m in OtherNameFollows().EnumerateMatches(name))
        {
            if (HasWord(name.AsSpan(0, m.Index)))
            {
                return name[..m.Index];
            }
        }

        return name;
    }

    /// <summary>A letter or digit, of which the tokenizer makes words; anything else separates them.</summary>
    private static bool HasWord(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c))
            {
                return true;
            }
        }

        return false;
    }

    // Where a ledger writes another name after the firm's own: the name it trades under ("t/a", "d/b/a", "trading as"),
    // the person mail goes to ("c/o"), the name it had ("formerly", "f/k/a", "бывш."), another it is known by ("aka").
    // Word-bounded, so that "Osaka" and "Dbanks" keep their letters; a name that starts with one ("DBA Consulting") is
    // left whole (OwnName).
    [GeneratedRegex(
        @"(?<![\p{L}\p{N}])(?:t/a|t/as|trading as|d/b/a|d\.b\.a\.?|dba|doing business as|c/o|care of|f/k/a|fka|formerly|a/k/a|aka|also known as|бывш\.?|бывшее|ранее)(?![\p{L}\p{N}])",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex OtherNameFollows();

    /// <summary>A name split before the brackets it ends with, where a word stands before them: "Zenith Tools Corp" and
    /// "London" of "Zenith Tools Corp (London)"; the name and null otherwise.</summary>
    private static (string? Own, string? Tail) BracketedTail(string? name)
    {
        var text = name.AsSpan().TrimEnd();
        if (text.Length < 3 || text[^1] is not (')' or ']'))
        {
            return (name, null);
        }

        var open = text.LastIndexOfAny('(', '[');
        if (open <= 0 || !HasWord(text[..open]))
        {
            return (name, null);
        }

        return (text[..open].ToString(), text[(open + 1)..^1].ToString());
    }

    /// <summary>The INN and the KPP a ledger's user wrote into the name ("ООО «Ромашка» (ИНН 7701234567)", "Ромашка ИНН:
    /// 7701234567 КПП 770101001"), each null where it is not there; the marker is required, digits alone are not read.</summary>
    internal static (string? Inn, string? Kpp) IdentifiersInName(string? name)
    {
        if (!MayHoldIdentifiers(name))
        {
            return (null, null);
        }

        string? inn = null, kpp = null;
        foreach (Match m in IdentifierInName().Matches(name!))
        {
            if (m.Groups["inn"].Success)
            {
                inn ??= m.Groups["inn"].Value;
            }

            if (m.Groups["kpp"].Success)
            {
                kpp ??= m.Groups["kpp"].Value;
            }
        }

        return (inn, kpp);
    }

    // A cheap test before the expression: the markers' letters and a run of digits.
    private static bool MayHoldIdentifiers(string? name) =>
        name is not null && (name.Contains("инн", StringComparison.OrdinalIgnoreCase) || name.Contains("кпп", StringComparison.OrdinalIgnoreCase)
            || name.Contains("INN", StringComparison.Ordinal) || name.Contains("KPP", StringComparison.Ordinal));

    // "ИНН 7701234567", "ИНН: 770123456789", "ИНН/КПП 7701234567/770101001", "КПП 770101001"; Latin "INN"/"KPP" in
    // capitals only ("Holiday Inn" is a name).
    [GeneratedRegex(
        @"(?<![\p{L}\p{N}])(?:(?:(?i:инн)|INN)(?:\s*/\s*(?:(?i:кпп)|KPP))?\s*[:№#.]?\s*(?<inn>\d{12}|\d{10})(?!\d)(?:\s*[/\\,;]\s*(?<kpp>\d{9})(?!\d))?|(?:(?i:кпп)|KPP)\s*[:№#.]?\s*(?<kpp>\d{9})(?!\d))",
        RegexOptions.CultureInvariant)]
    private static partial Regex IdentifierInName();

    /// <summary>Whether a ledger's user marked the row in its name ("(дубль)", "(не использовать)"): a row not to be
    /// named by when another is there.</summary>
    internal static bool HasUsersMark(string? name) => MayHoldMark(name) && UsersMark().IsMatch(name!);

    // A cheap test before the expression: a mark stands in brackets.
    private static bool MayHoldMark(string? name) => name is not null && name.AsSpan().IndexOfAny('(', '[') >= 0;

    // A mark in brackets, alone in them: a duplicate, a copy, not to be used, to be deleted, old, archived, closed,
    // inactive — what 1C users and others write on a row they cannot delete. Only in brackets: "ДубльГИС" and "Old Mill
    // Bakery" are names.
    [GeneratedRegex(
        @"[\(\[]\s*(?:дубль|дубл\.?|дубликат|двойник|копия|не\s*использовать|не\s*исп\.?|не\s*испол\.?|не\s*активен|неактивен|неактивный|удалить|удален|удалён|на\s*удаление|старый|стар\.?|архив|архивный|закрыт|ошибка|duplicate|dup|dupe|copy|do\s*not\s*use|dnu|don'?t\s*use|old|inactive|archived?|closed|deleted|delete)\s*[!.]*\s*[\)\]]",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex UsersMark();

    public static NormalizedName Normalize(string? name, string? city = null)
    {
        // What a name writes in brackets at its end ("Zenith Tools Corp (London)", "Ромашка ООО (филиал)") is read apart,
        // so that the legal form before it still ends the firm's own words.
        var (own, tail) = BracketedTail(OwnName(name));
        var tokens = Tokenizer.Split(own);
        var tailTokens = tail is null ? null : Tokenizer.Split(tail);
        var saysBranch = false;
        foreach (var t in tailTokens is null ? tokens : tokens.Concat(tailTokens))
        {
            saysBranch |= BranchWords.Contains(t);
        }

        if (saysBranch)
        {
            RemoveBranchWording(tokens, city);
            if (tailTokens is not null)
            {
                RemoveBranchWording(tailTokens, city);
            }
        }

        // Legal forms first: a few are written in single letters ("s r o", "b v") and are forms, not initials.
        string? form;
        if (tailTokens is { Count: > 0 })
        {
            List<string> whole = [.. tokens, .. tailTokens];
            form = LegalForms.Strip(whole);
            if (whole.Count >= tailTokens.Count && whole[^tailTokens.Count..].SequenceEqual(tailTokens))
            {
                // The brackets are not the form's ("Volvo AB (publ)" is one form): the form before them ends the firm's words.
                form = LegalForms.Strip(tokens) ?? LegalForms.Strip(tailTokens);
                tokens.AddRange(tailTokens);
            }
            else
            {
                tokens = whole;
            }
        }
        else
        {
            form = LegalForms.Strip(tokens);
        }

        Abbreviate(tokens);
        TextFolding.InitialsInScriptOfWords(tokens);
        JoinInitials(tokens);
        var folded = new List<string>(tokens.Count);
        List<string>? key = null;

        // The key words as written, each where it first stands, to be joined (see Joined).
        List<string> written = [];
        foreach (var token in tokens)
        {
            var f = TextFolding.FoldCached(token);
            if (f.Length == 0)
            {
                continue;
            }

            var optional = Optional.Contains(token);
            if (!optional && !(key ?? folded).Contains(f))
            {
                key?.Add(f);
                written.Add(token);
            }
            else if (optional)
            {
                key ??= [.. folded];
            }

            if (!folded.Contains(f))
            {
                folded.Add(f);
            }
        }

        string[] all = [.. folded];
        string[] keyTokens = key is { Count: > 0 } ? [.. key] : all;
        var (acronym, initials) = Acronyms(written, keyTokens.Length);
        return new NormalizedName(all, form, saysBranch, keyTokens, Joined(written, keyTokens.Length), acronym, initials);
    }

    /// <summary>The key words as written, joined and folded as one word (folding is not word by word: "Строй Инвест"
    /// folded word by word ends one word with the letter the next begins with, "Стройинвест" folds the two into one);
    /// null where there is one key word, or a short word is not <see cref="JoinsTheNext"/>.</summary>
    private static string? Joined(List<string> written, int keyWords)
    {
        if (keyWords < 2 || written.Count != keyWords)
        {
            return null;
        }

        for (var k = 0; k < written.Count; k++)
        {
            if (IsShortWord(written[k]) && (k + 1 == written.Count || !JoinsTheNext(written[k + 1])))
            {
                return null;
            }
        }

        return TextFolding.Fold(string.Concat(written));
    }

    /// <summary>What an acronym and the words it abbreviates have in common, as written: a name of one key word of three to
    /// six letters may be an acronym ("IBM Corp", "ОАО «РЖД»"); a name of three to six key words, each beginning with a
    /// letter, has its initials ("International Business Machines Corp", "ОАО «Российские железные дороги»"). Two
    /// letters are left out: the initials of two words are shared by too many names.</summary>
    private static (string? Acronym, string? Initials) Acronyms(List<string> written, int keyWords)
    {
        if (written.Count != keyWords)
        {
            return (null, null);
        }

        if (written.Count == 1)
        {
            var word = written[0];
            return (word.Length is >= 3 and <= 6 && word.All(char.IsLetter) ? word : null, null);
        }

        return (null, written.Count is >= 3 and <= 6 && written.TrueForAll(w => char.IsLetter(w[0]))
            ? string.Concat(written.Select(w => w[0]))
            : null);
    }

    /// <summary>A word shorter than three characters and not a number: initials, a particle ("Mc", "De"), a name's own
    /// letters ("JP").</summary>
    internal static bool IsShortWord(string word) => word.Length < 3 && !word.All(char.IsAsciiDigit);

    /// <summary>Whether the word before <paramref name="next"/> may be written run together with it, one rule for the
    /// name's joined key and for words compared one by one (<c>Similarity</c>): before a word that is not short, any
    /// word may ("Mc Donald's" / "McDonald's", "JP Morgan" / "JPMorgan", "L Oreal" / "LOreal", "Строй Инвест" /
    /// "Стройинвест"); before a short one none may, so initials after a surname never join ("Петров А. В." joined
    /// would read "Петрова В.").</summary>
    internal static bool JoinsTheNext(string next) => !IsShortWord(next);

    // What a firm calls itself, written out or as its initials ("Торговый дом «Вектор»" / "ТД «Вектор»", "Torgovyy Dom
    // Vektor"): read as the initials. Only those one set of initials stands for: "ТК" is a trading and a transport
    // company alike. Compared folded, so that every transliteration of the words is met.
    private static readonly ILookup<string, (string[] Words, string Initials)> Descriptors = new (string Phrase, string Initials)[]
    {
        ("торговый дом", "тд"), ("торгового дома", "тд"), ("trading house", "тд"),
        ("научно производственное предприятие", "нпп"), ("научно производственная фирма", "нпф"),
        ("научно производственное объединение", "нпо"), ("производственно коммерческая фирма", "пкф"),
        ("торгово производственная компания", "тпк"), ("производственно торговая компания", "птк"),
        ("торгово производственная фирма", "тпф"), ("производственно торговая фирма", "птф"),
        ("группа компаний", "гк"), ("group of companies", "гк"), ("управляющая компания", "ук"),
        ("частное охранное предприятие", "чоп"),
    }.Select(d => (Words: d.Phrase.Split(' ').Select(TextFolding.Fold).ToArray(), d.Initials)).ToLookup(d => d.Words[0], StringComparer.Ordinal);

    // Words of a firm's name that are written short as often as in full, each short form standing for one word only
    // ("Mfg" is manufacturing; "Tech", "Ind", "Assoc" stand for several and are left as they are): read in full. A
    // name is not an address, so "St." is a saint here.
    private static readonly Dictionary<string, string> ShortWords = new(StringComparer.Ordinal)
    {
        ["mfg"] = "manufacturing", ["intl"] = "international", ["bros"] = "brothers", ["natl"] = "national",
        ["mgmt"] = "management", ["mgt"] = "management", ["hldgs"] = "holdings", ["hldg"] = "holding", ["grp"] = "group",
        ["ctr"] = "center", ["cntr"] = "center", ["centre"] = "center", ["dept"] = "department", ["univ"] = "university",
        ["mktg"] = "marketing", ["svcs"] = "services", ["svc"] = "service", ["assn"] = "association", ["sys"] = "systems",
        ["equip"] = "equipment", ["inds"] = "industries", ["prods"] = "products", ["engg"] = "engineering",
        ["st"] = "saint", ["ste"] = "sainte",
    };

    private static void Abbreviate(List<string> tokens)
    {
        for (var i = 0; i < tokens.Count; i++)
        {
            if (ShortWords.TryGetValue(tokens[i], out var word))
            {
                tokens[i] = word;
                continue;
            }

            foreach (var (words, initials) in Descriptors[TextFolding.FoldCached(tokens[i])])
            {
                if (i + words.Length <= tokens.Count && Enumerable.Range(1, words.Length - 1).All(k => TextFolding.FoldCached(tokens[i + k]) == words[k]))
                {
                    tokens[i] = initials;
                    tokens.RemoveRange(i + 1, words.Length - 1);
                    break;
                }
            }
        }
    }

    /// <summary>Reads a run of single letters as one word, as the tokenizer reads a dotted run: initials written "А.В.",
    /// "А. В." or "А В" (and "A B C" beside "A.B.C.") are then one and the same word. A conjunction ("и") is not an
    /// initial.</summary>
    private static void JoinInitials(List<string> tokens)
    {
        for (var i = 0; i < tokens.Count; i++)
        {
            var end = i;
            while (end < tokens.Count && IsInitial(tokens[end]))
            {
                end++;
            }

            if (end - i >= 2)
            {
                tokens[i] = string.Concat(tokens.GetRange(i, end - i));
                tokens.RemoveRange(i + 1, end - i - 1);
            }
        }

        static bool IsInitial(string token) => token.Length == 1 && char.IsLetter(token[0]) && !Optional.Contains(token);
    }

    private static void RemoveBranchWording(List<string> tokens, string? city)
    {
        var cityTokens = Tokenizer.Split(city);
        var kept = new List<string>(tokens.Count);
        for (var i = 0; i < tokens.Count; i++)
        {
            var t = tokens[i];
            if (BranchWords.Contains(t))
            {
                continue;
            }

            if (PlaceMarkers.Contains(t))
            {
                // "в г. Казани", "in Kazan": the marker and the place after it name the branch, not the firm.
                i++;
                while (i + 1 < tokens.Count && PlaceMarkers.Contains(tokens[i]))
                {
                    i++;
                }

                continue;
            }

            if (cityTokens.Exists(c => c.Length >= 4 && t.StartsWith(c[..^1], StringComparison.Ordinal)))
            {
                continue;
            }

            kept.Add(t);
        }

        tokens.Clear();
        tokens.AddRange(kept);
    }
}
