using System.Globalization;
using CrmExtensions.Store;
using CrmExtensions.Application.Internal;
using CrmExtensions.Formats;
using CrmExtensions.Store.Clients;

namespace CrmExtensions.Application.Clients;

/// <summary>A decision recorded (or undone), and the unification that applied it when asked to.</summary>
internal sealed record DecisionOutcome(long DecisionId, Unifier.Outcome? Applied);

/// <summary>A client's dossier with what unification noticed about its rows and the tags plugins put on it.</summary>
internal sealed record ClientCard(ClientRow Client, global::CrmExtensions.Reports.Dossier.ClientDossier Dossier, IReadOnlyList<IssueRow> Issues)
{
    /// <summary>Gets every tag of the client, by name, with the plugin that wrote it.</summary>
    public IReadOnlyList<ClientTagRow> Tags { get; init; } = [];

    /// <summary>Gets the products the client has not bought that it would likely buy, best first, with their reasons.</summary>
    public IReadOnlyList<global::CrmExtensions.Store.Recommendations.ClientRecommendation> Recommendations { get; init; } = [];

    /// <summary>Gets the products the client buys regularly and has not bought this cycle (a list apart from cross-sell).</summary>
    public IReadOnlyList<global::CrmExtensions.Store.Recommendations.RepeatReminder> Repeats { get; init; } = [];
}

/// <summary>Clients as unification made them: find, list, explain, export, and people's decisions on them.</summary>
internal sealed class ClientService(CrmWorkspace workspace, UnificationService unification)
{
    private ClientStore Clients => new(workspace.Store);

    /// <summary>One client from a client id, an INN, LEDGER:ID of a member, or part of a name.</summary>
    /// <exception cref="CrmException">No client, or several, match.</exception>
    public Task<ClientRow> ResolveAsync(string term, CancellationToken cancellationToken) => Sync.Run(() => Resolve(term), cancellationToken);

    private ClientRow Resolve(string term)
    {
        ArgumentNullException.ThrowIfNull(term);
        var found = Clients.FindClients(term);
        return found.Count switch
        {
            1 => found[0],
            0 => throw new CrmException($"No client matches '{term}' (a client id, an INN, LEDGER:ID or part of a name). Has 'crmx unify' run?"),
            _ => throw new CrmException($"'{term}' matches {found.Count} clients: " +
                string.Join("; ", found.Take(10).Select(c => $"{c.ClientId} {c.DisplayName}")) + (found.Count > 10 ? "; …" : "") + ". Name one by its id."),
        };
    }

    /// <summary>Clients, largest first, optionally only those whose name contains <paramref name="search"/>, that carry
    /// <paramref name="tag"/> (<c>NAME</c> or <c>NAME=VALUE</c>, the web client list's <see cref="ClientListFilter.Tag"/>) and
    /// that meet every one of <paramref name="segments"/> (<c>KIND=VALUE</c>, as campaigns select; the web list's segment).</summary>
    /// <exception cref="CrmException">A segment condition does not read or names no stored segment.</exception>
    public Task<IReadOnlyList<ClientRow>> ListAsync(string? search, string? tag, int top, IReadOnlyList<string>? segments, CancellationToken cancellationToken) =>
        Sync.Run<IReadOnlyList<ClientRow>>(() => Clients.ListClients(search, top, tag, Segments.ClientSets.Of(workspace, segments)), cancellationToken);

    /// <summary>One page of the client directory: search, filters, keyset paging (see <see cref="ClientDirectory"/>).</summary>
    /// <exception cref="InvalidRequestException">The cursor or a filter value is not valid.</exception>
    public Task<ClientListPage> DirectoryAsync(ClientListFilter filter, string? after, int limit, CancellationToken ct) => Sync.Run(() =>
    {
        try
        {
            return new ClientDirectory(workspace.Store).Page(filter, after, limit);
        }
        catch (ArgumentException ex)
        {
            throw new InvalidRequestException(ex.Message);
        }
    }, ct);

    /// <summary>A client's dossier as of a day: legal entities, branches, contacts, money, deals, activities, reminders.</summary>
    public Task<ClientCard> DossierAsync(string term, DateOnly asOf, CancellationToken cancellationToken) => Sync.Run(() =>
    {
        var client = Resolve(term);
        var clients = Clients;
        var products = new global::CrmExtensions.Store.Recommendations.ProductRecommendations(workspace.Store, workspace.Configuration.Recommendations.ToOptions());
        return new ClientCard(client, new global::CrmExtensions.Reports.Dossier.DossierReader(workspace.Store).Read(client, asOf), clients.Issues(client.ClientId))
        {
            Tags = clients.Tags(client.ClientId),
            Recommendations = products.For(client.ClientId),
            Repeats = products.RepeatsDue(client.ClientId, asOf),
        };
    }, cancellationToken);

