using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using CrmExtensions.Sdk.Facts;
using CrmExtensions.Sdk.Model;
using CrmExtensions.Sdk.Shared;
using CrmExtensions.Store;
using CrmExtensions.Store.Mirror;
using CrmExtensions.Store.Reporting;
using Dapper;

namespace CrmExtensions.Runtime.Storage;

/// <summary>The plugins' streaming, as-of view of the client base: one query per stream, read row by row.</summary>
/// <remarks>
/// The mirror keeps the day the host saw an invoice settled (<c>settled_on</c>), which on a ledger synced once is the
/// day of that sync; so "settled by a day" also counts the payments that name the invoice up to that day, which keeps a
/// look back in time right. Thread-safe: each read opens its own connection.
/// </remarks>
internal sealed class StoreFacts(CrmStore store) : ICrmFacts
{
    /// <summary>What the payments naming an invoice cover up to the day; NULL when none do.</summary>
    private const string PaidByDay =
        "(SELECT SUM(p.amount) FROM mirror_payments p WHERE p.ledger = i.ledger AND p.invoice_id = i.ledger_id AND p.vanished_at IS NULL AND p.paid_on <= @asOf)";

    /// <summary>Still owed as of the day: by the payments when there are any, else by the ledger's paid amount while unsettled.</summary>
    private const string Outstanding = "i.amount - COALESCE(" + PaidByDay + ", CASE WHEN i.settled_on IS NULL THEN i.paid_amount END, 0)";

    /// <summary><see cref="Outstanding"/> in the store's base currency (migration 27), for the facts' totals: NULL for an
    /// invoice in a currency without a rate, which no total adds.</summary>
    private const string OutstandingInBase =
        "i.base_amount - COALESCE((SELECT SUM(p.base_amount) FROM mirror_payments p WHERE p.ledger = i.ledger AND p.invoice_id = i.ledger_id AND p.vanished_at IS NULL AND p.paid_on <= @asOf), " +
        "CASE WHEN i.settled_on IS NULL THEN i.base_paid_amount END, 0)";

    private const string OverdueWhere =
        "i.vanished_at IS NULL AND i.due_on IS NOT NULL AND i.due_on < @asOf AND (i.settled_on IS NULL OR i.settled_on > @asOf)";

    private const string OverdueSelect =
        "SELECT i.ledger AS Ledger, i.ledger_id AS LedgerId, i.counterparty_id AS CounterpartyId, i.number AS Number, i.issued_on AS IssuedOn, " +
        "i.due_on AS DueOn, i.amount AS Amount, i.paid_amount AS PaidAmount, i.currency AS Currency, i.manager AS Manager, i.settled_on AS SettledOn, " +
        Outstanding + " AS Outstanding, " + OutstandingInBase + " AS OutstandingInBase, i.client_id AS ClientId, c.display_name AS ClientName, mc.manager AS CounterpartyManager, " +
        "mc.name AS CounterpartyName, cm.role AS Role, mc.city AS City, mc.email AS Email " +
        "FROM mirror_invoices i " +
        "LEFT JOIN mirror_counterparties mc ON mc.ledger = i.ledger AND mc.ledger_id = i.counterparty_id " +
        "LEFT JOIN client_members cm ON cm.ledger = i.ledger AND cm.ledger_id = i.counterparty_id " +
        "LEFT JOIN clients c ON c.client_id = i.client_id " +
        "WHERE " + OverdueWhere;

    /// <summary>Every overdue invoice, in no order: <see cref="StreamOverdueInvoicesAsync"/> sorts them (<see cref="OverdueRow.Order"/>).</summary>
    internal const string OverdueSql = OverdueSelect;

    internal const string ClientOverdueSql = OverdueSelect + " AND i.client_id = @clientId ORDER BY i.due_on, i.ledger, i.ledger_id";

    // The client facts are read as six statements in client id order, joined here as they are read: joined in SQL, each
    // grouped piece was materialised and given an index of its own to be looked up by client (about a third of the whole
    // statement's time at a million clients on SQLite), where each piece's rows already come in client order.

    /// <summary>The current clients the facts are of, in client id order.</summary>
    internal const string ClientsSql =
        "SELECT c.client_id AS ClientId, c.display_name AS DisplayName, c.members AS Members FROM clients c WHERE c.retired_at IS NULL ORDER BY c.client_id";

