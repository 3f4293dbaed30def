using System.Data;
using System.Data.Common;
using System.Globalization;
using CrmExtensions.Store.Internal;
using CrmExtensions.Store.Mirror;
using CrmExtensions.Store.Providers;
using Dapper;

namespace CrmExtensions.Store.Clients;

/// <summary>Client records in the store: what unification reads and writes, and what the client commands query.</summary>
/// <remarks>Clients and decisions are never deleted: retired and undone instead. Links, review pairs and issues
/// explain the latest run and are replaced by each run.</remarks>
public sealed class ClientStore
{
    private readonly CrmStore _store;

    public ClientStore(CrmStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
    }

    /// <summary>Streams every counterparty the ledgers still return.</summary>
    public IEnumerable<CounterpartyRow> ReadCounterparties()
    {
        using var connection = _store.Open();
        using var command = connection.CreateCommand();
        command.CommandText = CounterpartiesSql;
        using var reader = command.ExecuteReader(CommandBehavior.SequentialAccess);

        // A million rows name one ledger, a few thousand cities and a hundred regions: one string each, not a
        // million copies held for the whole run.
        var shared = new Dictionary<string, string>(StringComparer.Ordinal);
        string? Shared(string? value)
        {
            if (value is null)
            {
                return null;
            }

            if (shared.TryGetValue(value, out var same))
            {
                return same;
            }

            if (shared.Count < MaxSharedValues)
            {
                shared.Add(value, value);
            }

            return value;
        }

        while (reader.Read())
        {
            yield return new CounterpartyRow(Shared(reader.GetString(0))!, reader.GetString(1), reader.GetStringOrNull(2), reader.GetStringOrNull(3), reader.GetStringOrNull(4), reader.GetStringOrNull(5),
                reader.GetStringOrNull(6), reader.GetStringOrNull(7), Shared(reader.GetStringOrNull(8)), Shared(reader.GetStringOrNull(9)), Shared(reader.GetStringOrNull(10)), reader.GetStringOrNull(11), reader.GetStringOrNull(12), reader.GetStringOrNull(13),
                Shared(reader.GetStringOrNull(14)), Day(reader.GetStringOrNull(15)));
        }


        // The mirror keeps every day as yyyy-MM-dd.
        static DateOnly? Day(string? text) =>
            DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : null;
    }

    private const int MaxSharedValues = 100_000;

    /// <summary>How many counterparties the ledgers still return (what <see cref="ReadCounterparties"/> would stream now).</summary>
    public int CountCounterparties()
    {
        using var connection = _store.Open();
        return connection.ExecuteScalar<int>(CountCounterpartiesSql);
    }

    /// <summary>The head of each counterparty, from its contact persons (position "директор", "генеральный директор", "CEO", …).</summary>
    /// <remarks>A counterparty's own <c>manager</c> column is our account manager, not theirs, so it is no evidence of a group.</remarks>
    public Dictionary<(string Ledger, string CounterpartyId), List<string>> ReadDirectors()
    {
        var result = new Dictionary<(string, string), List<string>>();
        using var connection = _store.Open();
        foreach (var (ledger, counterparty, name, position) in connection.Query<(string, string, string, string)>(
            DirectorsSql, buffered: false))
        {
            if (IsHead(position))
            {
                if (result.TryGetValue((ledger, counterparty), out var names))
                {
                    // Kept in name order, whatever order the database returns the rows in.
                    var at = names.BinarySearch(name, StringComparer.Ordinal);
                    names.Insert(at < 0 ? ~at : at, name);
                }
                else
                {
                    result[(ledger, counterparty)] = [name];
                }
            }
        }

        return result;
    }

    internal static bool IsHead(string position)
    {
        var p = position.Trim().TrimEnd('.').ToLowerInvariant().Replace('ё', 'е');
        return p is "директор" or "генеральный директор" or "ген. директор" or "гендиректор" or "президент" or "управляющий"
            or "управляющий директор" or "руководитель организации" or "ceo" or "director" or "managing director" or "general director"
            or "general manager" or "chief executive officer" or "president" or "owner" or "владелец" or "индивидуальный предприниматель";
    }

    /// <summary>Which live client each member of the last run is in, as (ledger, ledger id, client id): all an
    /// incremental run needs of the last run's million members before it knows which clients it re-examines.</summary>
    public List<(string Ledger, string LedgerId, long ClientId)> ReadAssignment()
    {
        using var connection = _store.Open();
        using var command = connection.CreateCommand();
        command.CommandText = AssignmentSql;
        using var reader = command.ExecuteReader(CommandBehavior.SequentialAccess);
        var result = new List<(string, string, long)>();
        // A few ledgers' names, one string each rather than one per member.
        var ledgers = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.Read())
        {
            var ledger = reader.GetString(0);
            ledger = ledgers.TryGetValue(ledger, out var same) ? same : ledgers[ledger] = ledger;
            result.Add((ledger, reader.GetString(1), reader.GetInt64(2)));
        }

