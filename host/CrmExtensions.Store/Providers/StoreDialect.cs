using System.Globalization;
using System.Text;

namespace CrmExtensions.Store.Providers;

/// <summary>The SQL that differs between the databases the store runs on.</summary>
/// <remarks>Every statement the store emits is built here or from these pieces, so tests can enumerate them.</remarks>
public abstract partial class StoreDialect
{
    private protected StoreDialect() { }

    /// <summary>The provider this dialect speaks for.</summary>
    public abstract DatabaseProvider Provider { get; }

    /// <summary>The column type for free text.</summary>
    public abstract string TextType { get; }

    /// <summary>The column type for text that is part of a key or index.</summary>
    public abstract string KeyType { get; }

    /// <summary>The column type for 64-bit integers.</summary>
    public virtual string BigIntType => "bigint";

    /// <summary>The column type for floating-point numbers (scores).</summary>
    public abstract string RealType { get; }

    /// <summary>The column definition of a surrogate, increasing primary key named <paramref name="name"/>.</summary>
    public abstract string IdentityColumn(string name);

    /// <summary>Quotes an identifier.</summary>
    public virtual string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>Replaces the placeholders <c>{text}</c>, <c>{key}</c>, <c>{bigint}</c>, <c>{real}</c> and <c>{id:name}</c> in DDL.</summary>
    public string Ddl(string template)
    {
        var sql = template
            .Replace("{text}", TextType, StringComparison.Ordinal)
            .Replace("{key}", KeyType, StringComparison.Ordinal)
            .Replace("{bigint}", BigIntType, StringComparison.Ordinal)
            .Replace("{real}", RealType, StringComparison.Ordinal);
        var start = sql.IndexOf("{id:", StringComparison.Ordinal);
        while (start >= 0)
        {
            var end = sql.IndexOf('}', start);
            sql = string.Concat(sql.AsSpan(0, start), IdentityColumn(sql[(start + 4)..end]), sql.AsSpan(end + 1));
            start = sql.IndexOf("{id:", StringComparison.Ordinal);
        }

        return sql;
    }

    /// <summary>An insert-or-update of one row by its key columns; parameters are named <c>@column</c>.</summary>
    /// <param name="table">The table.</param>
    /// <param name="keys">The columns of the unique key the row is matched on.</param>
    /// <param name="columns">Every column inserted, keys included.</param>
    /// <param name="insertOnly">Columns written on insert and kept on update (e.g. when a row was first seen).</param>
    /// <param name="computed">Columns whose value is an SQL expression over the parameters rather than a parameter of their own.</param>
    /// <param name="updateWhen">When given, an existing row is updated only if this condition holds; it is given the
    /// names for the stored row and for the new values (<c>(row, incoming) =&gt; $"{row}.hash &lt;&gt; {incoming}.hash"</c>),
    /// and the statement then affects no row otherwise — a compare-and-set that two writers of one change cannot both win.</param>
    public string Upsert(string table, IReadOnlyList<string> keys, IReadOnlyList<string> columns, IReadOnlyCollection<string>? insertOnly = null,
        IReadOnlyDictionary<string, string>? computed = null, Func<string, string, string>? updateWhen = null)
    {
        insertOnly ??= [];
        var values = columns.Select(c => computed is not null && computed.TryGetValue(c, out var e) ? e : "@" + c).ToArray();
        return UpsertCore(table, keys, columns, values, columns.Where(c => !keys.Contains(c) && !insertOnly.Contains(c)).ToArray(), updateWhen);
    }

    private protected virtual string UpsertCore(string table, IReadOnlyList<string> keys, IReadOnlyList<string> columns, IReadOnlyList<string> values, IReadOnlyList<string> updated,
        Func<string, string, string>? updateWhen)
    {
        var sb = new StringBuilder();
        sb.Append("INSERT INTO ").Append(table).Append(" (").AppendJoin(", ", columns).Append(") VALUES (")
            .AppendJoin(", ", values).Append(')');
        return OnConflict(sb, table, keys, updated, updateWhen);
    }