    /// <summary>Each client's ABC class over the reporting window (only clients with revenue in it; the rest are C).</summary>
    internal static readonly string ClassesSql = "SELECT k.id AS ClientId, k.class AS AbcClass FROM " + ClientMoneySql.Classes + " k";

    private static readonly string ManagerAndEmail =
        ClientMoneySql.HeadFirst("manager") + " AS Manager, " + ClientMoneySql.HeadFirst("email") + " AS Email " + ClientMoneySql.MembersWithCounterparties;

    /// <summary>The manager and e-mail the dossier and the reports name: the head members', else any member's; of the
    /// clients from <c>@fromClient</c> on, in client id order.</summary>
    internal static readonly string ManagersSql =
        "SELECT m.client_id AS ClientId, " + ManagerAndEmail + " WHERE c.vanished_at IS NULL AND m.client_id >= @fromClient GROUP BY m.client_id ORDER BY m.client_id";

    /// <summary><see cref="ManagersSql"/>'s manager and e-mail of one client (NULLs when it has no member).</summary>
    internal static readonly string ClientManagerSql = "SELECT " + ManagerAndEmail + " WHERE c.vanished_at IS NULL AND m.client_id = @clientId";

    /// <summary>Each client's invoices issued by the day: first and last, how many, revenue over the reporting window and the twelve months before it.</summary>
    internal const string InvoicesSql =
        "SELECT i.client_id AS ClientId, MIN(i.issued_on) AS FirstOn, MAX(i.issued_on) AS LastOn, COUNT(*) AS Invoices, " +
        "SUM(CASE WHEN i.issued_on >= @from THEN COALESCE(i.base_amount, 0) ELSE 0 END) AS Revenue, " +
        "SUM(CASE WHEN i.issued_on > @twoYearsAgo AND i.issued_on < @from THEN COALESCE(i.base_amount, 0) ELSE 0 END) AS Previous " +
        "FROM mirror_invoices i WHERE i.client_id IS NOT NULL AND i.vanished_at IS NULL AND i.issued_on <= @asOf GROUP BY i.client_id ORDER BY i.client_id";

    /// <summary>Each client's payments received by the day: first and last, how many.</summary>
    internal const string PaymentsSql =
        "SELECT p.client_id AS ClientId, MIN(p.paid_on) AS FirstOn, MAX(p.paid_on) AS LastOn, COUNT(*) AS Payments " +
        "FROM mirror_payments p WHERE p.client_id IS NOT NULL AND p.vanished_at IS NULL AND p.paid_on <= @asOf GROUP BY p.client_id ORDER BY p.client_id";

    /// <summary>Each client's debt overdue on the day, in the base currency.</summary>
    internal const string OverdueDebtSql =
        "SELECT o.client_id AS ClientId, SUM(o.outstanding) AS Overdue " +
        "FROM (SELECT i.client_id, " + OutstandingInBase + " AS outstanding FROM mirror_invoices i WHERE i.client_id IS NOT NULL AND i.base_amount IS NOT NULL AND " + OverdueWhere + ") o " +
        "WHERE o.outstanding > 0 GROUP BY o.client_id ORDER BY o.client_id";

    /// <summary>What the recipient rule reads, client by client in <see cref="ClientsSql"/>'s order: the contacts with an
    /// address in name order (kind 0), then the members in the mail model's order with their own address (kind 1).</summary>
    internal const string RecipientInputsSql =
        "SELECT m.client_id AS ClientId, 0 AS Kind, ct.full_name AS SortKey, ct.position AS Position, ct.email AS Email, ct.ledger AS Ledger, ct.ledger_id AS LedgerId " +
        "FROM mirror_contacts ct JOIN client_members m ON m.ledger = ct.ledger AND m.ledger_id = ct.counterparty_id " +
        "WHERE ct.vanished_at IS NULL AND ct.email IS NOT NULL " +
        "UNION ALL " +
        "SELECT m.client_id, 1, m.legal_entity, m.role, mc.email, m.ledger, m.ledger_id " +
        "FROM client_members m LEFT JOIN mirror_counterparties mc ON mc.ledger = m.ledger AND mc.ledger_id = m.ledger_id " +
        "ORDER BY ClientId, Kind, SortKey, Ledger, LedgerId";

    /// <summary>A birthday's month and day (<c>birthday_md</c>, migration 28, the column "my day" reads) in two ranges so a
    /// window may cross New Year: read through the column's index, not by cutting every row's date.</summary>
    private const string InWindow =
        "(({0} >= @from1 AND {0} <= @to1) OR ({0} >= @from2 AND {0} <= @to2))";

