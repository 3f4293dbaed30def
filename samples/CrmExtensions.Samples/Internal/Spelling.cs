using System.Globalization;
using System.Text;

namespace CrmExtensions.Samples.Internal;

/// <summary>A Russian person's name in its three parts.</summary>
internal sealed record PersonName(string Surname, string First, string? Patronymic, bool Female)
{
    public string Full => Patronymic is null ? $"{Surname} {First}" : $"{Surname} {First} {Patronymic}";

    public string Initials => Patronymic is null ? $"{Surname} {First[0]}." : $"{Surname} {First[0]}.{Patronymic[0]}.";
}

/// <summary>The many ways people type the same name into a ledger.</summary>
internal static class Spelling
{
    private static readonly Dictionary<char, string> Translit = new()
    {
        ['а'] = "a", ['б'] = "b", ['в'] = "v", ['г'] = "g", ['д'] = "d", ['е'] = "e", ['ё'] = "e", ['ж'] = "zh",
        ['з'] = "z", ['и'] = "i", ['й'] = "y", ['к'] = "k", ['л'] = "l", ['м'] = "m", ['н'] = "n", ['о'] = "o",
        ['п'] = "p", ['р'] = "r", ['с'] = "s", ['т'] = "t", ['у'] = "u", ['ф'] = "f", ['х'] = "kh", ['ц'] = "ts",
        ['ч'] = "ch", ['ш'] = "sh", ['щ'] = "shch", ['ъ'] = "", ['ы'] = "y", ['ь'] = "", ['э'] = "e", ['ю'] = "yu",
        ['я'] = "ya",
    };

    // Letters people confuse when typing fast; each pair is applied in one direction only.
    private static readonly (char From, char To)[] Confusions = [('о', 'а'), ('а', 'о'), ('е', 'и'), ('и', 'е'), ('т', 'д'), ('с', 'з'), ('й', 'и')];

    /// <summary>Transliterates Cyrillic to Latin, keeping case of the first letter of each run.</summary>
    public static string ToLatin(string text)
    {
        var builder = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            var lower = char.ToLowerInvariant(c);
            if (Translit.TryGetValue(lower, out var latin))
            {
                builder.Append(c != lower && latin.Length > 0 ? char.ToUpperInvariant(latin[0]) + latin[1..] : latin);
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    /// <summary>A lower-case Latin token fit for a mailbox or a domain, never ending in a digit.</summary>
    public static string ToSlug(string text)
    {
        var latin = ToLatin(text).ToLowerInvariant();
        var builder = new StringBuilder(latin.Length);
        foreach (var c in latin)
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                builder.Append(c);
            }
            else if ((c is ' ' or '-') && builder.Length > 0 && builder[^1] != '-')
            {
                builder.Append('-');
            }
        }

        return builder.ToString().TrimEnd('-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9');
    }

    public static string WithoutYo(string text) => text.Replace('ё', 'е').Replace('Ё', 'Е');

    /// <summary>The usual way a head office is written: short form and quotes.</summary>
    public static string CanonicalOrganisation(Rng rng, LegalForm form, string brand) => rng.Next(10) switch
    {
        < 4 => $"{form.Short} \"{brand}\"",
        < 6 => $"{form.Short} «{brand}»",
        < 8 => $"{brand} {form.Short}",
        < 9 => $"{form.Short} {brand}",
        _ => $"{form.Full} \"{brand}\"",
    };

    /// <summary>Another spelling of the same organisation; <paramref name="close"/> keeps it near enough to match on name alone.</summary>
    public static string VariantOrganisation(Rng rng, LegalForm form, string brand, bool close)
    {
        var b = brand;
        if (rng.Chance(0.5))
        {
            b = WithoutYo(b);
        }

        if (!close && rng.Chance(0.25))
        {
            b = Typo(rng, b);
        }

        var style = rng.Next(close ? 11 : 15);
        return style switch
        {
            0 => $"{form.Short} «{b}»",
            1 => $"{form.Short} \"{b}\"",
            2 => $"{b} {form.Short}",
            3 => $"{form.Short} {b}",
            4 => $"{form.Full} \"{b}\"",
            5 => $"{form.Short} \"{b.ToUpperInvariant()}\"",
            6 => $"{form.Short}\"{b}\"",
            7 => $"{form.Short} “{b}”",
            8 => $"{b}, {form.Short}",
            9 => $"\"{b}\" {form.Short}",
            10 => $"{form.Full.ToUpperInvariant()} \"{b.ToUpperInvariant()}\"",
            11 => $"{form.Latin} \"{ToLatin(b)}\"",
            12 => $"{ToLatin(b)} {form.English}",
            13 => $"{form.Short} \"{b}\" ",
            _ => $"{form.Short} ''{b}''",
        };
    }