    /// <summary>A page of a client's timeline, newest first (see <see cref="global::CrmExtensions.Reports.Dossier.TimelineReader"/>).</summary>
    /// <exception cref="InvalidRequestException">The cursor is not one a timeline page handed out.</exception>
    public Task<global::CrmExtensions.Reports.Dossier.TimelinePage> TimelineAsync(long clientId, string? after, int limit, DateOnly today, CancellationToken cancellationToken) =>
        Sync.Run(() =>
        {
            try
            {
                return new global::CrmExtensions.Reports.Dossier.TimelineReader(workspace.Store).Read(clientId, after, limit, today);
            }
            catch (FormatException)
            {
                throw new InvalidRequestException("the timeline cursor is not valid; start again from the newest entries");
            }
        }, cancellationToken);

    /// <summary>The manager the ledgers give the most counterparties, or null.</summary>
    public Task<string?> BusiestManagerAsync(CancellationToken cancellationToken) => Sync.Run(() => Clients.BusiestManager(), cancellationToken);

    /// <summary>Whether one of the client's counterparties is given <paramref name="manager"/> by a ledger.</summary>
    public Task<bool> IsManagedByAsync(long clientId, string manager, CancellationToken cancellationToken) =>
        Sync.Run(() => Clients.IsManagedBy(clientId, manager), cancellationToken);

    /// <summary>Every link of a client with its rule, evidence and score, and its pairs in review.</summary>
    public Task<(ClientRow Client, IReadOnlyList<LinkRow> Links, IReadOnlyList<ReviewRow> Review)> ExplainAsync(string term, CancellationToken cancellationToken) =>
        Sync.Run<(ClientRow, IReadOnlyList<LinkRow>, IReadOnlyList<ReviewRow>)>(() =>
        {
            var client = Resolve(term);
            var clients = Clients;
            return (client, clients.Links(client.ClientId), clients.Review(client.ClientId, 100));
        }, cancellationToken);

    /// <summary>Pairs near the threshold, best first.</summary>
    public Task<IReadOnlyList<ReviewRow>> ReviewAsync(int top, CancellationToken cancellationToken) =>
        Sync.Run<IReadOnlyList<ReviewRow>>(() => Clients.Review(null, top), cancellationToken);

    /// <summary>Pairs for review with both ledger rows, best first, leaving out the pairs a live decision already settles
    /// (it applies at the next unification, which takes them out of review).</summary>
    public Task<IReadOnlyList<ReviewPairRow>> ReviewPairsAsync(int top, CancellationToken cancellationToken) => Sync.Run<IReadOnlyList<ReviewPairRow>>(() =>
    {
        var clients = Clients;
        var decided = clients.ReadDecisions().Where(d => d.Kind is "merge" or "never-link").Select(d => d.MemberList.ToHashSet(StringComparer.Ordinal)).ToList();
        return clients.ReviewPairs(top + decided.Count)
            .Where(p => !decided.Any(d => d.Contains(p.FirstKey) && d.Contains(p.SecondKey)))
            .Take(top)
            .ToList();
    }, cancellationToken);