    internal static readonly string ContactOccasionsSql =
        "SELECT ct.ledger AS Ledger, ct.ledger_id AS LedgerId, ct.counterparty_id AS CounterpartyId, ct.full_name AS Name, ct.position AS Position, " +
        "ct.email AS Email, ct.birthday AS Since, cm.client_id AS ClientId, c.display_name AS ClientName, mc.name AS CounterpartyName, " +
        "mc.manager AS Manager, mc.tax_id AS TaxId " +
        "FROM mirror_contacts ct " +
        "LEFT JOIN mirror_counterparties mc ON mc.ledger = ct.ledger AND mc.ledger_id = ct.counterparty_id " +
        "LEFT JOIN client_members cm ON cm.ledger = ct.ledger AND cm.ledger_id = ct.counterparty_id " +
        "LEFT JOIN clients c ON c.client_id = cm.client_id " +
        "WHERE ct.vanished_at IS NULL AND ct.birthday IS NOT NULL AND " + InWindow.Replace("{0}", "ct.birthday_md", StringComparison.Ordinal) +
        " ORDER BY ct.ledger, ct.ledger_id";

    internal static readonly string CounterpartyOccasionsSql =
        "SELECT mc.ledger AS Ledger, mc.ledger_id AS LedgerId, mc.ledger_id AS CounterpartyId, mc.name AS Name, mc.email AS Email, " +
        "mc.birthday AS Since, cm.client_id AS ClientId, c.display_name AS ClientName, mc.name AS CounterpartyName, mc.manager AS Manager, mc.tax_id AS TaxId " +
        "FROM mirror_counterparties mc " +
        "LEFT JOIN client_members cm ON cm.ledger = mc.ledger AND cm.ledger_id = mc.ledger_id " +
        "LEFT JOIN clients c ON c.client_id = cm.client_id " +
        "WHERE mc.vanished_at IS NULL AND mc.birthday IS NOT NULL AND " + InWindow.Replace("{0}", "mc.birthday_md", StringComparison.Ordinal) +
        " ORDER BY mc.ledger, mc.ledger_id";

    internal const string TagsSql = "SELECT client_id AS ClientId, value AS Value FROM client_tags WHERE name = @name";

    internal static IEnumerable<string> Statements() =>
        [OverdueSql, ClientOverdueSql, ClientsSql, ClassesSql, ManagersSql, ClientManagerSql, InvoicesSql, PaymentsSql, OverdueDebtSql, RecipientInputsSql, ContactOccasionsSql, CounterpartyOccasionsSql, TagsSql, PlaceholderCountsSql];

    /// <summary>The window's birth dates counted, for <see cref="BirthdayPlaceholders"/>.</summary>
    internal static readonly string PlaceholderCountsSql = BirthdayPlaceholders.CountsSql(InWindow);

    public async IAsyncEnumerable<KeyValuePair<string, string>> StreamClientTagsAsync(string name, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        // Handed out in client id order, the facts stream's, so a rule can merge a tag's values with the facts as they come
        // rather than keep a table by client. The rows come by value, then client (the index by name, value and client): each
        // value's run is in client order, and the ids are sorted here, a sort of integers, cheaper than the store's sorter.
        var ids = new List<long>();
        var values = new List<string>();
        await using (var connection = store.Open())
        {
            await using var rows = await connection.ExecuteReaderAsync(new CommandDefinition(TagsSql, new { name }, cancellationToken: cancellationToken)).ConfigureAwait(false);
            var sorted = true;
            string? last = null;
            while (await rows.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var id = rows.GetInt64(0);
                var value = rows.GetString(1);
                // The values of a run are one string: the many copies die young.
                last = value == last ? last : value;
                sorted = sorted && (ids.Count == 0 || ids[^1] < id);
                ids.Add(id);
                values.Add(last);
            }

            if (!sorted)
            {
                CollectionsMarshal.AsSpan(ids).Sort(CollectionsMarshal.AsSpan(values));
            }
        }

        for (var i = 0; i < ids.Count; i++)
        {
            yield return new KeyValuePair<string, string>(ids[i].ToString(CultureInfo.InvariantCulture), values[i]);
        }
    }