    public static string BranchName(Rng rng, LegalForm form, string brand, string city) => rng.Next(5) switch
    {
        0 => $"Филиал {form.Short} «{brand}» в г. {city}",
        1 => $"{form.Short} \"{brand}\" филиал {city}",
        2 => $"{brand} {form.Short} (филиал г. {city})",
        3 => $"ФИЛИАЛ {form.Short} \"{brand.ToUpperInvariant()}\" Г. {city.ToUpperInvariant()}",
        _ => $"{form.Short} \"{brand}\" - {city} (филиал)",
    };

    public static string CanonicalSoleProprietor(Rng rng, PersonName person) => rng.Next(4) switch
    {
        < 3 => $"ИП {person.Full}",
        _ => $"Индивидуальный предприниматель {person.Full}",
    };

    public static string VariantSoleProprietor(Rng rng, PersonName person)
    {
        var p = rng.Chance(0.5) ? person with { Surname = WithoutYo(person.Surname), First = WithoutYo(person.First), Patronymic = person.Patronymic is null ? null : WithoutYo(person.Patronymic) } : person;
        return rng.Next(7) switch
        {
            0 => $"{p.Initials} ИП",
            1 => $"ИП {p.Initials}",
            2 => $"ИП {p.Full.ToUpperInvariant()}",
            3 => $"IP {ToLatin(p.Full)}",
            4 => $"{p.Full} ИП",
            5 => $"ИП {Typo(rng, p.Surname)} {p.First} {p.Patronymic}".TrimEnd(),
            _ => $"Индивидуальный предприниматель {p.Full}",
        };
    }

    public static string VariantForeign(Rng rng, string name) => rng.Next(4) switch
    {
        0 => name.ToUpperInvariant(),
        1 => name.TrimEnd('.') + " ",
        2 => name.Replace(" & ", " and ", StringComparison.Ordinal).Replace(",", string.Empty, StringComparison.Ordinal),
        _ => name.Replace(".", string.Empty, StringComparison.Ordinal),
    };

    /// <summary>One slip of the keyboard: a swap, a dropped or doubled letter, or a confused vowel.</summary>
    public static string Typo(Rng rng, string word)
    {
        if (word.Length < 5)
        {
            return word;
        }

        var i = rng.Next(1, word.Length - 2);
        switch (rng.Next(4))
        {
            case 0:
                return string.Concat(word.AsSpan(0, i), word[i + 1].ToString(), word[i].ToString(), word.AsSpan(i + 2));
            case 1:
                return word.Remove(i, 1);
            case 2:
                return word.Insert(i, word[i].ToString());
            default:
                foreach (var (from, to) in Confusions)
                {
                    var at = word.IndexOf(from, 1);
                    if (at > 0)
                    {
                        return string.Concat(word.AsSpan(0, at), to.ToString(), word.AsSpan(at + 1));
                    }
                }

                return word.Remove(i, 1);
        }
    }

    /// <summary>Formats a Russian number (three-digit code, seven digits) the way people type it.</summary>
    public static string Phone(Rng rng, string code, int number)
    {
        var n = number.ToString("D7", CultureInfo.InvariantCulture);
        return rng.Next(7) switch
        {
            0 or 1 => $"+7 ({code}) {n[..3]}-{n[3..5]}-{n[5..]}",
            2 => $"8 ({code}) {n[..3]}-{n[3..5]}-{n[5..]}",
            3 => $"8-{code}-{n[..3]}-{n[3..5]}-{n[5..]}",
            4 => $"+7{code}{n}",
            5 => $"({code}) {n}",
            _ => $"{code} {n[..3]} {n[3..5]} {n[5..]}",
        };
    }
}
