namespace CrmExtensions.Unification.Internal;

/// <summary>The fields of an input row the result and its explanations show; the key trimmed as every key is.</summary>
internal readonly record struct RowText(
    string Ledger, string LedgerId, string? Name, string? TaxId, string? BranchCode, string? RegistrationNumber, string? City, string? Region);
