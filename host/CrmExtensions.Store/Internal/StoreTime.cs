using System.Globalization;

namespace CrmExtensions.Store.Internal;

/// <summary>How the store writes instants: ISO 8601 UTC text, which sorts and compares the same in every database.</summary>
internal static class StoreTime
{
    public static string Format(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static string Now(TimeProvider time) => Format(time.GetUtcNow());
}
