using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using CrmExtensions.Store;
using CrmExtensions.Store.Clients;
using CrmExtensions.Unification;

namespace CrmExtensions.Application.Clients;

/// <summary>One unification run: the mirror's counterparties, the last run's ids and people's decisions in;
/// client records, their explanation and client events out.</summary>
internal sealed class Unifier
{
    private readonly CrmStore _store;
    private readonly ClientStore _clients;

    public Unifier(CrmStore store)
    {
        _store = store;
        _clients = new ClientStore(store);
    }

    /// <summary>What a run made and changed, how long it took, and the match model it learnt from the mirror.</summary>
    public sealed record Outcome(UnificationSummary Summary, int Created, int Merged, int Split, int ChangedMembers, TimeSpan ReadTime, TimeSpan TotalTime)
    {
        /// <summary>The Fellegi–Sunter model learnt on this run (m/u per comparison level); null when nothing was compared.</summary>
        public MatchModel? Model { get; init; }
    }

    public Outcome Run(CancellationToken cancellationToken = default)
    {
        var total = Stopwatch.StartNew();
        var startedAt = _store.Time.GetUtcNow();
        var previousMembers = _clients.ReadMembers().ToDictionary(m => new MemberKey(m.Ledger, m.LedgerId));
        var liveClients = _clients.ReadLiveClients();
        var nextId = _clients.MaxClientId();
        var decisions = _clients.ReadDecisions().Select(ToDecision).OfType<UnificationDecision>().ToList();
        var previousAssignment = previousMembers.Where(p => liveClients.ContainsKey(p.Value.ClientId)).ToDictionary(p => p.Key, p => p.Value.ClientId);
        var (result, readTime) = ReadAndUnify(previousAssignment, decisions, () => ++nextId, cancellationToken);

        var changedMembers = 0;
        IEnumerable<ClientRow> ClientRows()
        {
            foreach (var client in result.Clients)
            {
                var branches = 0;
                var count = 0;
                foreach (var entity in client.Entities)
                {
                    foreach (var branch in entity.Branches)
                    {
                        branches += branch.IsHead ? 0 : 1;
                        count += branch.Members.Count;
                    }
                }

                var clientRow = new ClientRow(client.Id, client.DisplayName, count, client.Entities.Count, branches, "", "", null, null);
                if (!liveClients.TryGetValue(client.Id, out var old) || old with { CreatedAt = "", UpdatedAt = "" } != clientRow)
                {
                    yield return clientRow;
                }
            }
        }

        IEnumerable<MemberRow> MemberRows()
        {
            foreach (var client in result.Clients)
            {
                for (var e = 0; e < client.Entities.Count; e++)
                {
                    var entity = client.Entities[e];
                    var legalEntity = entity.TaxId ?? string.Create(CultureInfo.InvariantCulture, $"{client.Id}/{e + 1}");
                    foreach (var branch in entity.Branches)
                    {
                        foreach (var m in branch.Members)
                        {
                            var row = new MemberRow(m.Ledger, m.LedgerId, client.Id, legalEntity, entity.DisplayName, entity.TaxId,
                                branch.IsHead ? "head" : "branch", branch.BranchCode, branch.City, branch.Region);
                            if (!previousMembers.TryGetValue(m, out var before) || before != row)
                            {
                                changedMembers++;
                                yield return row;
                            }
                        }
                    }
                }
            }
        }

        // Streamed into the write rather than collected: a million member rows held at once cost hundreds of MiB.
        var links = result.Clients.SelectMany(client => client.Links.Select(l =>
            new LinkRow(client.Id, l.From.Ledger, l.From.LedgerId, l.To.Ledger, l.To.LedgerId, l.Rule.ToString(), l.Evidence, l.Score)));

        var (events, retired) = ClientEvents(previousMembers, liveClients, result);
        var summary = result.Summary;
        _clients.Save(new ClientRunData
        {
            Clients = ClientRows(),
            Retired = retired,
            ChangedMembers = MemberRows(),
            Links = links,
            Review = result.Review.Select(r => new ReviewRow(r.First.Ledger, r.First.LedgerId, r.FirstClientId, r.Second.Ledger, r.Second.LedgerId, r.SecondClientId, r.Rule.ToString(), r.Evidence, r.Score)).ToList(),
            Issues = result.Issues.Select(i => new IssueRow(i.Member?.Ledger, i.Member?.LedgerId,
                i.Member is { } k && result.Assignment.TryGetValue(k, out var c) ? c : null, i.Kind.ToString(), i.Detail)).ToList(),
            Events = events,
            Run = new UnificationRunRow(summary.LedgerEntities, summary.LegalEntities, summary.Clients, summary.Branches, summary.GroupsLinked,
                summary.ReviewPairs, summary.InvalidIdentifiers, (long)total.Elapsed.TotalMilliseconds),
            StartedAt = startedAt,
        });
        return new Outcome(summary, events.Count(e => e.Type == "client.created"), events.Count(e => e.Type == "client.merged"),
            events.Count(e => e.Type == "client.split"), changedMembers, readTime, total.Elapsed) { Model = result.Model };
    }

