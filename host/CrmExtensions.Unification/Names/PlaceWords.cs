namespace CrmExtensions.Unification.Names;

/// <summary>Words that name a country or a world region, folded like name words: what tells the subsidiaries of one
/// group apart ("Nordhavn Drilling Services Brasil" / "… Qatar").</summary>
/// <remarks>A gazetteer, not a weight: it only says which words are places. Multi-word names count word by word.
/// Countries and world regions only: a region of Russia in a name ("Урал-Строй", "Сибирь Консалт") is as often a
/// brand of its own as a subsidiary.</remarks>
internal static class PlaceWords
{
    private static readonly HashSet<string> Folded = Build(
        """
        afghanistan albania algeria andorra angola argentina armenia australia austria azerbaijan bahamas bahrain
        bangladesh barbados belarus belgium belgie belgique belize benin bhutan bolivia bosnia herzegovina botswana brazil
        brasil brunei bulgaria burkina faso burundi cambodia cameroon canada chile china colombia congo costa rica
        croatia hrvatska cuba cyprus czech czechia czechoslovakia denmark danmark djibouti dominica dominican ecuador egypt
        salvador eritrea estonia eesti ethiopia fiji finland suomi france gabon gambia georgia germany deutschland ghana
        greece hellas guatemala guinea guyana haiti honduras hong kong hungary magyarorszag iceland india indonesia iran iraq
        ireland eire israel italy italia ivory jamaica japan nippon jordan kazakhstan kenya korea kosovo kuwait kyrgyzstan
        laos latvia latvija lebanon lesotho liberia libya liechtenstein lithuania lietuva luxembourg macau macedonia
        madagascar malawi malaysia maldives mali malta mauritania mauritius mexico mexicana moldova monaco mongolia
        montenegro morocco maroc mozambique myanmar namibia nepal netherlands nederland holland zealand nicaragua niger
        nigeria norway norge norge oman pakistan panama papua paraguay peru philippines pilipinas poland polska portugal
        qatar romania russia rus rossii rossiya rwanda saudi arabia senegal serbia srbija seychelles singapore slovakia
        slovensko slovenia somalia africa spain espana lanka sudan suriname sweden sverige switzerland schweiz suisse
        svizzera syria taiwan tajikistan tanzania thailand togo tonga trinidad tobago tunisia turkey turkiye turkmenistan
        uganda ukraine ukraina emirates uae uk britain england scotland wales usa america uruguay uzbekistan venezuela
        vietnam yemen zambia zimbabwe
        europe european asia asian pacific apac emea americas latam nordic nordics scandinavia baltic baltics benelux
        iberia balkans caribbean gulf mena arabia international global worldwide overseas
        россия рф украина беларусь белоруссия казахстан узбекистан киргизия кыргызстан таджикистан туркменистан армения
        азербайджан грузия молдова молдавия латвия литва эстония германия франция италия испания китай индия турция
        финляндия польша чехия австрия швейцария нидерланды бельгия великобритания англия сша америка канада япония корея
        """);

    public static bool Contains(string foldedToken) => Folded.Contains(foldedToken);

    private static HashSet<string> Build(string words) =>
        new(words.Split([' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries).Select(TextFolding.Fold), StringComparer.Ordinal);
}
