namespace CrmExtensions.Unification.Names;

/// <summary>Splits free text into lower-case word tokens; quotes, punctuation, symbols and emoji separate words.</summary>
internal static class Tokenizer
{
    public static List<string> Split(string? text)
    {
        var tokens = new List<string>();
        if (string.IsNullOrWhiteSpace(text))
        {
            return tokens;
        }

        var buffer = text.Length <= 256 ? stackalloc char[text.Length] : new char[text.Length];
        var n = 0;
        foreach (var raw in text)
        {
            var c = Lower(raw);
            if (char.IsLetterOrDigit(c) || c == '.')
            {
                buffer[n++] = c == 'ё' ? 'е' : c;
            }
            else if (c is '\'' or '’' or '`' or 'ʼ' && n > 0)
            {
                // An apostrophe inside a word does not split it: "Art's" and "Arts" are one word.
            }
            else
            {
                Flush(buffer[..n], tokens);
                n = 0;
            }
        }

        Flush(buffer[..n], tokens);
        return tokens;
    }

    /// <summary>Lower-cases without a trip to ICU for the two alphabets nearly every ledger writes in.</summary>
    private static char Lower(char c) => c switch
    {
        >= 'A' and <= 'Z' => (char)(c + 32),
        < (char)128 => c,
        >= 'А' and <= 'Я' => (char)(c + 32),
        >= 'а' and <= 'я' => c,
        'Ё' => 'ё',
        _ => char.ToLowerInvariant(c),
    };

    private static void Flush(ReadOnlySpan<char> current, List<string> tokens)
    {
        if (current.Length == 0)
        {
            return;
        }

        // A word typed in two alphabets at once is read in one ("OОО" with a Latin O is "ооо") before any list of words
        // (legal forms, street kinds, branch words) is asked about it.
        var text = TextFolding.OneScript(new string(current));
        if (!current.Contains('.'))
        {
            tokens.Add(text);
            return;
        }

        var parts = text.Split('.', StringSplitOptions.RemoveEmptyEntries);

        // "B.V.", "S.A.", "O.O.O." are one abbreviation; "ул.Ленина" is two words, and so is "д.8" (a letter beside a
        // number).
        if (parts.Length >= 2 && parts.All(p => p.Length <= 2) && (parts.All(p => p.All(char.IsLetter)) || parts.All(p => p.All(char.IsDigit))))
        {
            tokens.Add(string.Concat(parts));
        }
        else
        {
            tokens.AddRange(parts);
        }
    }
}