    public async IAsyncEnumerable<ClientFacts> StreamClientFactsAsync(DateOnly asOf, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // The last twelve months are the reporting window's (the Pareto report's and the abc= segment's); the twelve before
        // them end the day before it starts.
        var window = ReportingWindow.TwelveMonthsTo(asOf);
        var parameters = new { asOf = Text(asOf), from = window.FromText, to = window.ToText, twoYearsAgo = Text(asOf.AddYears(-2)) };

        // The pieces every client's facts carry are read side by side in client order: no query per client. They are read
        // column by column with typed getters rather than mapped per row: a stream of the whole base is read once per
        // evaluation, and mapping each value through a boxed object was most of its cost at a million clients. The overdue
        // debt, the class and the recipient are read only if a reader asks for them (Deferred): at a million clients they
        // cost about as much as all the rest, and a rule such as the lifecycle's reads none of them. So are the manager and
        // the e-mail (every member joined to its counterparty), which the lifecycle reads for the few clients it reminds of.
        await using var deferred = new Deferred(store, parameters);
        await using var clients = await ClientKeyed.OpenAsync(store, ClientsSql, parameters, cancellationToken).ConfigureAwait(false);
        await using var invoices = await ClientKeyed.OpenAsync(store, InvoicesSql, parameters, cancellationToken).ConfigureAwait(false);
        await using var payments = await ClientKeyed.OpenAsync(store, PaymentsSql, parameters, cancellationToken).ConfigureAwait(false);
        for (var more = clients.HasRow; more; more = await clients.NextAsync(cancellationToken).ConfigureAwait(false))
        {
            var clientId = clients.Key;
            var client = clients.Row;
            var issued = await invoices.SeekAsync(clientId, cancellationToken).ConfigureAwait(false) ? invoices.Row : null;
            var paid = await payments.SeekAsync(clientId, cancellationToken).ConfigureAwait(false) ? payments.Row : null;
            deferred.Streamed();
            yield return new ClientFacts
            {
                Deferred = deferred,
                ClientId = clientId.ToString(CultureInfo.InvariantCulture),
                DisplayName = client.GetString(1),
                Members = (int)Convert.ToInt64(client.GetValue(2), CultureInfo.InvariantCulture),
                FirstInvoiceOn = issued is null ? null : NullableDate(issued, 1),
                LastInvoiceOn = issued is null ? null : NullableDate(issued, 2),
                Invoices = issued is null ? 0 : (int)NullableLong(issued, 3),
                RevenueLast12Months = issued is null ? 0m : NullableAmount(issued, 4),
                RevenuePrevious12Months = issued is null ? 0m : NullableAmount(issued, 5),
                FirstPaymentOn = paid is null ? null : NullableDate(paid, 1),
                LastPaymentOn = paid is null ? null : NullableDate(paid, 2),
                Payments = paid is null ? 0 : (int)NullableLong(paid, 3),
            };
        }
    }

    public async IAsyncEnumerable<OverdueInvoice> StreamOverdueInvoicesAsync(DateOnly asOf, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Read whole and sorted here by client, due day and key: the store's sorter carried every row's twenty columns
        // (about a third of the statement's time on SQLite), where this sorts references. The stream's readers hold every
        // overdue invoice anyway (the dunning rule keeps a reminder for each).
        var overdue = new List<OverdueRow>();
        await using (var connection = store.Open())
        {
            await using var rows = await connection.ExecuteReaderAsync(new CommandDefinition(OverdueSql, new { asOf = Text(asOf) }, cancellationToken: cancellationToken))
                .ConfigureAwait(false);
            while (await rows.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                if (OverdueRow.Read(rows) is { Outstanding: > 0 } r)
                {
                    overdue.Add(r);
                }
            }
        }

        overdue.Sort(OverdueRow.Order);
        for (var i = 0; i < overdue.Count; i++)
        {
            var row = overdue[i];
            overdue[i] = null!;
            yield return ToOverdue(row, asOf);
        }
    }

    /// <summary>The 1.1 name of <see cref="GetClientOverdueInvoicesAsync"/>, still called by plugins built against SDK 1.1.</summary>
    public Task<IReadOnlyList<OverdueInvoice>> GetOverdueInvoicesAsync(string clientId, DateOnly asOf, CancellationToken cancellationToken) =>
        GetClientOverdueInvoicesAsync(clientId, asOf, cancellationToken);

