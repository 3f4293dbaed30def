using System.Data.Common;
using CrmExtensions.Store.Internal;
using CrmExtensions.Store.Providers;
using Dapper;

namespace CrmExtensions.Store.Segments;

/// <summary>A named behaviour segment as stored: its rule text, who saved it and when.</summary>
public sealed record SegmentDefinition(string Name, string RuleText, string? CreatedBy, string UpdatedAt);

/// <summary>The one reader and writer of <c>behaviour_segments</c>: named rules, saved, listed and removed.</summary>
/// <remarks>Only the rule's text is kept; the mail project parses and compiles it into parameterised SQL on each use.</remarks>
public sealed class SegmentDefinitionStore(CrmStore store)
{
    internal const string ListSql = "SELECT name AS Name, rule_text AS RuleText, created_by AS CreatedBy, updated_at AS UpdatedAt FROM behaviour_segments ORDER BY name";
    internal const string GetSql = "SELECT name AS Name, rule_text AS RuleText, created_by AS CreatedBy, updated_at AS UpdatedAt FROM behaviour_segments WHERE name = @name";
    internal const string DeleteSql = "DELETE FROM behaviour_segments WHERE name = @name";

    internal static string SaveSql(StoreDialect dialect) =>
        dialect.Upsert("behaviour_segments", ["name"], ["name", "rule_text", "created_by", "updated_at"]);

    /// <summary>Every statement for a dialect, for the T-SQL parse test.</summary>
    internal static IEnumerable<string> Statements(StoreDialect dialect) => [ListSql, GetSql, DeleteSql, SaveSql(dialect)];

    /// <summary>Every stored segment, by name.</summary>
    public IReadOnlyList<SegmentDefinition> List()
    {
        using var connection = store.Open();
        return connection.Query<SegmentDefinition>(ListSql).ToList();
    }

    /// <summary>One stored segment, or null.</summary>
    public SegmentDefinition? Find(string name)
    {
        using var connection = store.Open();
        return Find(connection, name);
    }

    /// <summary>One stored segment on the caller's connection, or null (the compiler reads referenced segments this way).</summary>
    public static SegmentDefinition? Find(DbConnection connection, string name)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return connection.QuerySingleOrDefault<SegmentDefinition>(GetSql, new { name });
    }

    /// <summary>Saves a segment's rule under its name, replacing the rule of that name if there is one.</summary>
    /// <returns>The segment as stored.</returns>
    public SegmentDefinition Save(string name, string rule, string? createdBy)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(rule);
        var saved = new SegmentDefinition(name, rule, createdBy, StoreTime.Now(store.Time));
        using var connection = store.Open();
        connection.Execute(SaveSql(store.Dialect), new { name, rule_text = rule, created_by = createdBy, updated_at = saved.UpdatedAt });
        return saved;
    }

    /// <summary>Removes a segment; returns whether there was one.</summary>
    public bool Remove(string name)
    {
        using var connection = store.Open();
        return connection.Execute(DeleteSql, new { name }) > 0;
    }
}