    /// <summary>The insert-or-update of every row a set of rows gives, in one statement: <c>INSERT … SELECT … FROM
    /// <paramref name="from"/> ON CONFLICT … DO UPDATE</c>, PostgreSQL only (a batch of rows sent at once).</summary>
    /// <param name="table">The table.</param>
    /// <param name="keys">The columns of the unique key the rows are matched on; no two rows of the set may share it.</param>
    /// <param name="columns">Every column inserted, keys included, each with its SQL expression over <paramref name="from"/>.</param>
    /// <param name="from">The set of rows (e.g. <c>unnest(@a::text[], …) AS r(a, …)</c>).</param>
    /// <param name="insertOnly">Columns written on insert and kept on update.</param>
    /// <param name="updateWhen">As for <see cref="Upsert"/>: an existing row is updated only if it holds.</param>
    internal string UpsertFrom(string table, IReadOnlyList<string> keys, IReadOnlyList<(string Column, string Value)> columns, string from,
        IReadOnlyCollection<string> insertOnly, Func<string, string, string>? updateWhen)
    {
        if (Provider != DatabaseProvider.PostgreSql)
        {
            throw new NotSupportedException("An upsert of a set of rows is written for PostgreSQL only.");
        }

        var sb = new StringBuilder();
        sb.Append("INSERT INTO ").Append(table).Append(" (").AppendJoin(", ", columns.Select(c => c.Column)).Append(") SELECT ")
            .AppendJoin(", ", columns.Select(c => c.Value)).Append(" FROM ").Append(from);
        var updated = columns.Select(c => c.Column).Where(c => !keys.Contains(c) && !insertOnly.Contains(c)).ToArray();
        return OnConflict(sb, table, keys, updated, updateWhen);
    }

    private static string OnConflict(StringBuilder sb, string table, IReadOnlyList<string> keys, IReadOnlyList<string> updated, Func<string, string, string>? updateWhen)
    {
        sb.Append(" ON CONFLICT (").AppendJoin(", ", keys)
            .Append(") DO UPDATE SET ")
            .AppendJoin(", ", updated.Select(c => c + " = excluded." + c));
        if (updateWhen is not null)
        {
            sb.Append(" WHERE ").Append(updateWhen(table, "excluded"));
        }

        return sb.ToString();
    }

    /// <summary>The insert of one row that adds nothing when a row with the same unique key exists, even one a concurrent
    /// transaction is inserting: <c>INSERT … VALUES … ON CONFLICT DO NOTHING</c>, or on SQL Server an <c>INSERT … SELECT</c>
    /// under a key-range locked <c>NOT EXISTS</c>.</summary>
    /// <remarks>Not <c>INSERT … SELECT … ON CONFLICT</c> on SQLite: the same 20,068 reminders inserted one statement each
    /// took 0.59 s of SQLite's time through a <c>SELECT</c> and 0.17 s through <c>VALUES</c>.</remarks>
    /// <param name="table">The table inserted into.</param>
    /// <param name="columns">Its columns written, separated by commas.</param>
    /// <param name="values">The value of each, an expression (a parameter, a literal), in the same order.</param>
    /// <param name="key">The columns of its unique key, each with the parameter that holds its value.</param>
    internal string InsertIfAbsent(string table, string columns, string values, params IReadOnlyList<(string Column, string Parameter)> key) =>
        "INSERT INTO " + table + " (" + columns + ") " + (Provider == DatabaseProvider.SqlServer
            ? "SELECT " + values + " WHERE NOT EXISTS (SELECT 1 FROM " + table + " WITH (UPDLOCK, HOLDLOCK) WHERE " +
              string.Join(" AND ", key.Select(k => k.Column + " = @" + k.Parameter)) + ")"
            : "VALUES (" + values + ") ON CONFLICT (" + string.Join(", ", key.Select(k => k.Column)) + ") DO NOTHING");

    /// <summary>An expression of text compared and ordered by code point, as .NET's ordinal comparison does, whatever the
    /// database's collation (keyset cursors compare in SQL what the host compares in memory).</summary>
    public virtual string Ordinal(string expression) => expression;

