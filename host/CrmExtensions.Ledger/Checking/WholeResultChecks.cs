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

    /// <summary>The statement that sums a ledger's invoice lines per invoice they name.</summary>
    internal static string LinesPerInvoiceSql(DatabaseProvider provider, string query) =>
        LedgerReader.Wrapped(provider, query, select: "q.invoice_id AS crmx_key, SUM(q.amount) AS crmx_sum, COUNT(*) AS crmx_rows",
            suffix: " WHERE q.invoice_id IS NOT NULL GROUP BY q.invoice_id");

    /// <summary>The statement that reads each invoice's amount.</summary>
    internal static string InvoiceAmountsSql(DatabaseProvider provider, string query) =>
        LedgerReader.Wrapped(provider, query, select: "q.ledger_id AS crmx_key, q.amount AS crmx_amount");

    /// <summary>
    /// Warnings when a ledger's invoice lines do not reconcile with its invoices: lines naming an invoice the invoices
    /// query does not return (what they sold belongs to no client), invoices whose lines do not add up to the invoice's
    /// amount, and invoices without lines. None unless both kinds are mapped and passed their own checks.
    /// </summary>
    /// <remarks>
    /// A line's amount may be rounded on its own, so a sum within a hundredth per line of the invoice's amount agrees.
    /// The ledger sums the lines per invoice: one row per invoice travels back, not one per line.
    /// </remarks>
    /// <exception cref="LedgerException">A statement did not run.</exception>
    public static IReadOnlyList<LedgerProblem> Lines(LedgerDefinition ledger, DbConnection connection, IReadOnlyList<KindMapping> kinds, CancellationToken cancellationToken)
    {
        var invoices = kinds.FirstOrDefault(k => k.Kind == MirrorSchema.Invoices);
        var lines = kinds.FirstOrDefault(k => k.Kind == MirrorSchema.InvoiceLines);
        if (invoices is null || lines is null)
        {
            return [];
        }

        var amounts = new Dictionary<string, decimal?>(StringComparer.Ordinal);
        var context = new LedgerDefinitionContext(ledger, invoices);
        using (var transaction = LedgerReader.BeginReadTransaction(ledger, connection))
        using (var command = LedgerReader.CreateCommand(ledger, connection, transaction, InvoiceAmountsSql(ledger.Provider, invoices.Query)))
        using (var reader = Run(context, command, cancellationToken))
        {
            while (reader.Read())
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (Key(reader.GetValue(0)) is { } key)
                {
                    amounts[key] = Amount(reader.GetValue(1));
                }
            }
        }

        context = new LedgerDefinitionContext(ledger, lines);
        long orphanLines = 0, orphanInvoices = 0, differing = 0;
        string? orphanExample = null;
        (string Invoice, decimal Lines, decimal Total)? differExample = null;
        var withLines = new HashSet<string>(StringComparer.Ordinal);
        using (var transaction = LedgerReader.BeginReadTransaction(ledger, connection))
        using (var command = LedgerReader.CreateCommand(ledger, connection, transaction, LinesPerInvoiceSql(ledger.Provider, lines.Query)))
        using (var reader = Run(context, command, cancellationToken))
        {
            while (reader.Read())
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (Key(reader.GetValue(0)) is not { } key)
                {
                    continue;
                }

                var count = Convert.ToInt64(reader.GetValue(2), CultureInfo.InvariantCulture);
                if (!amounts.TryGetValue(key, out var amount))
                {
                    orphanLines += count;
                    orphanInvoices++;
                    orphanExample = Smaller(orphanExample, key);
                    continue;
                }

                withLines.Add(key);
                var sum = Amount(reader.GetValue(1));
                if (amount is { } a && sum is { } b && Math.Abs(a - b) > 0.01m * count)
                {
                    differing++;
                    if (differExample is null || string.CompareOrdinal(key, differExample.Value.Invoice) < 0)
                    {
                        differExample = (key, b, a);
                    }
                }
            }
        }

        var warnings = new List<LedgerProblem>();
        if (orphanLines > 0)
        {
            var named = orphanInvoices == 1 ? "an invoice" : orphanInvoices.ToString("N0", CultureInfo.InvariantCulture) + " invoices";
            warnings.Add(context.Problem("invoice_id", string.Create(CultureInfo.InvariantCulture,
                $"{orphanLines:N0} invoice lines name {named} that the invoices query does not return (e.g. invoice_id '{orphanExample}'): what they sold belongs to no client")));
        }

        if (differExample is { } d)
        {
            warnings.Add(context.Problem("amount", string.Create(CultureInfo.InvariantCulture,
                $"the lines of {differing:N0} of {withLines.Count:N0} invoices do not add up to the invoice's amount (e.g. invoice '{d.Invoice}': lines {d.Lines:0.00##}, invoice {d.Total:0.00##}): a line missing from the query, or a charge outside the lines (freight, a discount) to map as a line")));
        }

        var without = amounts.Count - withLines.Count;
        if (without > 0 && withLines.Count > 0)
        {
            var example = amounts.Keys.Where(k => !withLines.Contains(k)).Min(StringComparer.Ordinal);
            warnings.Add(context.Problem("invoice_id", string.Create(CultureInfo.InvariantCulture,
                $"{without:N0} of {amounts.Count:N0} invoices have no lines (e.g. invoice '{example}'): what they sold is unknown to the recommendations")));
        }

        return warnings;
    }

    private static string Smaller(string? current, string candidate) =>
        current is null || string.CompareOrdinal(candidate, current) < 0 ? candidate : current;

    private static decimal? Amount(object? value) =>
        ValueConverter.TryConvert(ColumnType.Money, value, out var converted, out _) && converted is long stored ? Money.FromStored(stored) : null;

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
