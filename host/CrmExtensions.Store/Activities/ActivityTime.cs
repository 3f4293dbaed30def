using System.Globalization;

namespace CrmExtensions.Store.Activities;

/// <summary>Reads when an activity happened as people write it, in their own time zone unless an offset is given.</summary>
public static class ActivityTime
{
    private static readonly string[] LocalFormats =
    [
        "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd",
        "dd.MM.yyyy HH:mm", "dd.MM.yyyy HH:mm:ss", "dd.MM.yyyy", "d.M.yyyy H:mm", "d.M.yyyy",
    ];

    private static readonly string[] OffsetFormats =
        ["yyyy-MM-dd'T'HH:mmzzz", "yyyy-MM-dd'T'HH:mm:sszzz", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", "yyyy-MM-dd'T'HH:mm'Z'", "yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'"];

    /// <summary>The formats accepted, for messages.</summary>
    public const string Accepted = "2026-11-23 15:00, 2026-11-23T15:00, 23.11.2026 15:00 or a date alone; an offset (+03:00, Z) is honoured";

    /// <summary>Parses a local date and time (in <paramref name="zone"/>) or an instant with an offset.</summary>
    public static bool TryParse(string? text, TimeZoneInfo zone, out DateTimeOffset instant)
    {
        ArgumentNullException.ThrowIfNull(zone);
        instant = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        text = text.Trim();
        if (DateTimeOffset.TryParseExact(text, OffsetFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out instant))
        {
            return true;
        }

        if (!DateTime.TryParseExact(text, LocalFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            return false;
        }

        // A clock time skipped by a DST change does not exist; read it as the moment after the jump.
        if (zone.IsInvalidTime(local))
        {
            local = local.AddHours(1);
        }

        instant = new DateTimeOffset(local, zone.GetUtcOffset(local));
        return true;
    }
}