    /// <summary>A statement that serialises migrations between host processes, or null where the transaction does it.</summary>
    public abstract string? MigrationLock { get; }

    /// <summary>Limits a SELECT statement (<c>SELECT [DISTINCT] …</c>) to its first <paramref name="count"/> rows.</summary>
    public virtual string Top(string select, int count)
    {
        ArgumentNullException.ThrowIfNull(select);
        return select + " LIMIT " + count.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Follows a table's alias in a FROM clause to read the table through <paramref name="index"/>, in its order; empty
    /// where the database chooses well by itself.
    /// </summary>
    /// <remarks>SQLite keeps no statistics of how many rows a range of dates holds, so it reads any date range through the
    /// date's index and sorts what it groups, even when the range holds half the table and an index in the grouping's own
    /// order would group it in one pass with no sort. PostgreSQL and SQL Server weigh both from their statistics.</remarks>
    public virtual string InIndexOrder(string index) => "";

    /// <summary>
    /// Settings to run, in a transaction of their own, before a statement that groups a large part of a table in the order
    /// of an index (<see cref="InIndexOrder"/>), so that the database groups in that order rather than hashing or sorting
    /// what it reads; null where the statement's hint does it or the database weighs it well.
    /// </summary>
    /// <remarks>PostgreSQL takes no hint and estimates how many groups a statement makes from a sample of the table: with
    /// about three invoices per counterparty its sample of a million counterparties' invoices held 62,159 of the 668,543 it
    /// has, so the planner hashed a year's invoices in parallel over the date's index, spilled the hash to disk in 21 batches
    /// and sorted the groups (4.3 to 4.8 s at load average 18 to 30), where reading the counterparties' index in its order
    /// groups them in one pass (1.7 to 1.8 s in the same minutes); at 100,000 counterparties the two cost the same.
    /// The settings only take the hash and the sort away from this one statement, whatever a table holds.</remarks>
    public virtual string? InIndexOrderSettings => null;

    /// <summary>
    /// A statement whose lists are written <c>IN @name</c>, each list taken as one parameter (give it the value of
    /// <see cref="List{T}"/>): SQLite reads it as a JSON array through <c>json_each</c>, PostgreSQL as an array
    /// (<c>= ANY(@name)</c>); on SQL Server Dapper expands it into one parameter per item (a batch must stay under its 2,100).
    /// </summary>
    /// <remarks>Expanded, a batch of 500 ids is 500 parameters that SQLite looks up by name one after the other when it
    /// binds them, and a statement text of its own to prepare for every batch size: a campaign to 65,000 clients spent more
    /// time binding its batches' parameters than reading their rows.</remarks>
    public virtual string InLists(string sql) => sql;

    /// <summary>A list's value for a statement of <see cref="InLists"/>.</summary>
    public virtual object List<T>(IReadOnlyCollection<T> values) => values as T[] ?? [.. values];

    /// <summary>A statement of <see cref="InLists"/> with each list written as Dapper expands it on SQL Server (two
    /// items), for the tests that parse every T-SQL statement.</summary>
    internal static string ExpandedLists(string sql) => ListPattern().Replace(sql, "IN (@${1}1, @${1}2)");

    /// <summary>The dialect for a provider.</summary>
    public static StoreDialect For(DatabaseProvider provider) => provider switch
    {
        DatabaseProvider.Sqlite => SqliteDialect.Instance,
        DatabaseProvider.PostgreSql => PostgresDialect.Instance,
        DatabaseProvider.SqlServer => SqlServerDialect.Instance,
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, null),
    };

    /// <summary><c>IN @name</c>, a list parameter as Dapper writes it.</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"\bIN @(\w+)", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private protected static partial System.Text.RegularExpressions.Regex ListPattern();
}

internal sealed class SqliteDialect : StoreDialect
{
    public static readonly SqliteDialect Instance = new();

    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    public override string TextType => "TEXT";

    public override string KeyType => "TEXT";

