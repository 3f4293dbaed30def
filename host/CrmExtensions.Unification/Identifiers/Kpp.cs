namespace CrmExtensions.Unification.Identifiers;

/// <summary>Validation of the Russian tax registration reason code (KPP), format <c>NNNNPPXXX</c>.</summary>
/// <remarks>
/// NNNN is the tax office, PP the reason (digits, or Latin capitals since 2013), XXX a serial number.
/// A KPP has no check digit, so only its form can be checked.
/// </remarks>
public static class Kpp
{
    /// <summary>Classifies a raw value by its reason code, or as missing or invalid.</summary>
    public static KppReason Classify(string? value)
    {
        var kpp = Normalize(value);
        if (kpp is null)
        {
            return string.IsNullOrWhiteSpace(value) ? KppReason.Missing : KppReason.Invalid;
        }

        return kpp.AsSpan(4, 2) switch
        {
            "01" or "50" => KppReason.Head,
            "02" or "03" or "04" or "05" or "31" or "32" => KppReason.Branch,
            _ => KppReason.Other,
        };
    }

    /// <summary>Returns true when the value has the form NNNNPPXXX.</summary>
    public static bool IsWellFormed(string? value) => Normalize(value) is not null;

    /// <summary>Returns the KPP trimmed and upper-cased, or null when it is missing or malformed.</summary>
    public static string? Normalize(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var kpp = value.Trim().ToUpperInvariant();
        if (kpp.Length != 9)
        {
            return null;
        }

        for (var i = 0; i < 9; i++)
        {
            var c = kpp[i];
            var ok = i is 4 or 5 ? c is (>= '0' and <= '9') or (>= 'A' and <= 'Z') : c is >= '0' and <= '9';
            if (!ok)
            {
                return null;
            }
        }

        return kpp;
    }
}