    /// <summary>Every ledger counterparty with its client, legal entity and role, streamed.</summary>
    public async IAsyncEnumerable<(long ClientId, string Ledger, string LedgerId, string LegalEntity, string Role, string? TaxId, string? Name)> ExportAsync(
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        foreach (var row in Clients.Export())
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return row;
        }
    }

    /// <summary>People's decisions, oldest first.</summary>
    public Task<IReadOnlyList<DecisionRow>> DecisionsAsync(bool includeUndone, CancellationToken cancellationToken) =>
        Sync.Run<IReadOnlyList<DecisionRow>>(() => Clients.ReadDecisions(includeUndone), cancellationToken);

    /// <summary>Records that clients (ids, INNs, names) or ledger rows (LEDGER:ID) are one client; applies it now unless <paramref name="apply"/> is false.</summary>
    public async Task<DecisionOutcome> MergeAsync(IReadOnlyList<string> terms, bool sameLegalEntity, string? note, bool apply, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(terms);
        if (terms.Count < 2)
        {
            throw new InvalidRequestException("name at least two clients or LEDGER:ID rows to merge");
        }

        var clients = Clients;
        var members = new List<string>();
        foreach (var term in terms)
        {
            members.AddRange(term.Contains(':', StringComparison.Ordinal) && !long.TryParse(term, out _)
                ? [term]
                : clients.Members(Resolve(term).ClientId).Select(m => m.Member.Ledger + ":" + m.Member.LedgerId));
        }

        return await Apply(clients.AddDecision("merge", members.Distinct(), null, sameLegalEntity, note), apply, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Records that some ledger rows of a client are a client of their own.</summary>
    public async Task<DecisionOutcome> SplitAsync(string clientTerm, IReadOnlyList<string> off, string? note, bool apply, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(off);
        if (off.Count < 1)
        {
            throw new InvalidRequestException("name the client and at least one LEDGER:ID to split off");
        }

        var clients = Clients;
        var client = Resolve(clientTerm);
        var all = clients.Members(client.ClientId).Select(m => m.Member.Ledger + ":" + m.Member.LedgerId).ToList();
        if (off.FirstOrDefault(o => !all.Contains(o)) is { } stranger)
        {
            throw new CrmException($"{stranger} is not a member of client {client.ClientId}; its members are: {string.Join(", ", all.Take(20))}");
        }

        var rest = all.Except(off).ToList();
        if (rest.Count == 0)
        {
            throw new CrmException($"Splitting off every member of client {client.ClientId} leaves nothing to split from.");
        }

        return await Apply(clients.AddDecision("split", off, rest, false, note), apply, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Records that two ledger rows are never one client.</summary>
    public async Task<DecisionOutcome> NeverLinkAsync(IReadOnlyList<string> rows, string? note, bool apply, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count != 2 || rows.Any(p => !p.Contains(':', StringComparison.Ordinal)))
        {
            throw new InvalidRequestException("name exactly two ledger rows as LEDGER:ID");
        }

        return await Apply(Clients.AddDecision("never-link", rows, null, false, note), apply, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Undoes a decision (it stays on record, marked undone).</summary>
    /// <exception cref="CrmException">There is no live decision with that id.</exception>
    public async Task<DecisionOutcome> UndoAsync(long decisionId, bool apply, CancellationToken cancellationToken)
    {
        if (!Clients.UndoDecision(decisionId))
        {
            throw new CrmException($"There is no live decision {decisionId}; see 'crmx clients decisions --all'.");
        }

        return await Apply(decisionId, apply, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Scores the clients against a labelled CSV (columns ledger, ledger_id and a label column).</summary>
    /// <exception cref="CrmException">The file is missing or lacks the columns.</exception>
    public Task<PairwiseScore> EvaluateAsync(string truthPath, string labelColumn, CancellationToken cancellationToken) =>
        Task.Run(() => Evaluate(truthPath, labelColumn), cancellationToken);

    private PairwiseScore Evaluate(string truthPath, string labelColumn)
    {
        if (!File.Exists(truthPath))
        {
            throw new CrmException($"The truth file {truthPath} does not exist.");
        }

        var name = Path.GetFileName(truthPath);
        var truth = new Dictionary<string, string>(StringComparer.Ordinal);
        int ledgerAt = -1, idAt = -1, labelAt = -1;
        using var reader = new StreamReader(truthPath);
        foreach (var record in CsvReader.Read(reader))
        {
            var fields = record.Fields;
            if (ledgerAt < 0)
            {
                (ledgerAt, idAt, labelAt) = (IndexOf(fields, "ledger"), IndexOf(fields, "ledger_id"), IndexOf(fields, labelColumn));
                if (ledgerAt < 0 || idAt < 0 || labelAt < 0)
                {
                    throw new CrmException($"{name}({record.Line}): the header needs the columns ledger, ledger_id and {labelColumn}; it has {string.Join(", ", fields)}");
                }

                continue;
            }

            var needed = Math.Max(ledgerAt, Math.Max(idAt, labelAt)) + 1;
            if (fields.Count < needed)
            {
                throw new CrmException(string.Create(CultureInfo.InvariantCulture, $"{name}({record.Line}): expected at least {needed} fields, found {fields.Count}"));
            }

            truth[fields[ledgerAt] + ":" + fields[idAt]] = fields[labelAt];
        }

        var predicted = Clients.Export()
            .ToDictionary(r => r.Ledger + ":" + r.LedgerId, r => r.ClientId.ToString(CultureInfo.InvariantCulture), StringComparer.Ordinal);
        return PairwiseScore.Compute(truth, predicted);

        static int IndexOf(IReadOnlyList<string> fields, string column)
        {
            for (var i = 0; i < fields.Count; i++)
            {
                if (fields[i] == column)
                {
                    return i;
                }
            }

            return -1;
        }
    }

    private async Task<DecisionOutcome> Apply(long decisionId, bool apply, CancellationToken cancellationToken) =>
        new(decisionId, apply ? await unification.UnifyAsync(cancellationToken).ConfigureAwait(false) : null);
}
