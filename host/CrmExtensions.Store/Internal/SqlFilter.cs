using System.Text;

namespace CrmExtensions.Store.Internal;

/// <summary>Builds a SELECT from fixed pieces: the conditions in use joined by AND, so every variant can be enumerated for tests.</summary>
internal static class SqlFilter
{
    public static string Select(string select, string orderBy, params ReadOnlySpan<(bool On, string Condition)> conditions)
    {
        var sb = new StringBuilder(select);
        var first = true;
        foreach (var (on, condition) in conditions)
        {
            if (on)
            {
                sb.Append(first ? " WHERE " : " AND ").Append(condition);
                first = false;
            }
        }

        return sb.Append(" ORDER BY ").Append(orderBy).ToString();
    }

    /// <summary>Every combination of <paramref name="count"/> switches, for enumerating the variants of a filtered query.</summary>
    public static IEnumerable<bool[]> Variants(int count) =>
        Enumerable.Range(0, 1 << count).Select(bits => Enumerable.Range(0, count).Select(i => (bits & (1 << i)) != 0).ToArray());
}
