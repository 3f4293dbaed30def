using System.Data;
using System.Data.Common;
using System.Globalization;
using CrmExtensions.Ledger.Connections;
using CrmExtensions.Ledger.Mapping;
using CrmExtensions.Ledger.Reading;
using CrmExtensions.Store.Mirror;
using CrmExtensions.Store.Providers;

namespace CrmExtensions.Ledger.Checking;

/// <summary>
/// The checks that read a mapping's whole result rather than its first rows, because what they look for loses money
/// silently wherever it sits: a <c>ledger_id</c> returned more than once (sync keeps one of the rows), and invoices,
/// payments or contacts whose counterparty the counterparties query does not return (their money belongs to no client).
/// </summary>
/// <remarks>
/// Each is one wrapped, grouped SELECT in the read-only transaction every mapping query runs in: the ledger does the
/// counting, and only one row per duplicated key or per referenced counterparty travels back.
/// </remarks>
internal static class WholeResultChecks
{
    /// <summary>The statement that finds ids returned more than once: how many, how many rows they make, the worst one.</summary>
    internal static string DuplicateIdsSql(DatabaseProvider provider, string query)
    {
        var top = provider == DatabaseProvider.SqlServer ? "TOP (1) " : "";
        var limit = provider == DatabaseProvider.SqlServer ? "" : " LIMIT 1";
        return LedgerReader.Wrapped(provider, query,
            select: $"{top}COUNT(*) OVER () AS crmx_ids, SUM(COUNT(*)) OVER () AS crmx_rows, q.ledger_id AS crmx_example, COUNT(*) AS crmx_times",
            suffix: $" WHERE q.ledger_id IS NOT NULL GROUP BY q.ledger_id HAVING COUNT(*) > 1 ORDER BY COUNT(*) DESC, q.ledger_id{limit}");
    }

    /// <summary>The statement that counts a kind's rows per counterparty it names.</summary>
    internal static string RowsPerCounterpartySql(DatabaseProvider provider, string query) =>
        LedgerReader.Wrapped(provider, query, select: "q.counterparty_id AS crmx_key, COUNT(*) AS crmx_rows",
            suffix: " WHERE q.counterparty_id IS NOT NULL GROUP BY q.counterparty_id");

    /// <summary>An error when the kind's query returns some <c>ledger_id</c> more than once, naming the kind and an example.</summary>
    /// <exception cref="LedgerException">The statement did not run (locked ledger, or a database error).</exception>
    public static LedgerProblem? DuplicateIds(LedgerDefinition ledger, DbConnection connection, KindMapping mapping, CancellationToken cancellationToken)
    {
        var context = new LedgerDefinitionContext(ledger, mapping);
        using var transaction = LedgerReader.BeginReadTransaction(ledger, connection);
        using var command = LedgerReader.CreateCommand(ledger, connection, transaction, DuplicateIdsSql(ledger.Provider, mapping.Query));
        using var reader = Run(context, command, cancellationToken);
        if (!reader.Read())
        {
            return null;
        }

        var ids = Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture);
        var rows = Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture);
        var example = ValueConverter.Show(reader.GetValue(2));
        var times = Convert.ToInt64(reader.GetValue(3), CultureInfo.InvariantCulture);
        var others = ids > 1 ? string.Create(CultureInfo.InvariantCulture, $" and {ids - 1:N0} other ids more than once; {rows - ids:N0} rows in all would be lost") : "";
        const string Why = "sync would keep only one of them (a join to detail rows without GROUP BY does this)";
        return context.Problem("ledger_id", string.Create(CultureInfo.InvariantCulture,
            $"the query returns ledger_id '{example}' {times:N0} times{others}. Each {mapping.Kind.Singular} must be one row: {Why}"));
    }

    /// <summary>
    /// Warnings for the kinds whose rows name a counterparty that the ledger's counterparties query does not return;
    /// none when the ledger maps no counterparties.
    /// </summary>
    /// <param name="ledger">The ledger.</param>
    /// <param name="connection">An open read-only connection to it.</param>
    /// <param name="kinds">The kinds that passed their own checks (the counterparties among them, or nothing is done).</param>
    /// <param name="cancellationToken">Stops the check.</param>
    /// <exception cref="LedgerException">A statement did not run.</exception>
    public static IReadOnlyList<LedgerProblem> Orphans(LedgerDefinition ledger, DbConnection connection, IReadOnlyList<KindMapping> kinds, CancellationToken cancellationToken)
    {
        var counterparties = kinds.FirstOrDefault(k => k.Kind == MirrorSchema.Counterparties);
        var referring = kinds.Where(k => k.Kind.Ordinal("counterparty_id") >= 0).ToList();
        if (counterparties is null || referring.Count == 0)
        {
            return [];
        }

        var known = new HashSet<string>(StringComparer.Ordinal);
        var context = new LedgerDefinitionContext(ledger, counterparties);
        using (var transaction = LedgerReader.BeginReadTransaction(ledger, connection))
        using (var command = LedgerReader.CreateCommand(ledger, connection, transaction, LedgerReader.KeysSql(ledger.Provider, counterparties.Query)))
        using (var reader = Run(context, command, cancellationToken))
        {
            while (reader.Read())
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (Key(reader.GetValue(0)) is { } key)
                {
                    known.Add(key);
                }
            }
        }

        var warnings = new List<LedgerProblem>();
        foreach (var mapping in referring)
        {
            context = new LedgerDefinitionContext(ledger, mapping);
            long rows = 0, missing = 0;
            string? example = null;
            using var transaction = LedgerReader.BeginReadTransaction(ledger, connection);
            using var command = LedgerReader.CreateCommand(ledger, connection, transaction, RowsPerCounterpartySql(ledger.Provider, mapping.Query));
            using var reader = Run(context, command, cancellationToken);
            while (reader.Read())
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (Key(reader.GetValue(0)) is { } key && !known.Contains(key))
                {
                    rows += Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture);
                    missing++;
                    if (example is null || string.CompareOrdinal(key, example) < 0)
                    {
                        example = key;
                    }
                }
            }

            if (missing > 0)
            {
                var what = mapping.Kind == MirrorSchema.Contacts ? "they belong" : "their money belongs";
                var counted = rows == 1 ? mapping.Kind.Singular + " names" : mapping.Kind.Name + " name";
                var named = missing == 1 ? "a counterparty" : missing.ToString("N0", CultureInfo.InvariantCulture) + " counterparties";
                warnings.Add(context.Problem("counterparty_id", string.Create(CultureInfo.InvariantCulture,
                    $"{rows:N0} {counted} {named} that the counterparties query does not return (e.g. counterparty_id '{example}'): {what} to no client until the counterparties query returns them")));
            }
        }

        return warnings;
    }

    private static string? Key(object? value) =>
        ValueConverter.TryConvert(ColumnType.Text, value, out var key, out _) ? key as string : null;

    private static DbDataReader Run(LedgerDefinitionContext context, DbCommand command, CancellationToken cancellationToken)
    {
        try
        {
            return LedgerReader.Execute(context, command, CommandBehavior.Default, cancellationToken);
        }
        catch (LedgerException ex) when (!ex.Problems.Any(p => p.Busy))
        {
            throw new LedgerException(context.Problem(null, "reading the whole result to check it failed: " + ex.Problems[0].Message), ex);
        }
    }
}
