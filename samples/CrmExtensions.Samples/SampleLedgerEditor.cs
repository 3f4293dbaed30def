using System.Globalization;
using CrmExtensions.Samples.Internal;

namespace CrmExtensions.Samples;

/// <summary>An invoice to add to a generated ledger, after the fact (a planted effect, say).</summary>
/// <param name="Ledger">The ledger's name (its file is <c>{Ledger}.db</c>).</param>
/// <param name="CounterpartyId">The counterparty's code as the host keys it (trimmed).</param>
/// <param name="IssuedOn">The invoice's date.</param>
/// <param name="Amount">Its amount, in the currency of the counterparty's last invoice.</param>
/// <param name="PaidOn">When it was paid in full (a payment document that day), or null for unpaid.</param>
public sealed record SampleInvoice(string Ledger, string CounterpartyId, DateOnly IssuedOn, decimal Amount, DateOnly? PaidOn = null);

/// <summary>Changes generated sample ledgers in place, with the ledger's own conventions, so that the next <c>crmx sync</c> picks the change up.</summary>
public static class SampleLedgerEditor
{
    /// <summary>Adds posted invoices (and their payments) to the ledgers in <paramref name="directory"/>.</summary>
    /// <remarks>
    /// Each invoice gets the next document number (<c>00ЦБ-000123</c>), kopecks, <c>dd.MM.yyyy</c> dates, the counterparty's
    /// usual payment term (the median of its invoices; the issue date when it has none), and the currency and person
    /// responsible of its last invoice; its "changed" stamp is later than any in the file, so an incremental sync reads it.
    /// </remarks>
    /// <returns>How many invoices were added.</returns>
    /// <exception cref="ArgumentException">A ledger file or a counterparty is not in the directory's ledgers.</exception>
    public static int AddInvoices(string directory, IEnumerable<SampleInvoice> invoices)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentNullException.ThrowIfNull(invoices);
        var added = 0;
        foreach (var ledger in invoices.GroupBy(i => i.Ledger, StringComparer.Ordinal))
        {
            var path = Path.Combine(Path.GetFullPath(directory), ledger.Key + ".db");
            if (!File.Exists(path))
            {
                throw new ArgumentException($"No sample ledger '{ledger.Key}' in '{directory}' ({path} is missing).", nameof(invoices));
            }

            using var writer = LedgerWriter.Append(ledger.Key, path);
            var stamp = DateTime.ParseExact(Scalar<string>(writer, """
                SELECT MAX(s) FROM (SELECT MAX("Изменено") AS s FROM "Документ Реализация" UNION ALL SELECT MAX("Изменено") FROM "Документ Поступление Оплаты")
                """) ?? "2000-01-01 00:00:00", "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
            foreach (var invoice in ledger)
            {
                var (code, currency, manager, term) = Counterparty(writer, invoice);
                var kopecks = decimal.ToInt64(decimal.Round(invoice.Amount * 100, 0, MidpointRounding.AwayFromZero));
                stamp = stamp.AddMinutes(1);
                var invoiceId = writer.InsertInvoice(Dotted(invoice.IssuedOn), Dotted(invoice.IssuedOn.AddDays(term)), code, kopecks, invoice.PaidOn is null ? 0L : kopecks,
                    currency, manager, posted: true, Stamp(stamp));
                if (invoice.PaidOn is { } paidOn)
                {
                    writer.InsertPayment(paidOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), code, invoiceId, (double)(kopecks / 100m), currency, Stamp(stamp));
                }

                added++;
            }

            writer.Commit();
        }

        return added;
    }

    private static (string Code, string Currency, string? Manager, int TermDays) Counterparty(LedgerWriter writer, SampleInvoice invoice)
    {
        var code = Scalar<string>(writer, """SELECT "Код" FROM "Справочник Контрагенты" WHERE TRIM("Код") = $id""", ("$id", invoice.CounterpartyId.Trim()))
            ?? throw new ArgumentException($"No counterparty '{invoice.CounterpartyId}' in sample ledger '{invoice.Ledger}'.", nameof(invoice));
        string currency = "643";
        string? manager = null;
        var terms = new List<int>();
        using (var command = writer.Command("""SELECT "ВалютаКод", "Ответственный", "Дата", "СрокОплаты" FROM "Документ Реализация" WHERE "Контрагент" = $code AND "Проведен" = 1 ORDER BY "Ссылка" """))
        {
            command.Parameters.AddWithValue("$code", code);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                currency = reader.GetString(0);
                manager = reader.IsDBNull(1) ? null : reader.GetString(1);
                if (!reader.IsDBNull(3))
                {
                    terms.Add(ParseDotted(reader.GetString(3)).DayNumber - ParseDotted(reader.GetString(2)).DayNumber);
                }
            }
        }

        terms.Sort();
        return (code, currency, manager, terms.Count == 0 ? 0 : terms[terms.Count / 2]);
    }

    private static string Dotted(DateOnly day) => day.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture);

    private static DateOnly ParseDotted(string text) => DateOnly.ParseExact(text, "dd.MM.yyyy", CultureInfo.InvariantCulture);

    private static string Stamp(DateTime stamp) => stamp.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private static T? Scalar<T>(LedgerWriter writer, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = writer.Command(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        var result = command.ExecuteScalar();
        return result is null or DBNull ? default : (T)Convert.ChangeType(result, Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T), CultureInfo.InvariantCulture);
    }
}