    public async Task<IReadOnlyList<OverdueInvoice>> GetClientOverdueInvoicesAsync(string clientId, DateOnly asOf, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(clientId);
        if (!StoreClientIds.TryParse(clientId, out var id))
        {
            return [];
        }

        await using var connection = store.Open();
        await using var rows = await connection.ExecuteReaderAsync(new CommandDefinition(ClientOverdueSql, new { asOf = Text(asOf), clientId = id }, cancellationToken: cancellationToken))
            .ConfigureAwait(false);
        var overdue = new List<OverdueInvoice>();
        while (await rows.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (OverdueRow.Read(rows) is { Outstanding: > 0 } r)
            {
                overdue.Add(ToOverdue(r, asOf));
            }
        }

        return overdue;
    }

    public async IAsyncEnumerable<Occasion> StreamOccasionsAsync(DateOnly from, DateOnly to, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (to < from || to > from.AddYears(1).AddDays(-1))
        {
            throw new ArgumentOutOfRangeException(nameof(to), to, "The window ends on or after its first day and spans at most a year.");
        }

        var window = OccasionWindow.Parameters(from, to);
        // Counted before the rows are streamed, so that none is held: the window's rows read twice through the
        // birthday_md index, a few days' worth for the plugins that greet.
        HashSet<string> placeholders;
        await using (var connection = store.Open())
        {
            placeholders = BirthdayPlaceholders.Read(connection, PlaceholderCountsSql, window);
        }

        foreach (var (sql, contacts) in new[] { (ContactOccasionsSql, true), (CounterpartyOccasionsSql, false) })
        {
            await using var connection = store.Open();
            await foreach (var r in connection.QueryUnbufferedAsync<OccasionRow>(sql, window).WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                if (StoreReader.Date(r.Since) is not { } since || OccasionWindow.Falls(since, from, to) is not { } date)
                {
                    continue;
                }

                if (r.Since is { } text && placeholders.Contains(text))
                {
                    // "01.01.1970" written for every birthday nobody knew: carried by more people than chance explains.
                    continue;
                }

                var kind = contacts ? OccasionKind.ContactBirthday : r.TaxId?.Trim().Length == 12 ? OccasionKind.ProprietorBirthday : OccasionKind.CompanyAnniversary;
                if (kind != OccasionKind.CompanyAnniversary && PersonAge.NoLivingPerson(since, date))
                {
                    // "01.01.1900" written for a birthday nobody knew; a firm's anniversary has no such bound.
                    continue;
                }

                yield return new Occasion
                {
                    Kind = kind,
                    Key = new LedgerKey(r.Ledger, r.LedgerId),
                    Counterparty = new LedgerKey(r.Ledger, r.CounterpartyId),
                    Name = r.Name,
                    Position = r.Position,
                    Email = r.Email,
                    Since = since,
                    Date = date,
                    ClientId = r.ClientId?.ToString(CultureInfo.InvariantCulture),
                    ClientName = r.ClientName ?? r.CounterpartyName ?? r.Name,
                    Manager = r.Manager,
                };
            }
        }
    }

    private OverdueInvoice ToOverdue(OverdueRow r, DateOnly asOf) => new()
    {
        Invoice = StoreReader.ToInvoice(r),
        AsOf = asOf,
        Outstanding = Amount(r.Outstanding),
        OutstandingInBase = r.OutstandingInBase is { } inBase ? Amount(inBase) : null,
        BaseCurrency = store.BaseCurrency,
        ClientId = r.ClientId?.ToString(CultureInfo.InvariantCulture),
        ClientName = r.ClientName ?? r.CounterpartyName ?? r.CounterpartyId,
        Manager = r.Manager ?? r.CounterpartyManager,
        CounterpartyName = r.CounterpartyName ?? r.CounterpartyId,
        Role = StoreReader.Role(r.Role),
        City = r.City,
        Email = r.Email,
    };

    private static decimal Amount(decimal? stored) => stored is { } s ? s / Money.Scale : 0m;

    private static string? NullableString(DbDataReader row, int column) => row.IsDBNull(column) ? null : row.GetString(column);

    private static long NullableLong(DbDataReader row, int column) => row.IsDBNull(column) ? 0 : Convert.ToInt64(row.GetValue(column), CultureInfo.InvariantCulture);

    /// <summary>A stored amount in minor units (a SUM: an integer on SQLite and SQL Server, numeric on PostgreSQL) as money.</summary>
    private static decimal NullableAmount(DbDataReader row, int column) =>
        Amount(row.IsDBNull(column) ? null : Convert.ToDecimal(row.GetValue(column), CultureInfo.InvariantCulture));

