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

    /// <summary>A row whose INN column holds the INN and the KPP together, as 1C and many exports write them
    /// ("7701234567/770101001", "7701234567 \ 770101001"): the INN alone, and the KPP where the row has none of its own.
    /// Any other value, the row as it is (an INN that is not one is reported as before).</summary>
    public static Counterparty SplitInnAndKpp(Counterparty row)
    {
        var text = row.TaxId;
        var at = text is null ? -1 : text.IndexOfAny(InnKppSeparators);
        if (at < 0 || !TryGetDigits(text![..at], out var inn, out _) || inn.Length != 10
            || !TryGetDigits(text[(at + 1)..], out var kpp, out _) || kpp.Length != 9)
        {
            return row;
        }

        return row with { TaxId = inn, BranchCode = string.IsNullOrWhiteSpace(row.BranchCode) ? kpp : row.BranchCode };
    }

    private static readonly char[] InnKppSeparators = ['/', '\\', '|', ';', ','];

    /// <summary>A row with no INN of its own whose name carries one a ledger's user wrote into it ("ООО «Ромашка» (ИНН
    /// 7701234567)"): that INN, when valid, and the KPP written beside it where the row has none. Any other row as it is.</summary>
    public static Counterparty FromName(Counterparty row)
    {
        if (!string.IsNullOrWhiteSpace(row.TaxId))
        {
            return row;
        }

        var (inn, kpp) = Names.NameNormalizer.IdentifiersInName(row.Name);
        return inn is null || !Inn.IsValid(inn)
            ? row
            : row with { TaxId = inn, BranchCode = string.IsNullOrWhiteSpace(row.BranchCode) ? kpp : row.BranchCode };
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
