using System.Data.Common;
using System.Globalization;
using CrmExtensions.Store;
using CrmExtensions.Store.Mirror;
using CrmExtensions.Store.Providers;
using Dapper;

namespace CrmExtensions.Reports.Dossier;

/// <summary>One entry of a client's timeline.</summary>
/// <param name="At">A day (<c>yyyy-MM-dd</c>) or an instant as the store writes them; newest first.</param>
/// <param name="Kind"><c>activity</c>, <c>invoice</c>, <c>payment</c>, <c>mail</c>, <c>deal</c> or <c>reminder</c>.</param>
/// <param name="Ledger">The ledger of an invoice or payment, else empty.</param>
/// <param name="Id">The entry's id within its kind (and ledger).</param>
/// <param name="Title">What happened, in a few words.</param>
/// <param name="Detail">More about it (an outcome, a state, an address), or null.</param>
/// <param name="Amount">Money in stored ten-thousandths, or null.</param>
/// <param name="Who">The manager, person or plugin behind it, or null.</param>
/// <param name="Tag">A state to show beside it: <c>paid</c>, <c>open</c>, <c>overdue</c>, <c>refused</c>, a kind of activity, or null.</param>
public sealed record TimelineEntry(string At, string Kind, string Ledger, string Id, string Title, string? Detail, long? Amount, string? Who, string? Tag)
{
    /// <summary>Gets the currency of <see cref="Amount"/>: the document's own (the store's base currency when it names none).</summary>
    public string? Currency { get; init; }
}

/// <summary>A page of a timeline and where the next one starts.</summary>
/// <param name="Next">An opaque cursor for the next (older) page, or null when this is the last.</param>
public sealed record TimelinePage(IReadOnlyList<TimelineEntry> Entries, string? Next);

/// <summary>Reads a client's timeline: activities, invoices, payments, mails sent, deal moves and reminders closed, newest first.</summary>
/// <remarks>
/// Each kind is read by its own query, limited to the client by its client id and to entries older than the cursor,
/// taking one page; the pages are merged here. Invoices and payments carry their client (migration 9): their index by
/// client and day gives a page without reading the rest of a large client's money. The cursor is the last entry's (at, kind, ledger,
/// id), so a page never repeats or skips an entry however many share one instant. The cost follows the client's size.
/// </remarks>
public sealed class TimelineReader(CrmStore store)
{
    private readonly CrmStore _store = store ?? throw new ArgumentNullException(nameof(store));

