using CrmExtensions.Unification.Identifiers;

namespace CrmExtensions.Unification.Internal;

/// <summary>A counterparty reduced to interned ids and parsed identifiers; -1 means absent.</summary>
internal struct NormalizedRecord
{
    public int[] Name;
    public int NameKey;

    /// <summary>The name's key words joined in their order with nothing between them ("Wal-Mart" and "Walmart", "Строй
    /// Инвест" and "Стройинвест" alike); <see cref="NameKey"/> where the name has one key word, or a word too short to be
    /// told from an initial.</summary>
    public int NameJoined;

    /// <summary>The name's one key word as written, where it may be an acronym (<see cref="Names.NormalizedName.Acronym"/>);
    /// -1 otherwise.</summary>
    public int Acronym;

    /// <summary>The initials of the name's key words as written (<see cref="Names.NormalizedName.Initials"/>); -1 otherwise.</summary>
    public int Initials;
    public int LegalForm;
    public bool NameSaysBranch;
    public int[] Address;
    public int[] CityTokens;
    public int City;
    public int Region;

    /// <summary>The country's ISO 3166 two-letter code (<see cref="Names.Countries"/>); -1 where none is known.</summary>
    public int Country;
    public long Inn;
    public InnKind InnKind;
    public long Ogrn;
    public OgrnKind OgrnKind;
    public int Kpp;
    public KppReason KppReason;
    public int Phone;
    public int Email;
    public int EmailDomain;
    public int WebDomain;
    public int[] Directors;

    /// <summary>The birth date as yyyyMMdd (the year 0 where it is not known); 0 when there is none.</summary>
    public int Birth;
    public int Parent;

    public readonly bool HasValidInn => InnKind is InnKind.Organisation or InnKind.Person;

    public readonly bool HasValidOgrn => OgrnKind is OgrnKind.LegalEntity or OgrnKind.SoleProprietor;
}
