using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Runtime.CompilerServices;
using CrmExtensions.Store;
using CrmExtensions.Store.Clients;
using CrmExtensions.Unification;

namespace CrmExtensions.Application.Clients;

/// <summary>Where a unification run is: reading the mirror, one of the engine's stages (named as
/// <see cref="UnificationSummary.Stages"/> names them), or writing the result.</summary>
/// <param name="Stage"><c>reading</c>, an engine stage (<c>normalise</c>, <c>block+compare</c>, …), or <c>writing</c>.</param>
/// <param name="Rows">While reading, the counterparties read so far; when writing, the clients written; else null.</param>
internal sealed record UnifyProgress(string Stage, long? Rows = null)
{
    /// <summary>The stage before the engine's: the mirror read.</summary>
    public const string Reading = "reading";

    /// <summary>The stage after the engine's: the result written.</summary>
    public const string Writing = "writing";
}

/// <summary>One unification run: the mirror's counterparties, the last run's ids and people's decisions in;
/// client records, their explanation and client events out.</summary>
internal sealed class Unifier
{
    private readonly CrmStore _store;
    private readonly ClientStore _clients;
    private readonly double _relearnShare;
    private readonly IProgress<UnifyProgress>? _progress;

    /// <summary>Counterparties read between two reports of the reading's progress.</summary>
    private const int ReadReportEvery = 25_000;

    /// <param name="store">The store.</param>
    /// <param name="relearnShare">The share of counterparties added, changed or vanished since the kept model was learnt
    /// past which a run learns it again (and re-examines every row).</param>
    /// <param name="progress">Told where the run is, on the run's thread; null tells nobody.</param>
    public Unifier(CrmStore store, double relearnShare, IProgress<UnifyProgress>? progress = null)
    {
        _store = store;
        _clients = new ClientStore(store);
        _relearnShare = relearnShare;
        _progress = progress;
    }

    /// <summary>What a run made and changed, how long it took, and the match model it learnt from the mirror.</summary>
    public sealed record Outcome(UnificationSummary Summary, int Created, int Merged, int Split, int ChangedMembers, TimeSpan ReadTime, TimeSpan TotalTime)
    {
        /// <summary>The Fellegi–Sunter model the run scored with (m/u per comparison level): learnt on this run, or the
        /// kept one (<see cref="MatchModel.Learnt"/>).</summary>
        public MatchModel? Model { get; init; }

        /// <summary>Rows an incremental run re-examined; null for a full run.</summary>
        public int? ReExamined { get; init; }

        /// <summary>Why the run was full or incremental, and why the model was learnt or kept, as a person reads it.</summary>
        public required string Mode { get; init; }
    }

