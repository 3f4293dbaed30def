using System.Data.Common;
using System.Text.Json;
using CrmExtensions.Ledger.Connections;
using CrmExtensions.Ledger.Mapping;
using CrmExtensions.Ledger.Reading;
using CrmExtensions.Store.Providers;
using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace CrmExtensions.Ledger.Checking;

/// <summary>What the ledger's login may do to the tables its mapping reads, besides reading them.</summary>
/// <param name="Ledger">The ledger.</param>
/// <param name="Tables">Each mapped table the login could write, with the writes it could make (<c>INSERT, UPDATE</c>);
/// empty when it could write none.</param>
public sealed record LedgerWriteAccess(string Ledger, IReadOnlyList<string> Tables)
{
    /// <summary>Whether the login could write to any table the mapping reads.</summary>
    public bool CanWrite => Tables.Count > 0;
}

/// <summary>Finds whether a ledger's login could write to the tables its mapping queries read.</summary>
/// <remarks>
/// crmx never writes a ledger (read-only sessions, one wrapped SELECT), but a login that cannot write is the lock that
/// holds whatever the host does: the check recommends a read-only role. PostgreSQL: the tables come from the planner
/// (<c>EXPLAIN (VERBOSE, FORMAT JSON)</c>, which runs nothing) and the rights from <c>has_table_privilege</c>. SQL Server:
/// the tables from parsing the query (ScriptDom), the rights from <c>HAS_PERMS_BY_NAME</c>. SQLite: the file is opened
/// read-only; its rights are the file system's, so nothing is reported.
/// </remarks>
internal static class WritePrivileges
{
    internal const string PostgresSql =
        "SELECT p FROM unnest(ARRAY['INSERT', 'UPDATE', 'DELETE', 'TRUNCATE']) AS p WHERE has_table_privilege(format('%I.%I', @schema, @name), p)";

    internal const string SqlServerSql =
        "SELECT p.name FROM (VALUES ('INSERT'), ('UPDATE'), ('DELETE'), ('ALTER')) AS p (name) WHERE HAS_PERMS_BY_NAME(@name, 'OBJECT', p.name) = 1";

    /// <summary>The mapped tables the login could write, or null when the provider has no logins (SQLite).</summary>
    /// <exception cref="DbException">The ledger refused the question.</exception>
    public static LedgerWriteAccess? Check(LedgerDefinition ledger, DbConnection connection, CancellationToken cancellationToken)
    {
        if (ledger.Provider == DatabaseProvider.Sqlite)
        {
            return null;
        }

        var tables = new SortedSet<(string Schema, string Name)>();
        foreach (var mapping in ledger.Mapping.Kinds)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (QueryGuard.Check(ledger.Provider, mapping.Query) is not null)
            {
                continue; // refused, and reported as such: never sent, not even to the planner
            }

            tables.UnionWith(ledger.Provider == DatabaseProvider.PostgreSql ? PlannedTables(ledger, connection, mapping) : ParsedTables(mapping.Query));
        }

        var writable = new List<string>();
        foreach (var (schema, name) in tables)
        {
            var rights = ledger.Provider == DatabaseProvider.PostgreSql
                ? Strings(connection, PostgresSql, ("schema", schema), ("name", name))
                : Strings(connection, SqlServerSql, ("name", string.IsNullOrEmpty(schema) ? name : $"{schema}.{name}"));
            if (rights.Count > 0)
            {
                writable.Add($"{(string.IsNullOrEmpty(schema) ? "" : schema + ".")}{name} ({string.Join(", ", rights)})");
            }
        }

        return new LedgerWriteAccess(ledger.Name, writable);
    }

    private static List<string> Strings(DbConnection connection, string sql, params (string Name, string Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@" + name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        var result = new List<string>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            result.Add(reader.GetString(0));
        }

        return result;
    }

    /// <summary>The tables PostgreSQL's planner says the wrapped query reads.</summary>
    private static List<(string, string)> PlannedTables(LedgerDefinition ledger, DbConnection connection, KindMapping mapping)
    {
        using var transaction = LedgerReader.BeginReadTransaction(ledger, connection);
        using var command = LedgerReader.CreateCommand(ledger, connection, transaction, "EXPLAIN (VERBOSE, FORMAT JSON) " + LedgerReader.Wrapped(ledger.Provider, mapping.Query));
        var plan = command.ExecuteScalar() as string ?? "[]";
        transaction.Rollback();
        var found = new List<(string, string)>();
        using var document = JsonDocument.Parse(plan);
        Collect(document.RootElement, found);
        return found;

        static void Collect(JsonElement element, List<(string, string)> found)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    if (element.TryGetProperty("Relation Name", out var name) && element.TryGetProperty("Schema", out var schema))
                    {
                        found.Add((schema.GetString()!, name.GetString()!));
                    }

                    foreach (var property in element.EnumerateObject())
                    {
                        Collect(property.Value, found);
                    }

                    break;
                case JsonValueKind.Array:
                    foreach (var item in element.EnumerateArray())
                    {
                        Collect(item, found);
                    }

                    break;
            }
        }
    }

    /// <summary>The tables a T-SQL query names (common table expressions left out).</summary>
    internal static IEnumerable<(string, string)> ParsedTables(string query)
    {
        var fragment = new TSql170Parser(initialQuotedIdentifiers: true).Parse(new StringReader(query), out var errors);
        if (errors.Count > 0)
        {
            return [];
        }

        var visitor = new TableVisitor();
        fragment.Accept(visitor);
        return visitor.Tables.Where(t => !visitor.CommonTableExpressions.Contains(t.Item2));
    }

    private sealed class TableVisitor : TSqlFragmentVisitor
    {
        public List<(string, string)> Tables { get; } = [];

        public HashSet<string> CommonTableExpressions { get; } = new(StringComparer.OrdinalIgnoreCase);

        public override void Visit(CommonTableExpression node) => CommonTableExpressions.Add(node.ExpressionName.Value);

        public override void Visit(NamedTableReference node) =>
            Tables.Add((node.SchemaObject.SchemaIdentifier?.Value ?? "", node.SchemaObject.BaseIdentifier.Value));
    }

    /// <summary>Every statement this class sends to a SQL Server ledger, for the T-SQL parse test.</summary>
    internal static IEnumerable<string> Statements() => [SqlServerSql];
}
