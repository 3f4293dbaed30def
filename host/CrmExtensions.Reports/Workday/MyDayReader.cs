using System.Globalization;
using CrmExtensions.Store;
using CrmExtensions.Store.Mirror;
using CrmExtensions.Store.Reporting;
using Dapper;

namespace CrmExtensions.Reports.Workday;

/// <summary>A birthday today: a contact's of a client, or a counterparty's — a person's, or a firm's day of registration.</summary>
/// <param name="Birthday"><c>yyyy-MM-dd</c>.</param>
/// <param name="Firm">The counterparty is a firm, its INN an organisation's (<see cref="PersonAge.IsFirm"/>): the day is its anniversary, not a birthday.</param>
public sealed record BirthdayEntry(long ClientId, string ClientName, string FullName, string? Position, string? Phone, string? Email, string Birthday, bool Firm);

/// <summary>A client the lifecycle plugin has marked as starting to lapse.</summary>
/// <param name="Since">When the mark was set (an instant as the store writes them).</param>
public sealed record LapsingClient(long ClientId, string ClientName, string Since);

/// <summary>What a manager's day holds besides reminders: birthdays today and clients that started to lapse.</summary>
/// <remarks>"A manager's clients" are the clients whose manager (<see cref="ClientMoneySql.ManagedBy"/>) that manager is;
/// with no manager, every client.</remarks>
public sealed class MyDayReader(CrmStore store)
{
    /// <summary>The tag the shipped Lifecycle plugin sets on a client that starts to lapse.</summary>
    public const string AtRiskTag = "lifecycle.at_risk";

    private readonly CrmStore _store = store ?? throw new ArgumentNullException(nameof(store));

    // The client's manager as the dossier, the reports and the client list name it.
    private static readonly string MineFilter = " AND (@manager IS NULL OR " + ClientMoneySql.ManagedBy("cl.client_id") + ")";

    internal static readonly string ContactBirthdaysSql =
        "SELECT DISTINCT cl.client_id AS ClientId, cl.display_name AS ClientName, p.full_name AS FullName, p.position AS Position, p.phone AS Phone, " +
        "p.email AS Email, p.birthday AS Birthday, CAST(NULL AS VARCHAR(12)) AS TaxId FROM mirror_contacts p JOIN client_members m ON m.ledger = p.ledger AND m.ledger_id = p.counterparty_id " +
        "JOIN clients cl ON cl.client_id = m.client_id WHERE p.vanished_at IS NULL AND p.birthday_md IN (@md, @leapDay) AND cl.retired_at IS NULL" + MineFilter;

    internal static readonly string PersonBirthdaysSql =
        "SELECT DISTINCT cl.client_id AS ClientId, cl.display_name AS ClientName, k.name AS FullName, CAST(NULL AS VARCHAR(10)) AS Position, k.phone AS Phone, " +
        "k.email AS Email, k.birthday AS Birthday, k.tax_id AS TaxId FROM mirror_counterparties k JOIN client_members m ON m.ledger = k.ledger AND m.ledger_id = k.ledger_id " +
        "JOIN clients cl ON cl.client_id = m.client_id WHERE k.vanished_at IS NULL AND k.birthday_md IN (@md, @leapDay) AND cl.retired_at IS NULL" + MineFilter;

    internal static readonly string LapsingSql =
        "SELECT cl.client_id AS ClientId, cl.display_name AS ClientName, t.updated_at AS Since FROM client_tags t JOIN clients cl ON cl.client_id = t.client_id " +
        "WHERE t.name = @tag AND t.value = 'true' AND cl.retired_at IS NULL" + MineFilter + " ORDER BY t.updated_at DESC, cl.client_id";

    /// <summary>Every statement, for the T-SQL parse test.</summary>
    internal static IEnumerable<string> Statements() => [ContactBirthdaysSql, PersonBirthdaysSql, LapsingSql, PlaceholderCountsSql];

    /// <summary>The day's birth dates counted, for <see cref="BirthdayPlaceholders"/>.</summary>
    internal static readonly string PlaceholderCountsSql = BirthdayPlaceholders.CountsSql("{0} IN (@md, @leapDay)");

    /// <summary>Birthdays on <paramref name="day"/> (any year) among the clients of <paramref name="manager"/> (every client when null).</summary>
    /// <remarks>Looked up by month and day through the mirror's <c>birthday_md</c> index (store migration 28). A birthday on
    /// 29 February is listed on 28 February in a year without one, as plugins' occasions fall (the SDK's facts).</remarks>
    public IReadOnlyList<BirthdayEntry> Birthdays(DateOnly day, string? manager)
    {
        var md = day.ToString("MM-dd", CultureInfo.InvariantCulture);
        var leapDay = day.Month == 2 && day.Day == 28 && !DateTime.IsLeapYear(day.Year) ? "02-29" : md;
        using var connection = _store.Open();
        var found = Read(connection, ContactBirthdaysSql, firms: false).Concat(Read(connection, PersonBirthdaysSql, firms: true))
            .Where(b => b.Firm || !PersonAge.NoLivingPerson(b.Birthday, day))
            .ToList();
        // Dates written for birthdays nobody knew, asked only on a day with a birthday to list.
        var placeholders = found.Count == 0 ? [] : BirthdayPlaceholders.Read(connection, PlaceholderCountsSql, new { md, leapDay });
        return found
            .Where(b => !placeholders.Contains(b.Birthday))
            .DistinctBy(b => (b.ClientId, b.FullName))
            .OrderBy(b => b.FullName, StringComparer.CurrentCulture)
            .ToList();

        // Read as tuples: Dapper maps a record's constructor by the first row's column types, and SQLite types a NULL column as a blob.
        IEnumerable<BirthdayEntry> Read(System.Data.IDbConnection c, string sql, bool firms) =>
            c.Query<(long ClientId, string ClientName, string FullName, string? Position, string? Phone, string? Email, string Birthday, string? TaxId)>(
                    sql, new { md, leapDay, manager })
                .Select(b => new BirthdayEntry(b.ClientId, b.ClientName, b.FullName, b.Position, b.Phone, b.Email, b.Birthday, firms && PersonAge.IsFirm(b.TaxId)));
    }

    /// <summary>Clients of <paramref name="manager"/> marked as starting to lapse, newest mark first, at most <paramref name="limit"/>.</summary>
    public IReadOnlyList<LapsingClient> Lapsing(string? manager, int limit)
    {
        using var connection = _store.Open();
        return connection.Query<LapsingClient>(_store.Dialect.Top(LapsingSql, limit), new { tag = AtRiskTag, manager }).AsList();
    }
}
