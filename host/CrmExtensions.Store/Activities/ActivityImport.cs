using System.Data.Common;
using System.Globalization;
using System.IO.Hashing;
using System.Text;
using CrmExtensions.Formats;
using CrmExtensions.Store.Clients;
using CrmExtensions.Store.Deals;

namespace CrmExtensions.Store.Activities;

/// <summary>A CSV row that was not imported: where, which column and why.</summary>
public sealed record ImportReject(string File, int Line, string? Column, string Message)
{
    /// <summary><c>FILE:LINE: column 'x': message</c>, as the command prints it.</summary>
    public override string ToString() => Column is null ? $"{File}:{Line}: {Message}" : $"{File}:{Line}: column '{Column}': {Message}";
}

/// <summary>What reading an activity CSV gave: the rows to import and the rows rejected.</summary>
public sealed record ImportPlan(IReadOnlyList<ActivityEntry> Entries, IReadOnlyList<ImportReject> Rejects);

/// <summary>Reads a CSV of activities, resolves clients, contacts and deals, and reports every bad row.</summary>
/// <remarks>
/// The header names the columns, in any order and any case: <c>client</c>, <c>type</c> and <c>at</c> are required;
/// <c>subject</c>, <c>manager</c>, <c>outcome</c>, <c>contact</c>, <c>deal</c>, <c>channel</c>, <c>direction</c> and
/// <c>notes</c> are optional. Each good row gets an import key (a hash of its resolved values), so a file imported
/// twice, or a row repeated, is stored once.
/// </remarks>
public sealed class ActivityImport
{
    /// <summary>The columns a file must have.</summary>
    public static IReadOnlyList<string> RequiredColumns { get; } = ["client", "type", "at"];

    /// <summary>The columns a file may have besides the required ones.</summary>
    public static IReadOnlyList<string> OptionalColumns { get; } = ["subject", "manager", "outcome", "contact", "deal", "channel", "direction", "notes"];

    private readonly ClientStore _clients;
    private readonly ActivityStore _activities;
    private readonly DealStore _deals;
    private readonly TimeZoneInfo _zone;
    private readonly Dictionary<string, List<ClientRow>> _clientCache = new(StringComparer.Ordinal);
    private readonly Dictionary<long, (string Ledger, string CounterpartyId)?> _anchorCache = [];
    private readonly CrmStore _store;
    private DbConnection? _connection;

    public ActivityImport(CrmStore store, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(zone);
        _store = store;
        _clients = new ClientStore(store);
        _activities = new ActivityStore(store);
        _deals = new DealStore(store);
        _zone = zone;
    }

    /// <summary>Reads a file; a header problem rejects the whole file (line 1), a row problem only the row.</summary>
    public ImportPlan Read(string path, string? displayName = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var name = displayName ?? Path.GetFileName(path);
        using var reader = new StreamReader(path, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true);
        return Read(reader, name);
    }

    /// <summary>Reads CSV text; <paramref name="name"/> prefixes every reject.</summary>
    public ImportPlan Read(TextReader reader, string name)
    {
        // One connection for every lookup: an import names thousands of clients.
        using var connection = _store.Open();
        _connection = connection;
        var entries = new List<ActivityEntry>();
        var rejects = new List<ImportReject>();
        Dictionary<string, int>? columns = null;
        var width = 0;
        foreach (var record in CsvReader.Read(reader))
        {
            if (columns is null)
            {
                width = record.Fields.Count;
                columns = Header(name, record, rejects);
                if (columns is null)
                {
                    break;
                }

                continue;
            }

            if (record.Fields.Count != width)
            {
                rejects.Add(new ImportReject(name, record.Line, null, $"expected {width} fields as in the header, found {record.Fields.Count}"));
                continue;
            }

            var problems = new List<ImportReject>();
            var entry = Row(name, record, columns, problems);
            if (problems.Count > 0 || entry is null)
            {
                rejects.AddRange(problems);
            }
            else
            {
                entries.Add(entry);
            }
        }

        if (columns is null && rejects.Count == 0)
        {
            rejects.Add(new ImportReject(name, 1, null, $"the file is empty; the first line names the columns: {string.Join(",", RequiredColumns.Concat(OptionalColumns))}"));
        }

        return new ImportPlan(entries, rejects);
    }

    private static Dictionary<string, int>? Header(string name, CsvRecord record, List<ImportReject> rejects)
    {
        var columns = new Dictionary<string, int>(StringComparer.Ordinal);
        var problems = new List<string>();
        for (var i = 0; i < record.Fields.Count; i++)
        {
            var column = record.Fields[i].Trim().ToLowerInvariant();
            if (!RequiredColumns.Contains(column) && !OptionalColumns.Contains(column))
            {
                problems.Add($"unknown column '{record.Fields[i]}'");
            }
            else if (!columns.TryAdd(column, i))
            {
                problems.Add($"column '{column}' appears twice");
            }
        }

        problems.AddRange(RequiredColumns.Where(c => !columns.ContainsKey(c)).Select(c => $"required column '{c}' is missing"));
        if (problems.Count == 0)
        {
            return columns;
        }

        rejects.Add(new ImportReject(name, record.Line, null,
            $"header: {string.Join("; ", problems)} (columns: {string.Join(",", RequiredColumns)} required, {string.Join(",", OptionalColumns)} optional)"));
        return null;
    }