    public override string BigIntType => "INTEGER";

    public override string RealType => "REAL";

    public override string IdentityColumn(string name) => name + " INTEGER PRIMARY KEY AUTOINCREMENT";

    public override string InIndexOrder(string index) => " INDEXED BY " + index;

    public override string InLists(string sql) => ListPattern().Replace(sql, "IN (SELECT value FROM json_each(@$1))");

    public override object List<T>(IReadOnlyCollection<T> values) => System.Text.Json.JsonSerializer.Serialize(values);

    // SQLite takes a write lock for the whole transaction: BEGIN IMMEDIATE in the migrator is enough.
    public override string? MigrationLock => null;
}

internal sealed class PostgresDialect : StoreDialect
{
    public static readonly PostgresDialect Instance = new();

    public override DatabaseProvider Provider => DatabaseProvider.PostgreSql;

    public override string TextType => "text";

    public override string KeyType => "text";

    public override string RealType => "double precision";

    public override string IdentityColumn(string name) => name + " bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY";

    public override string? MigrationLock => "SELECT pg_advisory_xact_lock(7280291)";

    public override string Ordinal(string expression) => expression + " COLLATE \"C\"";

    public override string InLists(string sql) => ListPattern().Replace(sql, "= ANY(@$1)");

    public override string? InIndexOrderSettings => "SET LOCAL enable_hashagg = off; SET LOCAL enable_sort = off";
}

internal sealed class SqlServerDialect : StoreDialect
{
    public static readonly SqlServerDialect Instance = new();

    public override DatabaseProvider Provider => DatabaseProvider.SqlServer;

    public override string TextType => "nvarchar(max)";

    // 450 bytes is the index key budget per column pair we use: (ledger, ledger_id) stays under 1,700 bytes.
    public override string KeyType => "nvarchar(400)";

    public override string RealType => "float";

    public override string IdentityColumn(string name) => name + " bigint IDENTITY(1,1) PRIMARY KEY";

    public override string Quote(string identifier) => "[" + identifier.Replace("]", "]]", StringComparison.Ordinal) + "]";

    public override string Ordinal(string expression) => expression + " COLLATE Latin1_General_BIN2";

    public override string? MigrationLock =>
        "EXEC sp_getapplock @Resource = N'crmx_migrations', @LockMode = N'Exclusive', @LockOwner = N'Transaction'";

    private protected override string UpsertCore(string table, IReadOnlyList<string> keys, IReadOnlyList<string> columns, IReadOnlyList<string> values, IReadOnlyList<string> updated,
        Func<string, string, string>? updateWhen)
    {
        var sb = new StringBuilder();
        sb.Append("MERGE ").Append(table).Append(" WITH (HOLDLOCK) AS target USING (SELECT ")
            .AppendJoin(", ", columns.Select((c, i) => values[i] + " AS " + c)).Append(") AS source ON ")
            .AppendJoin(" AND ", keys.Select(k => "target." + k + " = source." + k))
            .Append(" WHEN MATCHED").Append(updateWhen is null ? "" : " AND (" + updateWhen("target", "source") + ")").Append(" THEN UPDATE SET ")
            .AppendJoin(", ", updated.Select(c => "target." + c + " = source." + c))
            .Append(" WHEN NOT MATCHED THEN INSERT (").AppendJoin(", ", columns).Append(") VALUES (")
            .AppendJoin(", ", columns.Select(c => "source." + c)).Append(");");
        return sb.ToString();
    }

    public override string Top(string select, int count)
    {
        ArgumentNullException.ThrowIfNull(select);
        var head = select.StartsWith("SELECT DISTINCT ", StringComparison.OrdinalIgnoreCase) ? "SELECT DISTINCT ".Length
            : select.StartsWith("SELECT ", StringComparison.OrdinalIgnoreCase) ? "SELECT ".Length
            : throw new ArgumentException("Top takes a statement that starts with SELECT.", nameof(select));
        return select[..head] + "TOP (" + count.ToString(CultureInfo.InvariantCulture) + ") " + select[head..];
    }
}