        return result;
    }

    /// <summary>Whether any run has written members (of live clients or retired ones).</summary>
    public bool HasMembers()
    {
        using var connection = _store.Open();
        return connection.ExecuteScalar<int>(NoMembersSql) == 0;
    }

    /// <summary>The member rows of the last run, of every client or of those <paramref name="ofClients"/> accepts.</summary>
    /// <remarks>An incremental run compares the members of the few clients it re-examined: the others' rows are stepped
    /// over unread.</remarks>
    public List<MemberRow> ReadMembers(Func<long, bool>? ofClients = null) => ReadWhere<MemberRow>(MembersSql, ofClients);

    /// <summary>Live clients by id, every one or those <paramref name="which"/> accepts.</summary>
    public Dictionary<long, ClientRow> ReadLiveClients(Func<long, bool>? which = null) =>
        ReadWhere<ClientRow>(LiveClientsSql, which).ToDictionary(c => c.ClientId);

    /// <summary>The live clients' totals: clients, legal entities, branches and clients of several legal entities.</summary>
    public (long Clients, long LegalEntities, long Branches, long Groups) LiveTotals()
    {
        using var connection = _store.Open();
        var totals = connection.QuerySingle<(long?, long?, long?, long?)>(LiveTotalsSql);
        return (totals.Item1 ?? 0, totals.Item2 ?? 0, totals.Item3 ?? 0, totals.Item4 ?? 0);
    }

    /// <summary>The rows of <paramref name="sql"/> (its first column a client id) whose client <paramref name="keep"/>
    /// accepts, materialised only then.</summary>
    private List<T> ReadWhere<T>(string sql, Func<long, bool>? keep)
    {
        using var connection = _store.Open();
        if (keep is null)
        {
            return connection.Query<T>(sql).AsList();
        }

        using var reader = connection.ExecuteReader(sql);
        var parse = reader.GetRowParser<T>();
        var clientId = reader.GetOrdinal("ClientId");
        var rows = new List<T>();
        while (reader.Read())
        {
            if (keep(reader.GetInt64(clientId)))
            {
                rows.Add(parse(reader));
            }
        }

        return rows;
    }

    /// <summary>The largest client id ever given; new ids continue after it, so no id is ever reused.</summary>
    public long MaxClientId()
    {
        using var connection = _store.Open();
        return connection.ExecuteScalar<long?>(MaxClientIdSql) ?? 0;
    }

    /// <summary>Live decisions (not undone), oldest first.</summary>
    public List<DecisionRow> ReadDecisions(bool includeUndone = false)
    {
        using var connection = _store.Open();
        return connection.Query<DecisionRow>(includeUndone ? AllDecisionsSql : LiveDecisionsSql).AsList();
    }

    /// <summary>Records a decision; it holds from the next unification run on.</summary>
    /// <returns>The decision's id.</returns>
    public long AddDecision(string kind, IEnumerable<string> members, IEnumerable<string>? from, bool sameLegalEntity, string? note)
    {
        using var connection = _store.Open();
        return connection.ExecuteScalar<long>(AddDecisionSql(_store.Dialect), new
        {
            decidedAt = StoreTime.Now(_store.Time),
            kind,
            members = string.Join('\n', members),
            fromMembers = from is null ? null : string.Join('\n', from),
            same = sameLegalEntity ? 1 : 0,
            note,
        });
    }

    /// <summary>Undoes a decision (it stays in the store, marked undone).</summary>
    /// <returns>False when there is no live decision with that id.</returns>
    public bool UndoDecision(long id)
    {
        using var connection = _store.Open();
        return connection.Execute(UndoDecisionSql,
            new { id, now = StoreTime.Now(_store.Time) }) == 1;
    }

    /// <summary>Writes one run's result in one transaction, enumerating each sequence of rows once as it writes.</summary>
    /// <returns>The run's review-pair total as stored in its run row: the run's own (<see cref="UnificationRunRow.ReviewPairs"/>)
    /// after a full run; after an incremental one, those plus the pairs still listed for the clients it did not re-examine.</returns>
    public long Save(ClientRunData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var now = StoreTime.Now(_store.Time);
        using var connection = _store.Open();
        using var tx = connection.BeginTransaction();
        using (var clients = new RowWriter(connection, tx, ClientUpsertSql(_store.Dialect),
            "client_id", "display_name", "members", "legal_entities", "branches", "created_at", "updated_at", "retired_at", "merged_into"))
        {
            foreach (var c in data.Clients)
            {
                clients.Add(c.ClientId, c.DisplayName, c.Members, c.LegalEntities, c.Branches, now, now, null, null);
            }

            clients.Flush();
        }

        // A store's first run fills the membership from empty: its indexes are made after the rows, and the money and the
        // search index follow every member at once instead of one member at a time.
        var first = connection.ExecuteScalar<int>(NoMembersSql, transaction: tx) == 1;
        var suspended = first ? BulkWrite.Suspend(connection, tx, _store.Dialect, "client_members", triggers: false) : null;
        var moved = new List<(string, string, long, string)>();
        connection.Execute(RetireSql,
            data.Retired.Select(r => new { now, clientId = r.ClientId, mergedInto = r.MergedInto }), tx);
        using (var members = new RowWriter(connection, tx, MemberUpsertSql(_store.Dialect),
            "ledger", "ledger_id", "client_id", "legal_entity", "entity_name", "tax_id", "role", "branch_code", "city", "region"))
        {
            foreach (var m in data.ChangedMembers)
            {
                members.Add(m.Ledger, m.LedgerId, m.ClientId, m.LegalEntity, m.EntityName, m.TaxId, m.Role, m.BranchCode, m.City, m.Region);
                if (!first)
                {
                    moved.Add((m.Ledger, m.LedgerId, m.ClientId, m.LegalEntity));
                }
            }

            members.Flush();
        }

        suspended?.Restore();

        // The money of the members that changed follows them to their client, in the same transaction (migration 9), and
        // so does their entry in the search index (migration 10).
        if (first)
        {
            MirrorWriter.AssignAllClients(connection, tx);
            ClientSearchWriter.Rebuild(connection, tx, _store.Dialect);
        }
        else
        {
            MirrorWriter.AssignClients(connection, tx, moved);
            ClientSearchWriter.RefreshMoved(connection, tx, _store.Dialect, [.. moved.Select(m => (m.Item1, m.Item2))]);
        }

        if (data.ReExaminedClients is { } reExamined)
        {
            // An incremental run replaces the explanation of the clients it re-examined and keeps every other one.
            var ids = reExamined.Select(id => new { clientId = id }).ToList();
            connection.Execute(ClearClientLinksSql, ids, tx);
            connection.Execute(ClearClientReviewSql, ids, tx);
            connection.Execute(ClearClientIssuesSql, ids, tx);
            connection.Execute(ClearUnassignedIssuesSql, transaction: tx);
        }
        else
        {
            foreach (var table in ExplanationTables)
            {
                connection.Execute(ClearSql(table), transaction: tx);
            }
        }

        using (var links = new RowWriter(connection, tx, LinkInsertSql, "ClientId", "FromLedger", "FromId", "ToLedger", "ToId", "LinkRule", "Evidence", "Score"))
        {
            foreach (var l in data.Links)
            {
                links.Add(l.ClientId, l.FromLedger, l.FromId, l.ToLedger, l.ToId, l.LinkRule, l.Evidence, l.Score);
            }

            links.Flush();
        }

        // An incremental run's pairs are its own; the ones still listed for the clients it kept count too.
        var reviewPairs = data.Run.ReviewPairs + (data.ReExaminedClients is null ? 0 : connection.ExecuteScalar<long>(ReviewCountSql, transaction: tx));
        using (var review = new RowWriter(connection, tx, ReviewInsertSql,
            "FirstLedger", "FirstId", "FirstClient", "SecondLedger", "SecondId", "SecondClient", "LinkRule", "Evidence", "Score"))
        {
            foreach (var r in data.Review)
            {
                review.Add(r.FirstLedger, r.FirstId, r.FirstClient, r.SecondLedger, r.SecondId, r.SecondClient, r.LinkRule, r.Evidence, r.Score);
            }

            review.Flush();
        }

        using (var issues = new RowWriter(connection, tx, IssueInsertSql, "Ledger", "LedgerId", "ClientId", "Kind", "Detail"))
        {
            foreach (var i in data.Issues)
            {
                issues.Add(i.Ledger, i.LedgerId, i.ClientId, i.Kind, i.Detail);
            }

            issues.Flush();
        }

        connection.Execute(MirrorWriter.EventInsertSql, data.Events.Select(e => new
        {
            occurred_at = now,
            event_type = e.Type,
            ledger = "",
            ledger_id = e.ClientId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            data = e.Data,
        }), tx);
        if (data.Model is { } model)
        {
            connection.Execute(ModelInsertSql, new { LearntAt = StoreTime.Format(data.StartedAt), model.BaseRows, model.Model }, tx);
        }

        connection.Execute(RunInsertSql, new
        {
            startedAt = StoreTime.Format(data.StartedAt),
            finishedAt = now,
            data.Run.LedgerEntities,
            data.Run.LegalEntities,
            data.Run.Clients,
            data.Run.Branches,
            data.Run.GroupsLinked,
            ReviewPairs = reviewPairs,
            data.Run.InvalidIdentifiers,
            data.Run.ElapsedMs,
        }, tx);
        tx.Commit();
        return reviewPairs;
    }

    /// <summary>Live clients, largest first, optionally only those whose name contains <paramref name="search"/> and that carry
    /// <paramref name="tag"/> (<c>NAME</c> or <c>NAME=VALUE</c>, as the web's client list filters) and that are in
    /// <paramref name="clients"/> (a segment, as the web's client list filters).</summary>
    public List<ClientRow> ListClients(string? search, int top, string? tag = null, ClientSet? clients = null)
    {
        using var connection = _store.Open();
        var parameters = new DynamicParameters();
        parameters.Add("pattern", search is null ? null : SearchText.ContainsPattern(search));
        parameters.Add("folded", search is null ? null : FoldedPattern(search));
        var conditions = new List<string>();
        if (!string.IsNullOrWhiteSpace(tag))
        {
            conditions.Add(ClientTagFilter.Condition(tag, "clients.client_id", parameters));
        }

        if (clients is not null)
        {
            conditions.Add(clients.Contains("clients.client_id", parameters));
        }

        var sql = _store.Dialect.Top(ListSql(search is not null, conditions.Count == 0 ? null : string.Join(" AND ", conditions)), top);
        return connection.Query<ClientRow>(sql, parameters).AsList();
    }

    internal const string BusiestManagerSql =
        "SELECT manager FROM mirror_counterparties WHERE manager IS NOT NULL AND vanished_at IS NULL GROUP BY manager ORDER BY COUNT(*) DESC, manager";

    /// <summary>The manager the ledgers give the most counterparties, or null when none names one.</summary>
    public string? BusiestManager()
    {
        using var connection = _store.Open();
        return connection.QueryFirstOrDefault<string?>(_store.Dialect.Top(BusiestManagerSql, 1));
    }

    internal const string TagsSql =
        "SELECT name AS Name, value AS Value, plugin_id AS PluginId, updated_at AS UpdatedAt FROM client_tags WHERE client_id = @clientId ORDER BY name";

    /// <summary>The tags plugins have put on a client, by name, each with the plugin that wrote it.</summary>
    public List<ClientTagRow> Tags(long clientId)
    {
        using var connection = _store.Open();
        return connection.Query<ClientTagRow>(TagsSql, new { clientId }).AsList();
    }

    internal static readonly string ManagedBySql =
        "SELECT COUNT(*) FROM clients k WHERE k.client_id = @clientId AND " + Reporting.ClientMoneySql.ManagedBy("k.client_id");

    /// <summary>Whether <paramref name="manager"/> is the client's manager (as the dossier, the reports and the client list name it).</summary>
    public bool IsManagedBy(long clientId, string manager)
    {
        using var connection = _store.Open();
        return connection.ExecuteScalar<long>(ManagedBySql, new { clientId, manager }) > 0;
    }

    /// <summary>Finds clients by id, by a member's INN or ledger key (<c>ledger:id</c>), or by part of a name.</summary>
    public List<ClientRow> FindClients(string term)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(term);
        using var connection = _store.Open();
        return FindClients(connection, term);
    }

    /// <summary>As <see cref="FindClients(string)"/>, on an open connection (an import resolves thousands of terms).</summary>
    internal List<ClientRow> FindClients(DbConnection connection, string term)
    {
        term = term.Trim();
        var ids = new List<long>();
        if (long.TryParse(term, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id))
        {
            ids.AddRange(connection.Query<long>(FindByIdSql, new { id }));
        }

        if (ids.Count == 0 && term.Contains(':', StringComparison.Ordinal))
        {
            var at = term.IndexOf(':', StringComparison.Ordinal);
            ids.AddRange(connection.Query<long>(FindByKeySql,
                new { ledger = term[..at], ledgerId = term[(at + 1)..] }));
        }

        if (ids.Count == 0)
        {
            ids.AddRange(connection.Query<long>(FindByTaxIdSql, new { term }));
        }

        if (ids.Count == 0)
        {
            ids.AddRange(connection.Query<long>(_store.Dialect.Top(FindByNameSql, 50),
                new { pattern = SearchText.ContainsPattern(term) }));
        }

        if (ids.Count == 0 && FoldedPattern(term) is { } folded)
        {
            ids.AddRange(connection.Query<long>(_store.Dialect.Top(FindBySearchTextSql, 50), new { folded }));
        }

        if (ids.Count == 0)
        {
            ids.AddRange(connection.Query<long>(_store.Dialect.Top(FindByEntityNameSql, 50),
                new { pattern = SearchText.ContainsPattern(term) }));
        }

        return ids.Distinct().Select(i => connection.QuerySingle<ClientRow>(ClientByIdSql, new { i })).ToList();
    }

    /// <summary>A client's members with their mirror names.</summary>
    public List<(MemberRow Member, string? Name)> Members(long clientId)
    {
        using var connection = _store.Open();
        return connection.Query<MemberRow, string?, (MemberRow, string?)>(MembersOfClientSql,
            (m, n) => (m, n), new { clientId }, splitOn: "Name").AsList();
    }

    /// <summary>Why a client's members were put together.</summary>
    public List<LinkRow> Links(long clientId)
    {
        using var connection = _store.Open();
        return connection.Query<LinkRow>(LinksSql, new { clientId }).AsList();
    }

    /// <summary>Pairs near the threshold, best first; of one client when <paramref name="clientId"/> is given.</summary>
    public List<ReviewRow> Review(long? clientId, int top)
    {
        using var connection = _store.Open();
        return connection.Query<ReviewRow>(_store.Dialect.Top(ReviewSql(clientId is not null), top), new { clientId }).AsList();
    }

    /// <summary>Pairs for review with both ledger rows from the mirror, best first (the engine's order), at most <paramref name="top"/>.</summary>
    public List<ReviewPairRow> ReviewPairs(int top)
    {
        using var connection = _store.Open();
        return connection.Query<ReviewPairRow>(_store.Dialect.Top(ReviewPairsSql, top)).AsList();
    }

    /// <summary>What unification noticed about a client's members.</summary>
    public List<IssueRow> Issues(long clientId)
    {
        using var connection = _store.Open();
        return connection.Query<IssueRow>(IssuesSql, new { clientId }).AsList();
    }

    /// <summary>Streams (client_id, ledger, ledger_id, legal_entity, role, name) for every member, in client order.</summary>
    public IEnumerable<(long ClientId, string Ledger, string LedgerId, string LegalEntity, string Role, string? TaxId, string? Name)> Export()
    {
        using var connection = _store.Open();
        foreach (var row in connection.Query<(long, string, string, string, string, string?, string?)>(ExportSql, buffered: false))
        {
            yield return row;
        }
    }

    /// <summary>The match model kept by the latest run that learnt one, or null.</summary>
    public UnificationModelRow? ReadModel()
    {
        using var connection = _store.Open();
        return connection.QueryFirstOrDefault<UnificationModelRow>(_store.Dialect.Top(ModelSql, 1));
    }

    /// <summary>When the latest unification run started, or null before the first; with the start of every sync that had
    /// not finished by then, if earlier: its rows carry the instant their sync started.</summary>
    public string? LastRunSince()
    {
        using var connection = _store.Open();
        var started = connection.ExecuteScalar<string?>(_store.Dialect.Top(LastRunStartedSql, 1));
        if (started is null)
        {
            return null;
        }

        var overlapping = connection.ExecuteScalar<string?>(OverlappingSyncSql, new { started });
        return overlapping is not null && string.CompareOrdinal(overlapping, started) < 0 ? overlapping : started;
    }

    /// <summary>Counterparties added, changed or vanished at or after <paramref name="since"/> (ISO 8601 UTC, as the store
    /// writes instants), and those whose contact persons did: the rows unification has to look at again.</summary>
    /// <returns>The rows, and how many of them are counterparties the mirror itself changed (what
    /// <see cref="CountChangedSince"/> counts), so a caller that needs both reads the table once.</returns>
    public ChangedRows ChangedSince(string since)
    {
        using var connection = _store.Open();
        var changed = connection.Query<(string, string)>(ChangedCounterpartiesSql, new { since }, buffered: false).ToHashSet();
        var counterparties = changed.Count;
        changed.UnionWith(connection.Query<(string, string)>(ChangedContactsSql, new { since }, buffered: false));
        return new ChangedRows(changed, counterparties);
    }

    /// <summary>How many counterparties were added, changed or vanished at or after <paramref name="since"/>.</summary>
    public long CountChangedSince(string since)
    {
        using var connection = _store.Open();
        return connection.ExecuteScalar<long>(CountChangedCounterpartiesSql, new { since });
    }

    /// <summary>The latest run's figures, or null before the first run.</summary>
    public UnificationRunRow? LastRun()
    {
        using var connection = _store.Open();
        return connection.QueryFirstOrDefault<UnificationRunRow>(_store.Dialect.Top(LastRunSql, 1));
    }

    private static readonly string[] ExplanationTables = ["client_links", "client_review", "client_issues"];

    // No ORDER BY: the engine's grouping does not depend on input order, and a sequential scan of a million rows is
    // seconds faster than walking the primary key and fetching each row.
    internal const string CounterpartiesSql =
        "SELECT ledger, ledger_id, name, tax_id, branch_code, registration_number, parent_ledger_id, address, city, region, country, phone, email, website, manager, birthday " +
        "FROM mirror_counterparties WHERE vanished_at IS NULL";

    internal const string CountCounterpartiesSql = "SELECT COUNT(*) FROM mirror_counterparties WHERE vanished_at IS NULL";

    internal const string MembersSql =
        "SELECT ledger AS Ledger, ledger_id AS LedgerId, client_id AS ClientId, legal_entity AS LegalEntity, entity_name AS EntityName, tax_id AS TaxId, " +
        "role AS Role, branch_code AS BranchCode, city AS City, region AS Region FROM client_members";

    internal const string DecisionsSql =
        "SELECT id AS Id, decided_at AS DecidedAt, kind AS Kind, members AS Members, from_members AS FromMembers, " +
        "same_legal_entity AS SameLegalEntityFlag, note AS Note, undone_at AS UndoneAt FROM unification_decisions";

    internal const string ClientColumns =
        "SELECT client_id AS ClientId, display_name AS DisplayName, members AS Members, legal_entities AS LegalEntities, branches AS Branches, " +
        "created_at AS CreatedAt, updated_at AS UpdatedAt, retired_at AS RetiredAt, merged_into AS MergedInto";

    internal const string LinkColumns =
        "SELECT client_id AS ClientId, from_ledger AS FromLedger, from_id AS FromId, to_ledger AS ToLedger, to_id AS ToId, link_rule AS LinkRule, evidence AS Evidence, score AS Score";

    internal const string ReviewColumns =
        "SELECT first_ledger AS FirstLedger, first_id AS FirstId, first_client AS FirstClient, second_ledger AS SecondLedger, second_id AS SecondId, " +
        "second_client AS SecondClient, link_rule AS LinkRule, evidence AS Evidence, score AS Score";

    internal const string LinkInsertSql =
        "INSERT INTO client_links (client_id, from_ledger, from_id, to_ledger, to_id, link_rule, evidence, score) VALUES (@ClientId, @FromLedger, @FromId, @ToLedger, @ToId, @LinkRule, @Evidence, @Score)";

    internal const string ReviewInsertSql =
        "INSERT INTO client_review (first_ledger, first_id, first_client, second_ledger, second_id, second_client, link_rule, evidence, score) " +
        "VALUES (@FirstLedger, @FirstId, @FirstClient, @SecondLedger, @SecondId, @SecondClient, @LinkRule, @Evidence, @Score)";

    internal const string IssueInsertSql =
        "INSERT INTO client_issues (ledger, ledger_id, client_id, kind, detail) VALUES (@Ledger, @LedgerId, @ClientId, @Kind, @Detail)";

    internal const string RunInsertSql =
        "INSERT INTO unification_runs (started_at, finished_at, ledger_entities, legal_entities, clients, branches, groups_linked, review_pairs, invalid_identifiers, elapsed_ms) " +
        "VALUES (@startedAt, @finishedAt, @LedgerEntities, @LegalEntities, @Clients, @Branches, @GroupsLinked, @ReviewPairs, @InvalidIdentifiers, @ElapsedMs)";

    internal static string AddDecisionSql(StoreDialect dialect) =>
        "INSERT INTO unification_decisions (decided_at, kind, members, from_members, same_legal_entity, note) " +
        (dialect.Provider == DatabaseProvider.SqlServer ? "OUTPUT INSERTED.id " : "") +
        "VALUES (@decidedAt, @kind, @members, @fromMembers, @same, @note)" +
        (dialect.Provider == DatabaseProvider.SqlServer ? "" : " RETURNING id");

    internal const string DirectorsSql =
        "SELECT ledger, counterparty_id, full_name, position FROM mirror_contacts WHERE vanished_at IS NULL AND position IS NOT NULL";

    /// <summary>Each member of a live client: ledger, ledger id, client id.</summary>
    internal const string AssignmentSql =
        "SELECT m.ledger, m.ledger_id, m.client_id FROM client_members m JOIN clients c ON c.client_id = m.client_id WHERE c.retired_at IS NULL";

    /// <summary>The live clients: how many, their legal entities and branches, and how many hold several legal entities.</summary>
    internal const string LiveTotalsSql =
        "SELECT COUNT(*), SUM(legal_entities), SUM(branches), SUM(CASE WHEN legal_entities > 1 THEN 1 ELSE 0 END) FROM clients WHERE retired_at IS NULL";

    /// <summary>1 when no counterparty is in a client yet (the store's first unification), else 0.</summary>
    internal const string NoMembersSql = "SELECT CASE WHEN EXISTS (SELECT 1 FROM client_members) THEN 0 ELSE 1 END";

    internal const string MaxClientIdSql =
        "SELECT MAX(client_id) FROM clients";

    internal const string UndoDecisionSql =
        "UPDATE unification_decisions SET undone_at = @now WHERE id = @id AND undone_at IS NULL";

    internal const string RetireSql =
        "UPDATE clients SET retired_at = @now, merged_into = @mergedInto, updated_at = @now WHERE client_id = @clientId AND retired_at IS NULL";

    internal const string FindByIdSql =
        "SELECT client_id FROM clients WHERE client_id = @id";

    internal const string FindByKeySql =
        "SELECT client_id FROM client_members WHERE ledger = @ledger AND ledger_id = @ledgerId";

    internal const string FindByTaxIdSql =
        "SELECT DISTINCT client_id FROM client_members WHERE tax_id = @term";

    internal const string FindByNameSql =
        "SELECT client_id FROM clients WHERE retired_at IS NULL AND LOWER(display_name) LIKE @pattern ESCAPE '\\' ORDER BY members DESC, client_id";

    // The web client list's search (ClientDirectory): a member's name, INN, phone or e-mail folded as client_search
    // keeps them, so that "ооо ромашка" finds ООО «Ромашка» and "партнер" finds «Партнёр».
    internal const string FindBySearchTextSql =
        "SELECT DISTINCT client_id FROM client_search WHERE text LIKE @folded ESCAPE '\\'";

    internal const string FindByEntityNameSql =
        "SELECT DISTINCT client_id FROM client_members WHERE LOWER(entity_name) LIKE @pattern ESCAPE '\\'";

    internal const string IssuesSql =
        "SELECT ledger AS Ledger, ledger_id AS LedgerId, client_id AS ClientId, kind AS Kind, detail AS Detail FROM client_issues WHERE client_id = @clientId ORDER BY id";

    internal const string MembersOfClientSql =
        "SELECT m.ledger AS Ledger, m.ledger_id AS LedgerId, m.client_id AS ClientId, m.legal_entity AS LegalEntity, m.entity_name AS EntityName, " +
            "m.tax_id AS TaxId, m.role AS Role, m.branch_code AS BranchCode, m.city AS City, m.region AS Region, c.name AS Name " +
            "FROM client_members m LEFT JOIN mirror_counterparties c ON c.ledger = m.ledger AND c.ledger_id = m.ledger_id " +
            "WHERE m.client_id = @clientId ORDER BY m.legal_entity, m.role DESC, m.ledger, m.ledger_id";

    internal const string ExportSql =
        "SELECT m.client_id, m.ledger, m.ledger_id, m.legal_entity, m.role, m.tax_id, c.name FROM client_members m " +
            "LEFT JOIN mirror_counterparties c ON c.ledger = m.ledger AND c.ledger_id = m.ledger_id ORDER BY m.client_id, m.ledger, m.ledger_id";

    internal const string LastRunSql =
        "SELECT ledger_entities AS LedgerEntities, legal_entities AS LegalEntities, clients AS Clients, branches AS Branches, groups_linked AS GroupsLinked, " +
            "review_pairs AS ReviewPairs, invalid_identifiers AS InvalidIdentifiers, elapsed_ms AS ElapsedMs FROM unification_runs ORDER BY id DESC";

    internal const string ModelSql =
        "SELECT learnt_at AS LearntAt, base_rows AS BaseRows, model AS Model FROM unification_models ORDER BY id DESC";

    internal const string ModelInsertSql =
        "INSERT INTO unification_models (learnt_at, base_rows, model) VALUES (@LearntAt, @BaseRows, @Model)";

    internal const string LastRunStartedSql =
        "SELECT started_at FROM unification_runs ORDER BY id DESC";

    internal const string OverlappingSyncSql =
        "SELECT MIN(started_at) FROM sync_runs WHERE finished_at IS NULL OR finished_at >= @started";

    private const string ChangedWhere = " WHERE synced_at >= @since OR vanished_at >= @since";

    internal const string ChangedCounterpartiesSql = "SELECT ledger, ledger_id FROM mirror_counterparties" + ChangedWhere;

    internal const string ChangedContactsSql = "SELECT DISTINCT ledger, counterparty_id FROM mirror_contacts" + ChangedWhere + " AND counterparty_id IS NOT NULL";

    internal const string CountChangedCounterpartiesSql = "SELECT COUNT(*) FROM mirror_counterparties" + ChangedWhere;

    internal const string ClearClientLinksSql = "DELETE FROM client_links WHERE client_id = @clientId";

    internal const string ClearClientReviewSql = "DELETE FROM client_review WHERE first_client = @clientId OR second_client = @clientId";

    internal const string ClearClientIssuesSql = "DELETE FROM client_issues WHERE client_id = @clientId";

    internal const string ClearUnassignedIssuesSql = "DELETE FROM client_issues WHERE client_id IS NULL";

    internal const string ReviewCountSql = "SELECT COUNT(*) FROM client_review";

    internal const string AllDecisionsSql = DecisionsSql + " ORDER BY id";

    internal const string LiveDecisionsSql = DecisionsSql + " WHERE undone_at IS NULL ORDER BY id";

    internal const string LiveClientsSql = ClientColumns + " FROM clients WHERE retired_at IS NULL";

    internal const string ClientByIdSql = ClientColumns + " FROM clients WHERE client_id = @i";

    internal const string LinksSql = LinkColumns + " FROM client_links WHERE client_id = @clientId ORDER BY score DESC, id";

    internal static string ClientUpsertSql(StoreDialect dialect) => dialect.Upsert("clients", ["client_id"],
        ["client_id", "display_name", "members", "legal_entities", "branches", "created_at", "updated_at", "retired_at", "merged_into"], ["created_at"]);

    internal static string MemberUpsertSql(StoreDialect dialect) => dialect.Upsert("client_members", ["ledger", "ledger_id"],
        ["ledger", "ledger_id", "client_id", "legal_entity", "entity_name", "tax_id", "role", "branch_code", "city", "region"]);

    internal static string ClearSql(string table) => "DELETE FROM " + table;

    /// <summary>The LIKE pattern of <paramref name="search"/> in <c>client_search</c>'s folded text (as the web's client list
    /// searches), or null for a term of no letter or digit, which only the display name can hold ("%").</summary>
    private static string? FoldedPattern(string search) =>
        SearchText.Term(search) is { Length: > 0 } term ? SearchText.ContainsPattern(term) : null;

    // The display name as typed (a "%" or "_" in it found as itself), or the web's folded search text of any member.
    internal static string ListSql(bool search, string? conditions = null) =>
        ClientColumns + " FROM clients WHERE retired_at IS NULL" +
        (search ? " AND (LOWER(display_name) LIKE @pattern ESCAPE '\\' OR " + ClientDirectory.SearchLike("clients.client_id", "folded") + ")" : "") +
        (conditions is null ? "" : " AND " + conditions) + " ORDER BY members DESC, client_id";

    internal static string ReviewSql(bool ofClient) =>
        ReviewColumns + " FROM client_review" + (ofClient ? " WHERE first_client = @clientId OR second_client = @clientId" : "") + " ORDER BY id";

    internal const string ReviewPairsSql =
        "SELECT r.id AS Id, r.first_ledger AS FirstLedger, r.first_id AS FirstId, r.first_client AS FirstClient, r.second_ledger AS SecondLedger, " +
        "r.second_id AS SecondId, r.second_client AS SecondClient, r.link_rule AS LinkRule, r.evidence AS Evidence, r.score AS Score, " +
        "a.name AS FirstName, a.tax_id AS FirstTaxId, a.branch_code AS FirstBranchCode, a.address AS FirstAddress, a.city AS FirstCity, a.phone AS FirstPhone, a.email AS FirstEmail, " +
        "b.name AS SecondName, b.tax_id AS SecondTaxId, b.branch_code AS SecondBranchCode, b.address AS SecondAddress, b.city AS SecondCity, b.phone AS SecondPhone, b.email AS SecondEmail " +
        "FROM client_review r LEFT JOIN mirror_counterparties a ON a.ledger = r.first_ledger AND a.ledger_id = r.first_id " +
        "LEFT JOIN mirror_counterparties b ON b.ledger = r.second_ledger AND b.ledger_id = r.second_id ORDER BY r.id";

    /// <summary>Every statement this class sends, for a dialect; tests parse the T-SQL ones.</summary>
    internal static IEnumerable<string> Statements(StoreDialect dialect)
    {
        yield return CounterpartiesSql;
        yield return TagsSql;
        yield return ManagedBySql;
        yield return dialect.Top(BusiestManagerSql, 1);
        yield return MembersSql;
        yield return AssignmentSql;
        yield return LiveTotalsSql;
        yield return AllDecisionsSql;
        yield return LiveDecisionsSql;
        yield return LiveClientsSql;
        yield return ClientByIdSql;
        yield return LinksSql;
        yield return LinkInsertSql;
        yield return ReviewInsertSql;
        yield return IssueInsertSql;
        yield return RunInsertSql;
        yield return AddDecisionSql(dialect);
        yield return ClientUpsertSql(dialect);
        yield return MemberUpsertSql(dialect);
        yield return ClearSql("client_links");
        yield return dialect.Top(ListSql(true), 50);
        yield return dialect.Top(ListSql(false), 50);
        yield return dialect.Top(ListSql(true, ClientTagFilter.Sql("clients.client_id", withValue: true) + " AND " +
            ClientSet.Sample.Contains("clients.client_id", new DynamicParameters())), 50);
        yield return dialect.Top(ReviewSql(true), 50);
        yield return dialect.Top(ReviewSql(false), 50);
        yield return dialect.Top(ReviewPairsSql, 50);
        yield return dialect.Top(FindByNameSql, 50);
        yield return dialect.Top(FindBySearchTextSql, 50);
        yield return dialect.Top(FindByEntityNameSql, 50);
        yield return dialect.Top(LastRunSql, 1);
        yield return dialect.Top(ModelSql, 1);
        yield return dialect.Top(LastRunStartedSql, 1);
        foreach (var sql in new[] { ModelInsertSql, OverlappingSyncSql, ChangedCounterpartiesSql, ChangedContactsSql, CountChangedCounterpartiesSql,
            ClearClientLinksSql, ClearClientReviewSql, ClearClientIssuesSql, ClearUnassignedIssuesSql, ReviewCountSql })
        {
            yield return sql;
        }

        foreach (var sql in new[] { DirectorsSql, NoMembersSql, MaxClientIdSql, UndoDecisionSql, RetireSql, FindByIdSql, FindByKeySql, FindByTaxIdSql, IssuesSql, MembersOfClientSql, ExportSql })
        {
            yield return sql;
        }
    }
}
