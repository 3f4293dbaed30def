using System.Data;
using System.Data.Common;
using CrmExtensions.Ledger.Connections;
using CrmExtensions.Ledger.Mapping;
using CrmExtensions.Ledger.Reading;
using CrmExtensions.Store.Mirror;

namespace CrmExtensions.Ledger.Checking;

/// <summary>What the check found for one kind of one ledger.</summary>
/// <param name="Ledger">The ledger.</param>
/// <param name="Kind">The kind.</param>
/// <param name="Columns">The canonical columns the query returns.</param>
/// <param name="SampledRows">How many rows were read to check values.</param>
public sealed record KindCheckResult(string Ledger, string Kind, IReadOnlyList<string> Columns, int SampledRows);

/// <summary>The outcome of checking every ledger's mapping.</summary>
public sealed record AttachCheckResult(IReadOnlyList<KindCheckResult> Kinds, IReadOnlyList<LedgerProblem> Problems)
{
    /// <summary>Gets, per ledger whose provider has logins, the mapped tables its login could write.</summary>
    public IReadOnlyList<LedgerWriteAccess> WriteAccess { get; init; } = [];

    /// <summary>Gets what does not stop a sync but loses sight of rows (invoices whose counterparty is not mapped, …).</summary>
    public IReadOnlyList<LedgerProblem> Warnings { get; init; } = [];

    /// <summary>Whether every ledger attached cleanly.</summary>
    public bool Passed => Problems.Count == 0;
}

/// <summary>Validates ledgers and mappings before anything is synced, and reports every problem at once.</summary>
/// <remarks>
/// Each query is first described without fetching rows (column names and types); then, unless
/// <c>sampleRows</c> is 0, its first rows are read and converted so that values of the wrong type are found too, and
/// its whole result is grouped by the ledger (<see cref="WholeResultChecks"/>) to find ids returned more than once and
/// rows whose counterparty is not mapped.
/// </remarks>
public static class AttachChecker
{
    private const int MaxValueProblemsPerColumn = 3;

    /// <summary>Checks every ledger.</summary>
    /// <param name="ledgers">The ledgers (already resolved from configuration).</param>
    /// <param name="sampleRows">How many rows of each kind to read and convert; 0 to only describe the queries (no whole-result checks either).</param>
    /// <param name="cancellationToken">Stops the check.</param>
    public static AttachCheckResult Check(IReadOnlyList<LedgerDefinition> ledgers, int sampleRows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ledgers);
        ArgumentOutOfRangeException.ThrowIfNegative(sampleRows);
        var problems = new List<LedgerProblem>();
        var kinds = new List<KindCheckResult>();
        var access = new List<LedgerWriteAccess>();
        var warnings = new List<LedgerProblem>();
        foreach (var ledger in ledgers)
        {
            cancellationToken.ThrowIfCancellationRequested();
            DbConnection connection;
            try
            {
                connection = LedgerConnections.OpenReadOnly(ledger);
            }
            catch (LedgerException ex)
            {
                problems.AddRange(ex.Problems);
                continue;
            }

            using (connection)
            {
                var clean = new List<KindMapping>();
                foreach (var mapping in ledger.Mapping.Kinds)
                {
                    var before = problems.Count;
                    if (CheckKind(ledger, connection, mapping, sampleRows, problems, warnings, cancellationToken) is { } result)
                    {
                        kinds.Add(result);
                        if (problems.Count == before)
                        {
                            clean.Add(mapping);
                        }
                    }

                    if (problems.Any(p => p.Busy && p.Ledger == ledger.Name))
                    {
                        break; // one line for a locked ledger, not one wait per kind
                    }
                }

                if (problems.Any(p => p.Busy && p.Ledger == ledger.Name))
                {
                    continue;
                }

                if (sampleRows > 0)
                {
                    try
                    {
                        warnings.AddRange(WholeResultChecks.Orphans(ledger, connection, clean, cancellationToken));
                        warnings.AddRange(WholeResultChecks.Lines(ledger, connection, clean, cancellationToken));
                    }
                    catch (LedgerException ex)
                    {
                        problems.AddRange(ex.Problems);
                    }
                }

                try
                {
                    if (WritePrivileges.Check(ledger, connection, cancellationToken) is { } found)
                    {
                        access.Add(found);
                    }
                }
                catch (DbException ex) when (!cancellationToken.IsCancellationRequested)
                {
                    problems.Add(new LedgerProblem(ledger.Name, $"cannot tell whether the login could write to the mapped tables: {LedgerConnections.OneLine(ex.Message)}"));
                }
            }
        }

