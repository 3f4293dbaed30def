namespace CrmExtensions.Unification.Identifiers;

/// <summary>What a primary state registration number (OGRN / OGRNIP) denotes, or why it cannot be used.</summary>
public enum OgrnKind
{
    /// <summary>No value was given.</summary>
    Missing,

    /// <summary>A value was given but is not a well-formed OGRN or OGRNIP with a correct check digit.</summary>
    Invalid,

    /// <summary>A valid 13-digit OGRN of a legal entity.</summary>
    LegalEntity,

    /// <summary>A valid 15-digit OGRNIP of a sole proprietor.</summary>
    SoleProprietor,
}
