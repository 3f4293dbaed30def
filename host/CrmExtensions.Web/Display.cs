using System.Globalization;
using CrmExtensions.Application;
using CrmExtensions.Mail.Templates;

namespace CrmExtensions.Web;

/// <summary>How the pages write money, days and instants: <c>ru-RU</c> numbers and dates, instants in the company's time zone.</summary>
internal sealed class Display(CrmWorkspace workspace)
{
    public static readonly CultureInfo Culture = CultureInfo.GetCultureInfo("ru-RU");

    private TimeZoneInfo Zone => workspace.ReminderSettings.TimeZone;

    /// <summary>Stored ten-thousandths as <c>1 234 567,89 ₽</c>, or with the sign or code of another currency (<c>1 234,50 $</c>).</summary>
    public static string Money(long? stored, string? currency = Store.Mirror.Currency.DefaultBase) =>
        stored is { } s ? Amount(Store.Mirror.Money.FromStored(s), currency) : "";

    /// <summary>An amount as <c>1 234 567,89 ₽</c>, or in another currency.</summary>
    public static string Amount(decimal amount, string? currency = Store.Mirror.Currency.DefaultBase) => Store.Mirror.Currency.Format(amount, currency, Culture);

    /// <summary>A total the store summed (revenue, debt), in its base currency: <c>1 234 567,89 ₽</c>, or <c>$</c> when the base is USD.</summary>
    public string Total(decimal amount) => Amount(amount, workspace.Store.BaseCurrency);

    /// <summary>A stored day or instant as <c>03.12.2026</c> or <c>03.12.2026 14:05</c> in the company's zone.</summary>
    public string When(string? stored)
    {
        if (string.IsNullOrEmpty(stored))
        {
            return "";
        }

        if (stored.Length == 10 && DateOnly.TryParseExact(stored, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return Day(day);
        }

        return DateTimeOffset.TryParse(stored, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant)
            ? TimeZoneInfo.ConvertTime(instant, Zone).ToString("dd.MM.yyyy HH:mm", Culture)
            : stored;
    }

    /// <summary>A day as <c>03.12.2026</c>.</summary>
    public static string Day(DateOnly day) => day.ToString("dd.MM.yyyy", Culture);

    /// <summary>A birthday as <c>3 декабря</c>, with the age reached when the year is known.</summary>
    public static string Birthday(string stored, DateOnly today)
    {
        var parts = stored.Split('-', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 3 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var year) && year > 1900)
        {
            var age = today.Year - year;
            return age is > 0 and < 130 ? $"{age} {MailLocale.Russian.Plural(age, "год", "года", "лет")}" : "";
        }

        return "";
    }

    /// <summary>A count with its English noun: <c>1 branch</c>, <c>21 branches</c>.</summary>
    public static string Count(long n, string one, string other) =>
        n.ToString(CultureInfo.InvariantCulture) + " " + MailLocale.English.Plural(n, one, other, null);

    /// <summary>The now of the workspace's clock, in the company's zone.</summary>
    public DateTimeOffset Now => TimeZoneInfo.ConvertTime(workspace.Time.GetUtcNow(), Zone);

    /// <summary>A wall-clock time in the company's zone as an instant.</summary>
    public DateTimeOffset FromLocal(DateTime local) => new(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), Zone.GetUtcOffset(local));

    /// <summary>Today in the company's zone (the reminders' day).</summary>
    public DateOnly Today => workspace.ReminderSettings.Today(workspace.Time.GetUtcNow());
}
