using System.Globalization;

namespace CrmExtensions.Store.Mirror;

/// <summary>What a mirrored birthday (<c>yyyy-MM-dd</c>, as the mirror keeps every day) says of a living person.</summary>
public static class PersonAge
{
    /// <summary>An age no living person has reached (the oldest on record lived to 122).</summary>
    public const int OldestAge = 122;

    /// <summary>Whether a person born on <paramref name="born"/> would be older than anyone alive on <paramref name="on"/>:
    /// a ledger's placeholder for a birthday nobody knew ("01.01.1900"), not a day to greet anyone on.</summary>
    public static bool NoLivingPerson(DateOnly born, DateOnly on) => on.Year - born.Year > OldestAge;

    /// <summary>Whether a counterparty's birthday is a firm's day of registration rather than a person's birth date: its
    /// INN is an organisation's (10 digits). A counterparty without one is taken for a person, a private client, as the
    /// mapping's <c>birthday</c> is meant for (the SDK's occasions, defined in SDK 1.1, call every counterparty without a
    /// 12-digit INN an organisation).</summary>
    public static bool IsFirm(string? taxId) => taxId?.Trim() is { Length: 10 } inn && inn.All(char.IsAsciiDigit);

    /// <summary><see cref="NoLivingPerson(DateOnly, DateOnly)"/> of a mirrored birthday's text; false where it has no year.</summary>
    public static bool NoLivingPerson(string? birthday, DateOnly on) => Year(birthday) is { } year && on.Year - year > OldestAge;

    /// <summary>The year of a mirrored birthday's text (<c>yyyy-MM-dd</c>); null where it is not one.</summary>
    internal static int? Year(string? birthday) =>
        birthday is { Length: 10 } && birthday[4] == '-' && birthday[7] == '-' &&
        int.TryParse(birthday.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year) ? year : null;
}
