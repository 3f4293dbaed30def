namespace CrmExtensions.Unification.Identifiers;

internal static class IdentifierText
{
    /// <summary>Strips whitespace; fails when nothing is left or a non-digit remains.</summary>
    public static bool TryGetDigits(string? value, out string digits, out bool missing)
    {
        digits = string.Empty;
        missing = string.IsNullOrWhiteSpace(value);
        if (missing)
        {
            return false;
        }

        Span<char> buffer = stackalloc char[32];
        var length = 0;
        foreach (var c in value!)
        {
            if (char.IsWhiteSpace(c))
            {
                continue;
            }

            if (c is < '0' or > '9' || length == buffer.Length)
            {
                return false;
            }

            buffer[length++] = c;
        }

        // Most identifiers are written as bare digits: the text itself, not a copy of it.
        digits = length == value.Length ? value : new string(buffer[..length]);
        return length > 0;
    }

    public static bool AllZeros(string digits)
    {
        foreach (var c in digits)
        {
            if (c != '0')
            {
                return false;
            }
        }

        return true;
    }
}
