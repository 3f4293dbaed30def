using System.Data;
using CrmExtensions.Store.Clients;
using Dapper;

namespace CrmExtensions.Store.Mirror;

/// <summary>
/// Gives mirrored invoices and payments their amounts in the store's base currency (<c>base_amount</c>, and an invoice's
/// <c>base_paid_amount</c>), which every sum the product makes reads.
/// </summary>
/// <remarks>
/// <para>A row in the base currency (or with no currency: the ledger's, which is the base unless the mapping names
/// another) gets its base amounts from the mirror's upsert, as it is written. A row in another currency is written with
/// none, and converted here after the ledger's kinds are synced: at the ledger's own rate (the <c>rates</c> kind) for
/// its currency on the nearest day on or before the document's date, <c>amount × rate ÷ units</c> rounded half away
/// from zero at the fourth decimal, like every stored amount. A row whose currency has no such rate keeps NULL: it is
/// never added to a base total, and readers show it as its own currency's total, "not converted".</para>
/// <para>Incremental: a pass reads only the rows still without a base amount (new, changed, or waiting for a rate,
/// through a partial index), unless a sync changed the ledger's rates: then every row in a currency the ledger has rates
/// for is recomputed, and written only where its base amount differs.</para>
/// </remarks>
public static class MoneyConversion
{
    /// <summary>The documents converted here: (kind, date column, whether it has a paid amount).</summary>
    private static readonly (MirrorKind Kind, string Date, bool Paid)[] Documents =
        [(MirrorSchema.Invoices, "issued_on", true), (MirrorSchema.Payments, "paid_on", false)];

    internal const string RatesSql =
        "SELECT currency AS Currency, rate_on AS RateOn, rate AS Rate, units AS Units FROM mirror_rates WHERE ledger = @ledger AND vanished_at IS NULL";

    internal const string RateCurrenciesSql = "SELECT DISTINCT currency FROM mirror_rates WHERE ledger = @ledger";

    internal static string PendingSql(MirrorKind kind, string date, bool paid) =>
        $"SELECT ledger_id AS LedgerId, currency AS Currency, {date} AS Day, amount AS Amount, {(paid ? "paid_amount" : "CAST(NULL AS BIGINT)")} AS Paid, " +
        $"base_amount AS BaseAmount, {(paid ? "base_paid_amount" : "CAST(NULL AS BIGINT)")} AS BasePaid FROM {kind.Table} WHERE ledger = @ledger AND base_amount IS NULL";

    internal static string OfCurrencySql(MirrorKind kind, string date, bool paid) =>
        $"SELECT ledger_id AS LedgerId, currency AS Currency, {date} AS Day, amount AS Amount, {(paid ? "paid_amount" : "CAST(NULL AS BIGINT)")} AS Paid, " +
        $"base_amount AS BaseAmount, {(paid ? "base_paid_amount" : "CAST(NULL AS BIGINT)")} AS BasePaid FROM {kind.Table} WHERE ledger = @ledger AND currency = @currency";

    internal static string UpdateSql(MirrorKind kind, bool paid) =>
        $"UPDATE {kind.Table} SET base_amount = @baseAmount{(paid ? ", base_paid_amount = @basePaid" : "")} WHERE ledger = @ledger AND ledger_id = @ledgerId";

