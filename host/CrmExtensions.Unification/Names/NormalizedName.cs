namespace CrmExtensions.Unification.Names;

/// <summary>A name reduced to comparable tokens, with what was stripped kept as evidence.</summary>
internal readonly record struct NormalizedName(string[] Tokens, string? LegalForm, bool SaysBranch)
{
    public bool IsEmpty => Tokens.Length == 0;

    public string Key => string.Join(' ', Tokens);
}