    /// <summary>The kinds in their tie-break order (an invoice and its payment on one day: the payment shows first).</summary>
    private static readonly Source[] Sources =
    [
        new("activity",
            "SELECT a.occurred_at AS At, '' AS Ledger, a.activity_id AS Id, a.kind AS Tag, a.subject AS Title, " +
            "COALESCE(a.outcome, a.notes) AS Detail, CAST(NULL AS BIGINT) AS Amount, COALESCE(a.manager, a.source) AS Who " +
            "FROM activities a WHERE a.client_id = @id", "a.occurred_at", "''", "a.activity_id"),
        new("deal",
            "SELECT mv.moved_at AS At, '' AS Ledger, CAST(mv.id AS VARCHAR(20)) AS Id, CASE WHEN mv.refused = 1 THEN 'refused' ELSE NULL END AS Tag, " +
            "d.title AS Title, mv.from_stage AS FromStage, mv.to_stage AS ToStage, mv.reason AS Reason, CAST(d.amount AS BIGINT) AS Amount, d.currency AS Currency, mv.moved_by AS Who " +
            "FROM deals d JOIN deal_moves mv ON mv.deal_id = d.deal_id WHERE d.client_id = @id", "mv.moved_at", "''", "CAST(mv.id AS VARCHAR(20))"),
        new("reminder",
            "SELECT r.closed_at AS At, '' AS Ledger, r.reminder_key AS Id, r.status AS Tag, r.title AS Title, r.note AS Detail, " +
            "CAST(NULL AS BIGINT) AS Amount, r.closed_by AS Who FROM reminders r WHERE r.client_id = @id AND r.status IN ('done', 'dismissed')",
            "r.closed_at", "''", "r.reminder_key"),
        new("mail",
            "SELECT o.sent_at AS At, '' AS Ledger, CAST(o.id AS VARCHAR(20)) AS Id, o.template AS Tag, o.subject AS Title, o.to_address AS Detail, " +
            "CAST(NULL AS BIGINT) AS Amount, o.plugin_id AS Who FROM outbox o WHERE o.client_id = @id AND o.status = 'sent' AND o.sent_at IS NOT NULL",
            "o.sent_at", "''", "CAST(o.id AS VARCHAR(20))"),
        new("payment",
            "SELECT p.paid_on AS At, p.ledger AS Ledger, p.ledger_id AS Id, CAST(NULL AS VARCHAR(10)) AS Tag, COALESCE(pi.number, p.invoice_id) AS Title, " +
            "CAST(NULL AS VARCHAR(10)) AS Detail, CAST(p.amount AS BIGINT) AS Amount, p.currency AS Currency, CAST(NULL AS VARCHAR(10)) AS Who " +
            "FROM mirror_payments p LEFT JOIN mirror_invoices pi ON pi.ledger = p.ledger AND pi.ledger_id = p.invoice_id " +
            "WHERE p.client_id = @id AND p.vanished_at IS NULL",
            "p.paid_on", "p.ledger", "p.ledger_id"),
        new("invoice",
            "SELECT i.issued_on AS At, i.ledger AS Ledger, i.ledger_id AS Id, " +
            "CASE WHEN " + MirrorSchema.OpenInvoice("i") + " THEN (CASE WHEN COALESCE(i.due_on, i.issued_on) < @today THEN 'overdue' ELSE 'open' END) ELSE 'paid' END AS Tag, " +
            "i.number AS Title, COALESCE(i.due_on, i.issued_on) AS Detail, CAST(i.amount AS BIGINT) AS Amount, i.currency AS Currency, i.manager AS Who " +
            "FROM mirror_invoices i WHERE i.client_id = @id AND i.vanished_at IS NULL",
            "i.issued_on", "i.ledger", "i.ledger_id"),
    ];