    /// <summary>Converts what a sync of one ledger left without a base amount, and everything in a currency whose rates it changed.</summary>
    /// <param name="store">The store; its <see cref="CrmStore.BaseCurrency"/> is the currency converted to.</param>
    /// <param name="ledger">The ledger synced.</param>
    /// <param name="ratesChanged">Whether the sync wrote or vanished any of the ledger's rates.</param>
    /// <returns>How many rows got a new base amount.</returns>
    public static int Convert(CrmStore store, string ledger, bool ratesChanged)
    {
        ArgumentNullException.ThrowIfNull(store);
        using var connection = store.Open();
        using var transaction = connection.BeginTransaction();
        var rates = new RateBook(connection.Query<(string Currency, string RateOn, long Rate, long? Units)>(RatesSql, new { ledger }, transaction));
        // Rates that vanished count too: their currency's rows may lose the rate they were converted at.
        var changed = ratesChanged ? connection.Query<string>(RateCurrenciesSql, new { ledger }, transaction).ToList() : [];
        var written = 0;
        foreach (var (kind, date, paid) in Documents)
        {
            var rows = connection.Query<Row>(PendingSql(kind, date, paid), new { ledger }, transaction).ToList();
            foreach (var currency in changed)
            {
                rows.AddRange(connection.Query<Row>(OfCurrencySql(kind, date, paid), new { ledger, currency }, transaction));
            }

            // One prepared statement per kind, as every writer of many rows does.
            using var update = new RowWriter(connection, transaction, UpdateSql(kind, paid), paid
                ? [("baseAmount", DbType.Int64), ("basePaid", DbType.Int64), ("ledger", DbType.String), ("ledgerId", DbType.String)]
                : [("baseAmount", DbType.Int64), ("ledger", DbType.String), ("ledgerId", DbType.String)]);
            foreach (var row in rows.DistinctBy(r => r.LedgerId))
            {
                var (baseAmount, basePaid) = rates.Convert(store.BaseCurrency, row);
                if (baseAmount != row.BaseAmount || (paid && basePaid != row.BasePaid))
                {
                    written += paid ? update.Add(baseAmount, basePaid, ledger, row.LedgerId) : update.Add(baseAmount, ledger, row.LedgerId);
                }
            }

            written += update.Flush();
        }

        transaction.Commit();
        return written;
    }

    /// <summary>Every statement this class sends.</summary>
    internal static IEnumerable<string> Statements()
    {
        yield return RatesSql;
        yield return RateCurrenciesSql;
        foreach (var (kind, date, paid) in Documents)
        {
            yield return PendingSql(kind, date, paid);
            yield return OfCurrencySql(kind, date, paid);
            yield return UpdateSql(kind, paid);
        }
    }

    // Properties, not a positional record: Dapper matches a constructor by the reader's column types, which SQLite gives
    // computed columns (the NULL paid amount of a payment) only per row.
    private sealed class Row
    {
        public string LedgerId { get; set; } = "";

        public string? Currency { get; set; }

        public string Day { get; set; } = "";

        public long Amount { get; set; }

        public long? Paid { get; set; }

        public long? BaseAmount { get; set; }

        public long? BasePaid { get; set; }
    }

    /// <summary>A ledger's rates per currency, by day.</summary>
    private sealed class RateBook
    {
        private readonly Dictionary<string, (string Day, decimal PerUnit)[]> _byCurrency;

        public RateBook(IEnumerable<(string Currency, string RateOn, long Rate, long? Units)> rates) =>
            _byCurrency = rates
                .Where(r => r.Rate > 0 && r.Units is null or > 0)
                .GroupBy(r => Mirror.Currency.TryNormalize(r.Currency, out var code) ? code ?? r.Currency : r.Currency, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Select(r => (r.RateOn, Money.FromStored(r.Rate) / (r.Units is { } u ? Money.FromStored(u) : 1m)))
                    .OrderBy(r => r.RateOn, StringComparer.Ordinal).ToArray(), StringComparer.Ordinal);

        /// <summary>The row's amounts in the base currency, or nulls when its currency has no rate on or before its day.</summary>
        public (long? Amount, long? Paid) Convert(string baseCurrency, Row row)
        {
            var currency = Mirror.Currency.TryNormalize(row.Currency, out var code) ? code : row.Currency;
            if (currency is null || currency == baseCurrency)
            {
                return (row.Amount, row.Paid);
            }

            if (!_byCurrency.TryGetValue(currency, out var days))
            {
                return (null, null);
            }

            // The last rate on or before the document's day (dates are yyyy-MM-dd text: ordinal order is date order).
            int lo = 0, hi = days.Length - 1, found = -1;
            while (lo <= hi)
            {
                var mid = (lo + hi) / 2;
                if (string.CompareOrdinal(days[mid].Day, row.Day) <= 0)
                {
                    found = mid;
                    lo = mid + 1;
                }
                else
                {
                    hi = mid - 1;
                }
            }

            if (found < 0)
            {
                return (null, null);
            }

            var rate = days[found].PerUnit;
            return (ToBase(row.Amount, rate), row.Paid is { } paid ? ToBase(paid, rate) : null);
        }

        private static long ToBase(long stored, decimal rate) => Money.ToStored(Money.FromStored(stored) * rate);
    }
}