    /// <param name="full">Re-examine every row even where an incremental run would do.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    public Outcome Run(bool full, CancellationToken cancellationToken)
    {
        var total = Stopwatch.StartNew();
        var startedAt = _store.Time.GetUtcNow();
        // Only which live client each member is in, before the engine: the member and client rows are read after it, and
        // after an incremental run only those of the clients it re-examined.
        var previousAssignment = _clients.ReadAssignment().ToDictionary(m => new MemberKey(m.Ledger, m.LedgerId), m => m.ClientId);
        var baseline = !_clients.HasMembers();
        var nextId = _clients.MaxClientId();
        var decisionRows = _clients.ReadDecisions(includeUndone: true);
        var decisions = decisionRows.Where(d => d.UndoneAt is null).Select(ToDecision).OfType<UnificationDecision>().ToList();
        var plan = Plan(full, previousAssignment.Count > 0, decisionRows);
        var (result, rows, readTime) = ReadAndUnify(previousAssignment, decisions, () => ++nextId, plan.Model, plan.Changed, cancellationToken);

        // The engine's own tables (every row normalised, the blocks, the candidate pairs: a gigabyte at a million rows)
        // are garbage now, most of it old enough that only a full collection frees it, which the collector would start
        // well into the write, on top of what the write allocates. Freed and compacted here, the write grows from what the
        // result holds.
        Collect();

        // An incremental run re-examined whole previous clients (and the former clients of rows that vanished): those
        // are the ones it may retire or rewrite; every other client stays as it is.
        HashSet<long>? reExamined = null;
        if (result.ReExamined is not null)
        {
            reExamined = [.. result.Assignment.Keys.Concat(plan.Changed!).Select(k => previousAssignment.TryGetValue(k, out var id) ? id : -1).Where(id => id >= 0)];
        }

        previousAssignment = null;
        var previousMembers = _clients.ReadMembers(reExamined is null ? null : reExamined.Contains).ToDictionary(m => new MemberKey(m.Ledger, m.LedgerId));
        var liveClients = _clients.ReadLiveClients(reExamined is null ? null : reExamined.Contains);

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

        var (events, retired) = ClientEvents(previousMembers, liveClients, result, baseline);
        var summary = reExamined is null ? result.Summary : Totals(result, rows, liveClients, _clients.LiveTotals());
        _progress?.Report(new UnifyProgress(UnifyProgress.Writing, result.Clients.Count));

        var reviewPairs = _clients.Save(new ClientRunData
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
            ReExaminedClients = reExamined?.Concat(result.Clients.Select(c => c.Id)).ToHashSet(),
            Model = result.Model.Learnt ? new UnificationModelRow("", rows, KeptModel.Write(result.Model, UnificationEngine.Version)) : null,
        });
        summary = summary with { ReviewPairs = (int)Math.Min(reviewPairs, int.MaxValue) };
        // The engine learns afresh when the kept model's fields are not the ones it compares (a model of another version).
        var why = plan.Model is not null && result.Model.Learnt ? "the kept model is not of this engine's comparisons, learnt again" : plan.Why;
        var mode = result.ReExamined is { } count
            ? string.Create(CultureInfo.InvariantCulture, $"incremental: {count:N0} rows re-examined around {plan.Changed!.Count:N0} changed since the last run; {why}")
            : $"full: {why}";
        return new Outcome(summary, events.Count(e => e.Type == "client.created"), events.Count(e => e.Type == "client.merged"),
            events.Count(e => e.Type == "client.split"), changedMembers, readTime, total.Elapsed)
        {
            Model = result.Model,
            ReExamined = result.ReExamined,
            Mode = mode,
        };
    }

    /// <summary>The kept model to score with (null: learn one) and the rows changed since the last run (null: a full run),
    /// with the reason as a person reads it.</summary>
    private (MatchModel? Model, List<MemberKey>? Changed, string Why) Plan(bool full, bool hasClients, List<DecisionRow> decisionRows)
    {
        var kept = _clients.ReadModel();
        string? refused = null;
        var model = kept is null ? null : KeptModel.Read(kept.Model, kept.BaseRows, UnificationEngine.Version, out refused);
        var since = _clients.LastRunSince();
        ChangedRows? changedRows = null;
        string why;
        if (model is null)
        {
            why = kept is null ? "no model kept yet, learnt from every row" : refused + ", learnt again and every row examined";
        }
        else
        {
            // Right after the run that learnt the model, both counts read the same rows: read them once.
            long changedSince;
            if (since == kept!.LearntAt && !full && hasClients)
            {
                changedRows = _clients.ChangedSince(since);
                changedSince = changedRows.Counterparties;
            }
            else
            {
                changedSince = _clients.CountChangedSince(kept.LearntAt);
            }

            var share = changedSince / (double)Math.Max(1, kept.BaseRows);
            var inv = CultureInfo.InvariantCulture;
            if (share > _relearnShare)
            {
                model = null;
                why = string.Create(inv, $"{changedSince:N0} of {kept.BaseRows:N0} counterparties ({share:P1}) changed since the model was learnt, more than {_relearnShare:P0}: learnt again");
            }
            else
            {
                why = string.Create(inv, $"model kept ({changedSince:N0} of {kept.BaseRows:N0} counterparties changed since it was learnt, {share:P1} ≤ {_relearnShare:P0})");
            }
        }

        if (full || model is null || since is null || !hasClients)
        {
            var reason = full ? "--full asked; " : since is null || !hasClients ? "the first run; " : "";
            return (model, null, reason + why);
        }

        // Rows the mirror changed since the last run, and the members of decisions made or undone since: a decision holds
        // from the next run on, and only its rows' clients change with it.
        var changed = (changedRows ?? _clients.ChangedSince(since)).Rows.Select(k => new MemberKey(k.Ledger, k.LedgerId)).ToHashSet();
        foreach (var d in decisionRows.Where(d => string.CompareOrdinal(d.DecidedAt, since) >= 0 || (d.UndoneAt is { } undone && string.CompareOrdinal(undone, since) >= 0)))
        {
            changed.UnionWith(d.MemberList.Concat(d.FromList).Select(text => TryParseKey(text)).OfType<MemberKey>());
        }

        return (model, [.. changed], why);
    }

    /// <summary>The store's totals after an incremental run: every client it did not re-examine as stored, plus its own.</summary>
    /// <param name="result">The run.</param>
    /// <param name="rows">The counterparties it read.</param>
    /// <param name="reExamined">The live clients it re-examined, as stored before it.</param>
    /// <param name="live">Every live client's totals, as stored before it.</param>
    private static UnificationSummary Totals(UnificationResult result, int rows, Dictionary<long, ClientRow> reExamined,
        (long Clients, long LegalEntities, long Branches, long Groups) live)
    {
        var s = result.Summary;
        var before = reExamined.Values;
        return s with
        {
            LedgerEntities = rows,
            LegalEntities = s.LegalEntities + (int)(live.LegalEntities - before.Sum(c => c.LegalEntities)),
            Clients = s.Clients + (int)(live.Clients - before.Count),
            Branches = s.Branches + (int)(live.Branches - before.Sum(c => c.Branches)),
            GroupsLinked = s.GroupsLinked + (int)(live.Groups - before.Count(c => c.LegalEntities > 1)),
        };
    }

    /// <summary>Runs the engine on the mirror's counterparties, streamed: the engine normalises each chunk of rows as it is
    /// read, and keeps only what the result shows of each row.</summary>
    /// <remarks>No reference to the rows is held here, so their addresses, phones and mail (hundreds of MiB at a million
    /// rows) are collected chunk by chunk while the run goes on. Fully optimised from the first call because unoptimised
    /// code keeps every local alive to the end of the method.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private (UnificationResult Result, int Rows, TimeSpan ReadTime) ReadAndUnify(Dictionary<MemberKey, long> previousAssignment,
        List<UnificationDecision> decisions, Func<long> allocate, MatchModel? model, List<MemberKey>? changed, CancellationToken cancellationToken)
    {
        var mirror = new MirrorRows(this);
        var request = new UnificationRequest
        {
            Counterparties = mirror,
            PreviousAssignment = previousAssignment,
            Decisions = decisions,
            AllocateClientId = allocate,
            Model = model,
            Changed = changed,
            Progress = new Internal.InlineProgress<string>(stage =>
            {
                if (stage is UnificationStages.BlockAndCompare or UnificationStages.BlockScopeAndCompare or UnificationStages.LearnAndScore
                    or UnificationStages.Score or UnificationStages.Explain or UnificationStages.Result)
                {
                    // What the stages before let go is garbage now: the chunks of rows read (the engine keeps its own
                    // normalised table of them), the blocks once their pairs are compared, the candidate pairs and their
                    // scores once clustered, then what only comparing pairs reads of each row. Most of it is old or on
                    // the large object heap, which only a full collection frees, and the collector would start one well
                    // into the next stage, whose own allocations come on top: freed and compacted here, the process's
                    // peak is lower.
                    Collect();
                }

                _progress?.Report(new UnifyProgress(stage));
            }),
        };
        var result = UnificationEngine.Run(request, cancellationToken);
        return (result, mirror.Read, mirror.Time);
    }

    /// <summary>A full, compacting collection, the large object heap's too, that also gives what it freed back to the
    /// system (aggressive): the collector otherwise keeps the freed regions committed for the allocations to come, and the
    /// next stage's allocations then come on top of a working set still the size of the last stage's peak.</summary>
    private static void Collect()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }

    /// <summary>The mirror's live counterparties as the engine reads them: counted first, so the engine sizes its table once,
    /// then streamed from the store, the time spent reading them and their number taken as they go.</summary>
    private sealed class MirrorRows(Unifier unifier) : IReadOnlyCollection<Counterparty>
    {
        /// <summary>The live counterparties counted just before the read; the engine takes it as a size, not a promise.</summary>
        public int Count { get; } = unifier._clients.CountCounterparties();

        /// <summary>The rows read so far.</summary>
        public int Read { get; private set; }

        /// <summary>The time spent reading them (the store's statements and making each row), not normalising them.</summary>
        public TimeSpan Time { get; private set; }

        public IEnumerator<Counterparty> GetEnumerator()
        {
            var progress = unifier._progress;
            progress?.Report(new UnifyProgress(UnifyProgress.Reading, 0));
            var started = Stopwatch.GetTimestamp();
            var directors = unifier._clients.ReadDirectors();
            using var rows = unifier._clients.ReadCounterparties().GetEnumerator();
            Time += Stopwatch.GetElapsedTime(started);
            while (true)
            {
                started = Stopwatch.GetTimestamp();
                if (!rows.MoveNext())
                {
                    Time += Stopwatch.GetElapsedTime(started);
                    yield break;
                }

                var row = ToCounterparty(rows.Current, directors);
                Time += Stopwatch.GetElapsedTime(started);
                if (++Read % ReadReportEvery == 0)
                {
                    progress?.Report(new UnifyProgress(UnifyProgress.Reading, Read));
                }

                yield return row;
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    /// <summary>Compares the run with the last one: new clients, clients merged away, clients split off another.</summary>
    /// <param name="previous">The last run's member rows: every one, or after an incremental run those of the clients it
    /// re-examined.</param>
    /// <param name="liveClients">The live clients the run may retire: every one, or those it re-examined.</param>
    /// <param name="result">The run.</param>
    /// <param name="baseline">The first run on the store, a baseline like a ledger's first sync: it announces nothing.</param>
    private static (List<ClientEvent> Events, List<(long, long?)> Retired) ClientEvents(
        Dictionary<MemberKey, MemberRow> previous, Dictionary<long, ClientRow> liveClients, UnificationResult result, bool baseline)
    {
        var events = new List<ClientEvent>();
        var retired = new List<(long, long?)>();
        var now = result.Clients.Select(c => c.Id).ToHashSet();

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
        Birthday = r.Birthday,
    };

    internal static MemberKey ParseKey(string text) => TryParseKey(text) ?? throw new FormatException($"'{text}' is not LEDGER:ID");

    private static MemberKey? TryParseKey(string text)
    {
        var at = text.IndexOf(':', StringComparison.Ordinal);
        return at <= 0 || at == text.Length - 1 ? null : new MemberKey(text[..at], text[(at + 1)..]);
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