    /// <summary>Reads the mirror's counterparties and runs the engine on them, holding no reference to the rows itself.</summary>
    /// <remarks>The engine keeps only what the result shows of each row; once nothing here holds the rows, their
    /// addresses, phones and mail (hundreds of MiB at a million rows) are collected while the run goes on. Fully
    /// optimised from the first call because unoptimised code keeps every local alive to the end of the method.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private (UnificationResult Result, TimeSpan ReadTime) ReadAndUnify(
        Dictionary<MemberKey, long> previousAssignment, List<UnificationDecision> decisions, Func<long> allocate, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var request = new UnificationRequest
        {
            Counterparties = ReadCounterparties(),
            PreviousAssignment = previousAssignment,
            Decisions = decisions,
            AllocateClientId = allocate,
        };
        var readTime = clock.Elapsed;
        return (UnificationEngine.Run(request, cancellationToken), readTime);
    }

    private List<Counterparty> ReadCounterparties()
    {
        var directors = _clients.ReadDirectors();
        return _clients.ReadCounterparties().Select(r => ToCounterparty(r, directors)).ToList();
    }

    /// <summary>Compares the run with the last one: new clients, clients merged away, clients split off another.</summary>
    /// <remarks>The first run is a baseline, like a ledger's first sync: it announces nothing.</remarks>
    private static (List<ClientEvent> Events, List<(long, long?)> Retired) ClientEvents(
        Dictionary<MemberKey, MemberRow> previous, Dictionary<long, ClientRow> liveClients, UnificationResult result)
    {
        var events = new List<ClientEvent>();
        var retired = new List<(long, long?)>();
        var now = result.Clients.Select(c => c.Id).ToHashSet();
        var baseline = previous.Count == 0;

        // Where did each previous client's members go?
        var formerTo = new Dictionary<long, Dictionary<long, int>>();
        foreach (var (key, row) in previous)
        {
            if (result.Assignment.TryGetValue(key, out var to))
            {
                var counts = formerTo.TryGetValue(row.ClientId, out var d) ? d : formerTo[row.ClientId] = [];
                counts[to] = counts.GetValueOrDefault(to) + 1;
            }
        }

        foreach (var id in liveClients.Keys.Where(id => !now.Contains(id)).Order())
        {
            long? into = formerTo.TryGetValue(id, out var counts) ? counts.MaxBy(c => c.Value).Key : null;
            retired.Add((id, into));
            if (!baseline && into is { } target)
            {
                events.Add(new ClientEvent("client.merged", target, $$"""{"from":{{id}},"into":{{target}}}"""));
            }
        }

        if (baseline)
        {
            return (events, retired);
        }

        foreach (var client in result.Clients.Where(c => !liveClients.ContainsKey(c.Id)))
        {
            var from = client.Members.Select(m => previous.TryGetValue(m, out var r) ? r.ClientId : (long?)null)
                .OfType<long>().Where(now.Contains).Distinct().Order().ToList();
            events.Add(from.Count > 0
                ? new ClientEvent("client.split", client.Id, $$"""{"from":{{from[0]}},"client":{{client.Id}}}""")
                : new ClientEvent("client.created", client.Id, null));
        }

        return (events, retired);
    }

    private static Counterparty ToCounterparty(CounterpartyRow r, Dictionary<(string, string), List<string>> directors) => new(r.Ledger, r.LedgerId, r.Name)
    {
        TaxId = r.TaxId,
        BranchCode = r.BranchCode,
        RegistrationNumber = r.RegistrationNumber,
        ParentLedgerId = r.ParentLedgerId,
        Address = r.Address,
        City = r.City,
        Region = r.Region,
        Country = r.Country,
        Phone = r.Phone,
        Email = r.Email,
        Website = r.Website,
        Directors = directors.GetValueOrDefault((r.Ledger, r.LedgerId)),
    };

    internal static MemberKey ParseKey(string text)
    {
        var at = text.IndexOf(':', StringComparison.Ordinal);
        return at <= 0 || at == text.Length - 1
            ? throw new FormatException($"'{text}' is not LEDGER:ID")
            : new MemberKey(text[..at], text[(at + 1)..]);
    }

    internal static string FormatKey(MemberKey key) => key.Ledger + ":" + key.LedgerId;

    private static UnificationDecision? ToDecision(DecisionRow row) => row.Kind switch
    {
        "merge" => new MergeDecision(row.MemberList.Select(ParseKey).ToList(), row.SameLegalEntity),
        "split" => new SplitDecision(row.MemberList.Select(ParseKey).ToList(), row.FromList.Select(ParseKey).ToList()),
        "never-link" when row.MemberList.Count == 2 => new NeverLinkDecision(ParseKey(row.MemberList[0]), ParseKey(row.MemberList[1])),
        _ => null,
    };
}