        return new AttachCheckResult(kinds, problems) { WriteAccess = access, Warnings = warnings };
    }

    private static KindCheckResult? CheckKind(LedgerDefinition ledger, DbConnection connection, KindMapping mapping, int sampleRows, List<LedgerProblem> problems,
        List<LedgerProblem> warnings, CancellationToken cancellationToken)
    {
        var context = new LedgerDefinitionContext(ledger, mapping);
        if (QueryGuard.Check(ledger.Provider, mapping.Query) is { } refusal)
        {
            problems.Add(context.Problem(null, refusal));
            return null;
        }

        var before = problems.Count;
        ColumnMap map;
        using (var transaction = LedgerReader.BeginReadTransaction(ledger, connection))
        using (var command = LedgerReader.CreateCommand(ledger, connection, transaction, LedgerReader.Wrapped(ledger.Provider, mapping.Query)))
        {
            try
            {
                using var reader = LedgerReader.Execute(context, command, CommandBehavior.SchemaOnly, cancellationToken);
                map = ColumnMap.Resolve(context, reader, problems);
                CheckTypes(context, reader, map, problems);
            }
            catch (LedgerException ex)
            {
                problems.AddRange(ex.Problems);
                return null;
            }
        }

        var sampled = 0;
        if (sampleRows > 0 && problems.Count == before)
        {
            sampled = Sample(ledger, connection, mapping, context, sampleRows, problems, warnings, cancellationToken);
        }

        if (sampleRows > 0 && problems.Count == before)
        {
            try
            {
                if (WholeResultChecks.DuplicateIds(ledger, connection, mapping, cancellationToken) is { } duplicates)
                {
                    problems.Add(duplicates);
                }
            }
            catch (LedgerException ex)
            {
                problems.AddRange(ex.Problems);
            }
        }

        var columns = map.Ordinals.Select((o, i) => (o, i)).Where(x => x.o >= 0).Select(x => mapping.Kind.Columns[x.i].Name).ToList();
        return new KindCheckResult(ledger.Name, mapping.Kind.Name, columns, sampled);
    }

    private static void CheckTypes(LedgerDefinitionContext context, DbDataReader reader, ColumnMap map, List<LedgerProblem> problems)
    {
        for (var c = 0; c < map.Ordinals.Length; c++)
        {
            var ordinal = map.Ordinals[c];
            if (ordinal < 0)
            {
                continue;
            }

            Type type;
            try
            {
                type = reader.GetFieldType(ordinal);
            }
            catch (Exception ex) when (ex is InvalidOperationException or NotSupportedException or DbException)
            {
                // SQLite cannot tell the type of an expression before a row is read: the sample checks the values.
                continue;
            }

            var column = context.Mapping.Kind.Columns[c];
            if (!ValueConverter.IsCompatible(column.Type, type))
            {
                var dbType = SafeTypeName(reader, ordinal);
                problems.Add(context.Problem(column.Name,
                    $"column '{map.Names[ordinal]}' is {dbType}, which cannot hold {Describe(column.Type)}"));
            }
        }
    }

    /// <summary>The date columns of the kind, not yet in <paramref name="said"/>, whose value in this row lies in the year
    /// 3000 or later, with the value: no ledger records such a day, but a 1C infobase created on SQL Server with its
    /// offset keeps every date 2000 years ahead.</summary>
    private static IEnumerable<(string Column, string Day)> FarAhead(MirrorKind kind, object?[]? values, HashSet<string> said)
    {
        for (var c = 0; values is not null && c < kind.Columns.Count; c++)
        {
            if (kind.Columns[c].Type == ColumnType.Date && values[c] is string day && string.CompareOrdinal(day, "3000") >= 0 && said.Add(kind.Columns[c].Name))
            {
                yield return (kind.Columns[c].Name, day);
            }
        }
    }

    private static int Sample(LedgerDefinition ledger, DbConnection connection, KindMapping mapping, LedgerDefinitionContext context, int sampleRows, List<LedgerProblem> problems,
        List<LedgerProblem> warnings, CancellationToken cancellationToken)
    {
        var sql = LedgerReader.SampleSql(ledger.Provider, mapping.Query, sampleRows);
        using var transaction = LedgerReader.BeginReadTransaction(ledger, connection);
        using var command = LedgerReader.CreateCommand(ledger, connection, transaction, sql);
        var perColumn = new Dictionary<string, int>(StringComparer.Ordinal);
        var rows = 0;
        try
        {
            using var reader = new LedgerReader.GuardedReader(context, LedgerReader.Execute(context, command, CommandBehavior.SequentialAccess, cancellationToken));
            var map = ColumnMap.Resolve(context, reader.Inner, []);
            var byResult = map.ByResultOrdinal();

            var raw = new object?[reader.Inner.FieldCount];
            var farAhead = new HashSet<string>(StringComparer.Ordinal);
            while (reader.Read(raw))
            {
                rows++;
                var record = LedgerReader.Convert(mapping.Kind, map, byResult, raw, -1);
                foreach (var (column, day) in FarAhead(mapping.Kind, record.Values, farAhead))
                {
                    warnings.Add(context.Problem(column, $"row ledger_id={record.Values![0]}: the date {day} is a thousand years ahead: a 1C infobase on " +
                        "SQL Server keeps its dates 2000 years ahead; map the column as DATEADD(year, -2000, …) (docs/mapping.md)"));
                }
                // A value the row is kept without is said as a warning: sync reads the row.
                var (reject, said) = record.Reject is { } r ? (r, problems) : record.Dropped is { } d ? (d, warnings) : (null, problems);
                if (reject is not null)
                {
                    var count = perColumn.GetValueOrDefault(reject.Column);
                    perColumn[reject.Column] = count + 1;
                    if (count < MaxValueProblemsPerColumn)
                    {
                        said.Add(context.Problem(reject.Column,
                            $"row ledger_id={reject.LedgerId ?? "?"}: value '{reject.Value}' {reject.Said}"));
                    }
                }
            }
        }
        catch (LedgerException ex)
        {
            problems.AddRange(ex.Problems);
        }
        catch (DbException ex)
        {
            problems.Add(context.Problem(null, $"reading sample rows failed: {LedgerConnections.OneLine(ex.Message)}"));
        }

        foreach (var (column, count) in perColumn.Where(p => p.Value > MaxValueProblemsPerColumn))
        {
            problems.Add(context.Problem(column, $"{count - MaxValueProblemsPerColumn} more rows of the first {rows} with unreadable values"));
        }

        return rows;
    }

    private static string SafeTypeName(DbDataReader reader, int ordinal)
    {
        try
        {
            return reader.GetDataTypeName(ordinal);
        }
        catch (Exception ex) when (ex is InvalidOperationException or NotSupportedException)
        {
            return reader.GetFieldType(ordinal).Name;
        }
    }

    private static string Describe(Store.Mirror.ColumnType type) => type switch
    {
        Store.Mirror.ColumnType.Money => "an amount of money",
        Store.Mirror.ColumnType.Date => "a date",
        Store.Mirror.ColumnType.Stamp => "a change marker",
        Store.Mirror.ColumnType.Currency => "a currency code",
        _ => "text",
    };
}
