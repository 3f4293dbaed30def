namespace CrmExtensions.Unification.Identifiers;

/// <summary>The reason for registration encoded in positions 5–6 of a KPP.</summary>
public enum KppReason
{
    /// <summary>No value was given.</summary>
    Missing,

    /// <summary>A value was given but is not of the form NNNNPPXXX.</summary>
    Invalid,

    /// <summary>Registration at the organisation's own address: PP 01, or 50 for the largest taxpayers.</summary>
    Head,

    /// <summary>Registration of a branch or representative office: PP 02–05, 31 or 32.</summary>
    Branch,

    /// <summary>Any other well-formed reason (for example 43), treated as a registration elsewhere.</summary>
    Other,
}
