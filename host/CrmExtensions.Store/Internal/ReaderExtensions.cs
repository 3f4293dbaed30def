using System.Data.Common;

namespace CrmExtensions.Store.Internal;

/// <summary>Typed reads of a column that may be NULL.</summary>
internal static class ReaderExtensions
{
    /// <summary>The column's text, or null where it is NULL.</summary>
    public static string? GetStringOrNull(this DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