    /// <summary>Reads one page of the timeline of client <paramref name="clientId"/>.</summary>
    /// <param name="after">The cursor of the previous page, or null for the newest entries.</param>
    /// <param name="limit">Entries per page, 1 to 500.</param>
    /// <param name="today">The day that decides whether an open invoice is overdue.</param>
    /// <exception cref="FormatException">The cursor is not one this reader wrote.</exception>
    public TimelinePage Read(long clientId, string? after, int limit, DateOnly today)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, 500);
        var cursor = after is null ? null : Cursor.Parse(after);
        using var connection = _store.Open();
        var merged = new List<(int Order, TimelineEntry Entry)>();
        for (var k = 0; k < Sources.Length; k++)
        {
            merged.AddRange(Sources[k].Read(connection, _store.Dialect, k, clientId, cursor, limit + 1, today).Select(e => (k, e)));
        }

        var sorted = merged
            .OrderByDescending(e => e.Entry.At, StringComparer.Ordinal)
            .ThenByDescending(e => e.Order)
            .ThenByDescending(e => e.Entry.Ledger, StringComparer.Ordinal)
            .ThenByDescending(e => e.Entry.Id, StringComparer.Ordinal)
            .Take(limit + 1)
            .ToList();
        var page = sorted.Take(limit).ToList();
        var next = sorted.Count > limit ? new Cursor(page[^1].Entry.At, page[^1].Order, page[^1].Entry.Ledger, page[^1].Entry.Id).ToString() : null;
        return new TimelinePage(page.Select(e => e.Entry.Amount is null || e.Entry.Currency is not null ? e.Entry : e.Entry with { Currency = _store.BaseCurrency }).ToList(), next);
    }

    /// <summary>Every statement for a dialect (first pages and later ones), for the T-SQL parse test.</summary>
    internal static IEnumerable<string> Statements(StoreDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(dialect);
        for (var k = 0; k < Sources.Length; k++)
        {
            yield return Sources[k].Sql(dialect, k, null, 11);
            yield return Sources[k].Sql(dialect, k, new Cursor("2026-01-01", k, "", "x"), 11);
            yield return Sources[k].Sql(dialect, k, new Cursor("2026-01-01", k + 1, "", "x"), 11);
        }
    }

    private sealed record Source(string Kind, string Select, string At, string Ledger, string Id)
    {
        public string Sql(StoreDialect dialect, int order, Cursor? cursor, int take)
        {
            // Compared and ordered by code point in every database, as the pages are merged here.
            var at = dialect.Ordinal(At);
            var ledger = dialect.Ordinal(Ledger);
            var id = dialect.Ordinal(Id);
            var sql = Select + " AND " + At + " IS NOT NULL";
            if (cursor is not null)
            {
                // Older than the cursor in (at, kind order, ledger, id): earlier kinds in the order may share its instant.
                sql += order < cursor.Order ? $" AND {at} <= @at"
                    : order > cursor.Order ? $" AND {at} < @at"
                    : $" AND ({at} < @at OR ({at} = @at AND ({ledger} < @ledger OR ({ledger} = @ledger AND {id} < @cursorId))))";
            }

            // PostgreSQL refuses a constant in ORDER BY: kinds without a ledger order by instant and id.
            return dialect.Top(sql + (Ledger == "''" ? $" ORDER BY {at} DESC, {id} DESC" : $" ORDER BY {at} DESC, {ledger} DESC, {id} DESC"), take);
        }

        public IEnumerable<TimelineEntry> Read(DbConnection connection, StoreDialect dialect, int order, long id, Cursor? cursor, int take, DateOnly today)
        {
            var parameters = new
            {
                id,
                today = today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                at = cursor?.At,
                ledger = cursor?.Ledger,
                cursorId = cursor?.Id,
            };
            foreach (var row in connection.Query(Sql(dialect, order, cursor, take), parameters))
            {
                // PostgreSQL folds unquoted aliases to lower case.
                var r = new Dictionary<string, object?>((IDictionary<string, object?>)row, StringComparer.OrdinalIgnoreCase);
                yield return new TimelineEntry((string)r["At"]!, Kind, (string)r["Ledger"]!, Convert.ToString(r["Id"], CultureInfo.InvariantCulture)!,
                    Title(r), Detail(r), r["Amount"] is null ? null : Convert.ToInt64(r["Amount"], CultureInfo.InvariantCulture), r["Who"] as string, r["Tag"] as string)
                {
                    Currency = r.GetValueOrDefault("Currency") as string,
                };
            }
        }

        // An invoice without a number goes by its ledger id.
        private string Title(Dictionary<string, object?> r) => r["Title"] as string ?? (Kind == "invoice" ? Convert.ToString(r["Id"], CultureInfo.InvariantCulture)! : "");

        private string? Detail(Dictionary<string, object?> r) => Kind == "deal"
            ? $"{r["FromStage"]} → {r["ToStage"]}" + (r["Reason"] is string reason ? ": " + reason : "")
            : r["Detail"] as string;
    }

    private sealed record Cursor(string At, int Order, string Ledger, string Id)
    {
        private const char Separator = '\u001f';

        public override string ToString() => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(
            string.Join(Separator, At, Order.ToString(CultureInfo.InvariantCulture), Ledger, Id)))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

        public static Cursor Parse(string text)
        {
            var b64 = text.Replace('-', '+').Replace('_', '/');
            b64 = b64.PadRight(b64.Length + ((4 - (b64.Length % 4)) % 4), '=');
            var parts = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(b64)).Split(Separator);
            if (parts.Length != 4 || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var order) || order < 0 || order >= Sources.Length)
            {
                throw new FormatException("Not a timeline cursor.");
            }

            return new Cursor(parts[0], order, parts[2], parts[3]);
        }
    }
}
