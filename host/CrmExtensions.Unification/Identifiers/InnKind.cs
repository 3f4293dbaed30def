namespace CrmExtensions.Unification.Identifiers;

/// <summary>What a taxpayer identification number (INN) denotes, or why it cannot be used.</summary>
public enum InnKind
{
    /// <summary>No value was given.</summary>
    Missing,

    /// <summary>A value was given but is not a well-formed INN with correct check digits.</summary>
    Invalid,

    /// <summary>A valid 10-digit INN of an organisation.</summary>
    Organisation,

    /// <summary>A valid 12-digit INN of a person or sole proprietor.</summary>
    Person,
}