    private ActivityEntry? Row(string name, CsvRecord record, Dictionary<string, int> columns, List<ImportReject> problems)
    {
        string? Field(string column) =>
            columns.TryGetValue(column, out var at) && record.Fields[at].Trim() is { Length: > 0 } value ? value : null;
        void Problem(string column, string message) => problems.Add(new ImportReject(name, record.Line, column, message));

        var clientTerm = Field("client");
        ClientRow? client = null;
        if (clientTerm is null)
        {
            Problem("client", "empty; give a client id, an INN, LEDGER:ID or part of a name");
        }
        else
        {
            var found = FindClients(clientTerm);
            if (found.Count == 1)
            {
                client = found[0];
            }
            else
            {
                Problem("client", found.Count == 0
                    ? $"no client matches '{clientTerm}'"
                    : $"'{clientTerm}' matches {found.Count} clients ({string.Join("; ", found.Take(5).Select(c => $"{c.ClientId} {c.DisplayName}"))}{(found.Count > 5 ? "; …" : "")}); give the client id");
            }
        }

        var typeText = Field("type");
        var kind = "";
        if (typeText is null)
        {
            Problem("type", $"empty; use one of {string.Join(", ", ActivityKinds.All)}");
        }
        else if (!ActivityKinds.TryParse(typeText, out kind))
        {
            Problem("type", $"unknown type '{typeText}'; use one of {string.Join(", ", ActivityKinds.All)}");
        }

        var atText = Field("at");
        var at = default(DateTimeOffset);
        if (atText is null)
        {
            Problem("at", "empty; when it happened, e.g. " + ActivityTime.Accepted);
        }
        else if (!ActivityTime.TryParse(atText, _zone, out at))
        {
            Problem("at", $"'{atText}' is not a date; use {ActivityTime.Accepted}");
        }

        var direction = Field("direction")?.ToLowerInvariant();
        if (direction is not null and not "in" and not "out")
        {
            Problem("direction", $"'{Field("direction")}' is neither 'in' nor 'out'");
        }

        string? contact = null;
        string? dealId = null;
        var anchor = client is null ? null : Anchor(client.ClientId);
        if (client is not null)
        {
            if (Field("contact") is { } contactTerm)
            {
                if (_activities.FindContact(client.ClientId, contactTerm) is { } found)
                {
                    contact = found.Contact;
                    anchor = (found.Ledger, found.CounterpartyId);
                }
                else
                {
                    Problem("contact", $"client {client.ClientId} has no contact person '{contactTerm}' (LEDGER:ID or the ledger's id)");
                }
            }

            if (Field("deal") is { } dealTerm)
            {
                var deal = _deals.Find(dealTerm);
                if (deal is null)
                {
                    Problem("deal", $"no deal '{dealTerm}'");
                }
                else if (deal.ClientId != client.ClientId)
                {
                    Problem("deal", $"deal {deal.Display} is on client {deal.ClientId?.ToString(CultureInfo.InvariantCulture) ?? "?"}, not {client.ClientId}");
                }
                else
                {
                    dealId = deal.Id;
                }
            }

            if (anchor is null)
            {
                Problem("client", $"client {client.ClientId} has no ledger rows left");
            }
        }

        if (problems.Count > 0 || client is null || anchor is null)
        {
            return null;
        }

        var entry = new ActivityEntry
        {
            ClientId = client.ClientId,
            Ledger = anchor.Value.Ledger,
            CounterpartyId = anchor.Value.CounterpartyId,
            Kind = kind,
            Subject = Field("subject") ?? "",
            OccurredAt = at,
            Source = "import",
            Manager = Field("manager"),
            Outcome = Field("outcome"),
            Channel = Field("channel") ?? ActivityKinds.Channel(kind),
            Direction = direction ?? ActivityKinds.Direction(kind),
            Contact = contact,
            DealId = dealId,
            Notes = Field("notes"),
            ImportLine = record.Line,
        };
        return entry with { ImportKey = Key(entry) };
    }

    private (string Ledger, string CounterpartyId)? Anchor(long clientId)
    {
        if (!_anchorCache.TryGetValue(clientId, out var anchor))
        {
            anchor = _activities.Anchor(_connection!, clientId);
            _anchorCache[clientId] = anchor;
        }

        return anchor;
    }

    private List<ClientRow> FindClients(string term)
    {
        if (!_clientCache.TryGetValue(term, out var found))
        {
            found = _clients.FindClients(_connection!, term);
            _clientCache[term] = found;
        }

        return found;
    }

    /// <summary>A hash of the row's resolved values: the same activity written differently (INN or name) has the same key.</summary>
    internal static string Key(ActivityEntry e)
    {
        var text = string.Join('\u001f', e.ClientId.ToString(CultureInfo.InvariantCulture), e.Kind, Internal.StoreTime.Format(e.OccurredAt), e.Subject,
            e.Manager, e.Outcome, e.Contact, e.DealId, e.Channel, e.Direction, e.Notes);
        return "csv:" + Convert.ToHexStringLower(XxHash128.Hash(Encoding.UTF8.GetBytes(text)));
    }
}
