using System.Globalization;

namespace CrmExtensions.Store.Mirror;

/// <summary>What a mirrored birthday (<c>yyyy-MM-dd</c>, or <c>--MM-dd</c> without a year) says of a living person.</summary>
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
    public static bool NoLivingPerson(string? birthday, DateOnly on) =>
        birthday is { Length: >= 4 } && int.TryParse(birthday.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year)
        && on.Year - year > OldestAge;
}