    private static DateOnly? NullableDate(DbDataReader row, int column) => row.IsDBNull(column) ? null : StoreReader.Date(row.GetString(column));

    private static string Text(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>One facts stream's managers and e-mails, overdue debts, classes and recipients, each read when a reader first
    /// asks for it.</summary>
    /// <remarks>
    /// The managers and e-mails are looked up client by client while the readers ask for few of the clients streamed (the
    /// lifecycle asks for the clients it reminds of, a few per cent); once they ask for more than one in
    /// <see cref="ManagerAskRatio"/>, the rest are read in client order on a connection of their own as they ask (one pass
    /// over every member, as the recipients are), a look-up costing about as much as passing that many clients.
    /// The debts and the classes are a fraction of the clients and are read whole into a table by client at the first ask.
    /// The recipients are read in client order on a connection of their own as the stream's readers ask, client after client;
    /// a client asked for after a later one was (a reader that kept the facts and reads them out of order), or after the
    /// stream ended, is read on its own with the plugins' reader's rule (<see cref="StoreReader.GetRecipientAsync"/>).
    /// Thread-safe: a lock orders the asks. Its reads are synchronous, as a property's must be.
    /// </remarks>
    private sealed class Deferred(CrmStore store, object parameters) : IDeferredClientFacts, IAsyncDisposable
    {
        private readonly Lock _lock = new();
        private Dictionary<long, decimal>? _overdue;
        private Dictionary<long, string>? _classes;
        private DbConnection? _connection;
        private DbDataReader? _inputs;
        private bool _current;
        private long _lastAsked = long.MinValue;
        private bool _ended;
        private readonly List<RecipientRule.Person> _contacts = [];
        private readonly List<(bool IsHead, string? Email)> _members = [];
        private int _streamed;
        private int _managerAsks;
        private DbConnection? _lookupConnection;
        private DbCommand? _lookup;
        private DbConnection? _managersConnection;
        private DbDataReader? _managers;
        private bool _managersCurrent;
        private long _managersAsked = long.MinValue;

        /// <summary>Past this share of the clients streamed (one in so many), the managers are read in a pass, not looked up.</summary>
        internal const int ManagerAskRatio = 5;

        /// <summary>Counts a client the stream hands out.</summary>
        public void Streamed() => Interlocked.Increment(ref _streamed);

        public (string? Manager, string? Email) ManagerAndEmail(ClientFacts facts)
        {
            var clientId = Id(facts);
            lock (_lock)
            {
                if (!_ended)
                {
                    _managerAsks++;
                    if (_managers is null && _managerAsks > 64 && (long)_managerAsks * ManagerAskRatio > Volatile.Read(ref _streamed))
                    {
                        _managersConnection = store.Open();
                        _managers = (DbDataReader)_managersConnection.ExecuteReader(ManagersSql, new { fromClient = clientId });
                        _managersCurrent = _managers.Read();
                    }

                    if (_managers is not null && clientId > _managersAsked)
                    {
                        _managersAsked = clientId;
                        for (; _managersCurrent; _managersCurrent = _managers.Read())
                        {
                            var key = Convert.ToInt64(_managers.GetValue(0), CultureInfo.InvariantCulture);
                            if (key == clientId)
                            {
                                return ManagerRow(_managers, 1);
                            }

                            if (key > clientId)
                            {
                                break;
                            }
                        }

                        return (null, null);
                    }

                    if (_lookup is null)
                    {
                        _lookupConnection = store.Open();
                        _lookup = _lookupConnection.CreateCommand();
                        _lookup.CommandText = ClientManagerSql;
                        var parameter = _lookup.CreateParameter();
                        parameter.ParameterName = "@clientId";
                        parameter.Value = clientId;
                        _lookup.Parameters.Add(parameter);
                    }

                    _lookup.Parameters[0].Value = clientId;
                    using var row = _lookup.ExecuteReader();
                    return row.Read() ? ManagerRow(row, 0) : (null, null);
                }
            }

            using var connection = store.Open();
            using var one = (DbDataReader)connection.ExecuteReader(ClientManagerSql, new { clientId });
            return one.Read() ? ManagerRow(one, 0) : (null, null);
        }

        /// <summary>The manager and e-mail of a row of <see cref="ManagersSql"/> (from column 1) or <see cref="ClientManagerSql"/> (from 0).</summary>
        private static (string? Manager, string? Email) ManagerRow(DbDataReader row, int first) =>
            (NullableString(row, first), NullableString(row, first + 1));

        public decimal Overdue(ClientFacts facts)
        {
            lock (_lock)
            {
                _overdue ??= ReadAll(OverdueDebtSql, row => NullableAmount(row, 1));
                return _overdue.GetValueOrDefault(Id(facts));
            }
        }

        public string AbcClass(ClientFacts facts)
        {
            lock (_lock)
            {
                // Ranked by revenue, not by client: a quarter of the clients at most.
                _classes ??= ReadAll(ClassesSql, row => row.GetString(1));
                return _classes.GetValueOrDefault(Id(facts)) ?? "C";
            }
        }

        public Recipient? Recipient(ClientFacts facts)
        {
            var clientId = Id(facts);
            lock (_lock)
            {
                if (!_ended && clientId > _lastAsked)
                {
                    _lastAsked = clientId;
                    if (_inputs is null)
                    {
                        _connection = store.Open();
                        _inputs = (DbDataReader)_connection.ExecuteReader(RecipientInputsSql);
                        _current = _inputs.Read();
                    }

                    return NextRecipient(clientId, facts.DisplayName);
                }
            }

            return new StoreReader(store).GetRecipientAsync(facts.ClientId, CancellationToken.None).GetAwaiter().GetResult();
        }

        /// <summary>The recipient of the client the recipients' rows come to next (RecipientInputsSql's columns: ClientId, Kind,
        /// SortKey, Position, Email).</summary>
        private Recipient? NextRecipient(long clientId, string displayName)
        {
            _contacts.Clear();
            _members.Clear();
            var row = _inputs!;
            for (; _current; _current = row.Read())
            {
                var key = Convert.ToInt64(row.GetValue(0), CultureInfo.InvariantCulture);
                if (key > clientId)
                {
                    break;
                }

                if (key < clientId)
                {
                    // A client no reader asked for (or one retired since the clients were read).
                    continue;
                }

                var position = NullableString(row, 3);
                var email = NullableString(row, 4);
                if (Convert.ToInt64(row.GetValue(1), CultureInfo.InvariantCulture) == 0)
                {
                    _contacts.Add(new RecipientRule.Person(NullableString(row, 2) ?? "", position, email));
                }
                else
                {
                    _members.Add((position == "head", email));
                }
            }

            return _contacts.Count == 0 && _members.Count == 0 ? null : RecipientRule.Choose(_contacts, RecipientRule.HeadEmail(_members), displayName);
        }

        private Dictionary<long, T> ReadAll<T>(string sql, Func<DbDataReader, T> value)
        {
            var all = new Dictionary<long, T>();
            using var connection = store.Open();
            using var rows = (DbDataReader)connection.ExecuteReader(sql, parameters);
            while (rows.Read())
            {
                all[Convert.ToInt64(rows.GetValue(0), CultureInfo.InvariantCulture)] = value(rows);
            }

            return all;
        }

        private static long Id(ClientFacts facts) => long.Parse(facts.ClientId, CultureInfo.InvariantCulture);

        public async ValueTask DisposeAsync()
        {
            IAsyncDisposable?[] open;
            lock (_lock)
            {
                _ended = true;
                open = [_inputs, _connection, _managers, _managersConnection, _lookup, _lookupConnection];
                (_inputs, _connection, _managers, _managersConnection, _lookup, _lookupConnection) = (null, null, null, null, null, null);
            }

            foreach (var disposable in open)
            {
                if (disposable is not null)
                {
                    await disposable.DisposeAsync().ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>One statement's rows in client id order (its first column), on a connection of its own, read alongside
    /// the clients: a merge join of rows that are already in the same order.</summary>
    private sealed class ClientKeyed(DbConnection connection, DbDataReader rows) : IAsyncDisposable
    {
        private bool _current;

        /// <summary>The current row's client id; valid while a row is current.</summary>
        public long Key { get; private set; }

        /// <summary>Whether a row is current: false once the rows are all read.</summary>
        public bool HasRow => _current;

        /// <summary>The current row.</summary>
        public DbDataReader Row => rows;

        public static async Task<ClientKeyed> OpenAsync(CrmStore store, string sql, object? parameters, CancellationToken cancellationToken)
        {
            var connection = store.Open();
            try
            {
                var rows = await connection.ExecuteReaderAsync(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken)).ConfigureAwait(false);
                var keyed = new ClientKeyed(connection, rows);
                await keyed.NextAsync(cancellationToken).ConfigureAwait(false);
                return keyed;
            }
            catch
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }

        /// <summary>Moves to the next row; says whether there is one.</summary>
        public async ValueTask<bool> NextAsync(CancellationToken cancellationToken)
        {
            _current = await rows.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (_current)
            {
                Key = Convert.ToInt64(rows.GetValue(0), CultureInfo.InvariantCulture);
            }

            return _current;
        }

        /// <summary>Passes the rows of ids before <paramref name="clientId"/> (clients retired since, or none of the facts'); says
        /// whether the current row is then that client's.</summary>
        public async ValueTask<bool> SeekAsync(long clientId, CancellationToken cancellationToken)
        {
            while (_current && Key < clientId)
            {
                await NextAsync(cancellationToken).ConfigureAwait(false);
            }

            return _current && Key == clientId;
        }

        public async ValueTask DisposeAsync()
        {
            await rows.DisposeAsync().ConfigureAwait(false);
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>An overdue invoice with what is still owed and its client (the query selects no vanished rows).</summary>
    private sealed class OverdueRow : StoreReader.InvoiceRow
    {
        /// <summary>The current row of <see cref="OverdueSelect"/>, read by column with typed getters: the stream reads every
        /// overdue invoice of the base, and mapping each value through a boxed object by name was most of its managed cost.</summary>
        public static OverdueRow Read(DbDataReader row) => new()
        {
            Ledger = row.GetString(0),
            LedgerId = row.GetString(1),
            CounterpartyId = row.GetString(2),
            Number = NullableString(row, 3),
            IssuedOn = NullableString(row, 4),
            DueOn = NullableString(row, 5),
            Amount = row.GetInt64(6),
            PaidAmount = row.IsDBNull(7) ? null : row.GetInt64(7),
            Currency = NullableString(row, 8),
            Manager = NullableString(row, 9),
            SettledOn = NullableString(row, 10),
            // Differences of sums: integers on SQLite and SQL Server, numeric on PostgreSQL.
            Outstanding = Convert.ToDecimal(row.GetValue(11), CultureInfo.InvariantCulture),
            OutstandingInBase = row.IsDBNull(12) ? null : Convert.ToDecimal(row.GetValue(12), CultureInfo.InvariantCulture),
            ClientId = row.IsDBNull(13) ? null : Convert.ToInt64(row.GetValue(13), CultureInfo.InvariantCulture),
            ClientName = NullableString(row, 14),
            CounterpartyManager = NullableString(row, 15),
            CounterpartyName = NullableString(row, 16),
            Role = NullableString(row, 17),
            City = NullableString(row, 18),
            Email = NullableString(row, 19),
        };

        /// <summary>The stream's order: by client (none first), then due day (none first), ledger and id, ordinally.</summary>
        public static int Order(OverdueRow a, OverdueRow b)
        {
            var byClient = Nullable.Compare(a.ClientId, b.ClientId);
            if (byClient != 0)
            {
                return byClient;
            }

            var byDue = string.CompareOrdinal(a.DueOn, b.DueOn);
            if (byDue != 0)
            {
                return byDue;
            }

            var byLedger = string.CompareOrdinal(a.Ledger, b.Ledger);
            return byLedger != 0 ? byLedger : string.CompareOrdinal(a.LedgerId, b.LedgerId);
        }

        public decimal Outstanding { get; set; }

        public decimal? OutstandingInBase { get; set; }
        public long? ClientId { get; set; }
        public string? ClientName { get; set; }
        public string? CounterpartyManager { get; set; }
        public string? CounterpartyName { get; set; }
        public string? Role { get; set; }
        public string? City { get; set; }
        public string? Email { get; set; }
    }

    private sealed class OccasionRow
    {
        public string Ledger { get; set; } = "";
        public string LedgerId { get; set; } = "";
        public string CounterpartyId { get; set; } = "";
        public string Name { get; set; } = "";
        public string? Position { get; set; }
        public string? Email { get; set; }
        public string? Since { get; set; }
        public long? ClientId { get; set; }
        public string? ClientName { get; set; }
        public string? CounterpartyName { get; set; }
        public string? Manager { get; set; }
        public string? TaxId { get; set; }
    }
}
