using System.Text;

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

        var current = new StringBuilder();
        foreach (var raw in text)
        {
            var c = char.ToLowerInvariant(raw);
            if (char.IsLetterOrDigit(c) || c == '.')
            {
                current.Append(c == 'ё' ? 'е' : c);
            }
            else if (c is '\'' or '’' or '`' or 'ʼ' && current.Length > 0)
            {
                // An apostrophe inside a word does not split it: "Art's" and "Arts" are one word.
            }
            else
            {
                Flush(current, tokens);
            }
        }

        Flush(current, tokens);
        return tokens;
    }

    private static void Flush(StringBuilder current, List<string> tokens)
    {
        if (current.Length == 0)
        {
            return;
        }

        var token = current.ToString();
        current.Clear();
        if (!token.Contains('.', StringComparison.Ordinal))
        {
            tokens.Add(token);
            return;
        }

        var parts = token.Split('.', StringSplitOptions.RemoveEmptyEntries);

        // "B.V.", "S.A.", "O.O.O." are one abbreviation; "ул.Ленина" is two words.
        if (parts.Length >= 2 && parts.All(p => p.Length <= 2))
        {
            tokens.Add(string.Concat(parts));
        }
        else
        {
            tokens.AddRange(parts);
        }
    }
}
