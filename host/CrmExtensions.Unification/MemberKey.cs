namespace CrmExtensions.Unification;

/// <summary>Identifies a counterparty row: the ledger's name and the row's id in that ledger.</summary>
public readonly record struct MemberKey(string Ledger, string LedgerId) : IComparable<MemberKey>
{
    /// <inheritdoc />
    public int CompareTo(MemberKey other)
    {
        var c = string.CompareOrdinal(Ledger, other.Ledger);
        return c != 0 ? c : string.CompareOrdinal(LedgerId, other.LedgerId);
    }

    /// <inheritdoc />
    public override string ToString() => $"{Ledger}:{LedgerId}";

    /// <summary>Ordinal order by ledger, then ledger id.</summary>
    public static bool operator <(MemberKey left, MemberKey right) => left.CompareTo(right) < 0;

    /// <summary>Ordinal order by ledger, then ledger id.</summary>
    public static bool operator >(MemberKey left, MemberKey right) => left.CompareTo(right) > 0;

    /// <summary>Ordinal order by ledger, then ledger id.</summary>
    public static bool operator <=(MemberKey left, MemberKey right) => left.CompareTo(right) <= 0;

    /// <summary>Ordinal order by ledger, then ledger id.</summary>
    public static bool operator >=(MemberKey left, MemberKey right) => left.CompareTo(right) >= 0;
}
