namespace CrmExtensions.Unification.Names;

/// <summary>A name reduced to comparable tokens, with what was stripped kept as evidence.</summary>
/// <param name="Tokens">The name's words, folded, each once, in their order.</param>
/// <param name="KeyTokens">The words that say which firm it is: <paramref name="Tokens"/> without the conjunctions and
/// articles one firm's name is written with or without ("Johnson &amp; Johnson" / "Johnson and Johnson", "The Boeing
/// Company" / "Boeing Co"); the same array when there are none.</param>
/// <param name="Joined">The key words joined into one and folded ("Wal-Mart" and "Walmart" alike), where there are
/// several and no word as short as an initial ends the name or stands before another such (initials after a surname);
/// otherwise null.</param>
/// <param name="Acronym">The name's one key word, of three to six letters as written (lower case, not folded), which may
/// be the initials of another name's words ("IBM", "РЖД"); otherwise null.</param>
/// <param name="Initials">The first letters of the name's three to six key words as written ("International Business
/// Machines" → "ibm", "Российские железные дороги" → "ржд"); otherwise null.</param>
internal readonly record struct NormalizedName(
    string[] Tokens, string? LegalForm, bool SaysBranch, string[] KeyTokens, string? Joined = null, string? Acronym = null, string? Initials = null)
{
    public bool IsEmpty => Tokens.Length == 0;

    public string Key => string.Join(' ', Tokens);
}
