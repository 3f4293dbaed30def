using Dapper;

namespace CrmExtensions.Store.Clients;

/// <summary>The one definition of "has the client tag NAME, or NAME=VALUE", for every client list that filters by a tag.</summary>
internal static class ClientTagFilter
{
    /// <summary>The condition for a client id column; adds its parameters (<c>@tag</c>, and <c>@tagValue</c> with a value).</summary>
    /// <param name="tag"><c>NAME</c> (any value) or <c>NAME=VALUE</c>; both parts are trimmed.</param>
    /// <param name="clientColumn">The client id column of the outer query, such as <c>d.client_id</c>.</param>
    /// <param name="parameters">Where the parameters go.</param>
    public static string Condition(string tag, string clientColumn, DynamicParameters parameters)
    {
        var equals = tag.IndexOf('=', StringComparison.Ordinal);
        parameters.Add("tag", (equals < 0 ? tag : tag[..equals]).Trim());
        if (equals < 0)
        {
            return Sql(clientColumn, withValue: false);
        }

        parameters.Add("tagValue", tag[(equals + 1)..].Trim());
        return Sql(clientColumn, withValue: true);
    }

    /// <summary>The condition's text, for the statement lists the tests parse.</summary>
    internal static string Sql(string clientColumn, bool withValue) =>
        "EXISTS (SELECT 1 FROM client_tags tg WHERE tg.client_id = " + clientColumn + " AND tg.name = @tag" + (withValue ? " AND tg.value = @tagValue)" : ")");
}
