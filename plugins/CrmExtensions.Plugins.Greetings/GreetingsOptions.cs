using System.Globalization;
using CrmExtensions.Sdk;

namespace CrmExtensions.Plugins.Greetings;

/// <summary>A yearly holiday: its day and name.</summary>
internal sealed record Holiday(int Month, int Day, string Name)
{
    /// <summary>The stable part of the mail's business key, such as <c>03-08</c>.</summary>
    public string Code => string.Create(CultureInfo.InvariantCulture, $"{Month:00}-{Day:00}");

    public DateOnly In(int year) => new(year, Month, Math.Min(Day, DateTime.DaysInMonth(year, Month)));
}

/// <summary>The greetings' settings: <c>holidays</c>, <c>senderName</c> and <c>catchUpDays</c>.</summary>
internal sealed record GreetingsOptions(IReadOnlyList<Holiday> Holidays, string SenderName, int CatchUpDays)
{
    /// <summary>The Russian calendar: New Year, Defender of the Fatherland Day, Women's Day, Victory Day, and Energy Day.</summary>
    public const string RussianHolidays =
        "01-01=Новый год; 02-23=День защитника Отечества; 03-08=Международный женский день; 05-09=День Победы; 12-22=День энергетика";

    /// <summary>Reads <c>holidays</c> (<c>MM-dd=Name; …</c>, replacing the Russian calendar), <c>senderName</c> and <c>catchUpDays</c> (3).</summary>
    /// <remarks>A greeting is sent on its day, or within <c>catchUpDays</c> after it when the host did not run that day.</remarks>
    public static GreetingsOptions From(IPluginSettings settings)
    {
        var holidays = new List<Holiday>();
        var problems = new List<string>();
        foreach (var entry in settings.GetList("holidays") ?? RussianHolidays.Split(';', StringSplitOptions.TrimEntries))
        {
            var parts = entry.Split('=', 2, StringSplitOptions.TrimEntries);
            if (parts.Length == 2 && parts[1].Length > 0
                && DateOnly.TryParseExact("2024-" + parts[0], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                holidays.Add(new Holiday(day.Month, day.Day, parts[1]));
            }
            else
            {
                problems.Add(entry);
            }
        }

        if (problems.Count > 0)
        {
            throw new PluginConfigurationException(
                $"{Startup.Id}: 'holidays' is a list of MM-dd=Name separated by ';' (such as \"{RussianHolidays[..30]}…\"); these do not fit: {string.Join(", ", problems)}.", Startup.Id);
        }

        var catchUp = settings.GetInt32("catchUpDays", 3);
        if (catchUp is < 0 or > 30)
        {
            throw new PluginConfigurationException($"{Startup.Id}: 'catchUpDays' is between 0 and 30; got {catchUp}.", Startup.Id);
        }

        return new GreetingsOptions(holidays, settings.Get("senderName") ?? "Ваша команда", catchUp);
    }
}
