using CrmExtensions.Application.Clients;
using CrmExtensions.Application.Internal;
using CrmExtensions.Store;
using CrmExtensions.Store.Activities;
using CrmExtensions.Store.Clients;
using CrmExtensions.Store.Deals;

namespace CrmExtensions.Application.Activities;

/// <summary>A contact to record: the client as a person types it (id, INN, LEDGER:ID, part of a name), and what happened.</summary>
internal sealed record ActivityRequest
{
    public required string Client { get; init; }

    public required string Kind { get; init; }

    public required DateTimeOffset OccurredAt { get; init; }

    public string Subject { get; init; } = "";

    /// <summary>Who recorded it: <c>cli</c>, <c>web</c>, <c>import</c>.</summary>
    public required string Source { get; init; }

    public string? Manager { get; init; }

    public string? Outcome { get; init; }

    /// <summary>Null for the kind's usual channel.</summary>
    public string? Channel { get; init; }

    /// <summary><c>in</c>, <c>out</c>, or null for the kind's usual direction.</summary>
    public string? Direction { get; init; }

    /// <summary>The client's contact person as LEDGER:ID or the ledger's id.</summary>
    public string? Contact { get; init; }

    /// <summary>The deal it was about, by number or id.</summary>
    public string? Deal { get; init; }

    public string? Notes { get; init; }
}

/// <summary>An import read and, unless it was a dry run, written.</summary>
internal sealed record ActivityImportOutcome(IReadOnlyList<ActivityEntry> Entries, IReadOnlyList<ImportReject> Rejects, int Added, int AlreadyPresent)
{
    /// <summary>How many lines of the file had at least one problem.</summary>
    public int RejectedRows => Rejects.Select(r => r.Line).Distinct().Count();
}

/// <summary>The contact log: record, list and import calls, meetings, letters, e-mails, web forms and notes.</summary>
internal sealed class ActivityService(CrmWorkspace workspace, ClientService clients)
{
    /// <summary>Records one activity; returns its id and the client it was recorded on.</summary>
    /// <exception cref="InvalidRequestException">The kind or direction is not known.</exception>
    /// <exception cref="CrmException">The client, contact or deal cannot be found, or do not belong together.</exception>
    public async Task<(string Id, ClientRow Client, string Kind)> AddAsync(ActivityRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!ActivityKinds.TryParse(request.Kind, out var kind))
        {
            throw new InvalidRequestException($"unknown --type '{request.Kind}'; use one of {string.Join(", ", ActivityKinds.All)}");
        }

        var direction = request.Direction?.ToLowerInvariant();
        if (direction is not null and not "in" and not "out")
        {
            throw new InvalidRequestException($"--direction is 'in' or 'out', not '{direction}'");
        }

        var client = await clients.ResolveAsync(request.Client, cancellationToken).ConfigureAwait(false);
        var store = workspace.Store;
        var activities = new ActivityStore(store);
        var anchor = activities.Anchor(client.ClientId)
            ?? throw new CrmException($"Client {client.ClientId} has no ledger rows left; record the activity on the client it was merged into.");
        string? contact = null;
        if (request.Contact is { } contactTerm)
        {
            var found = activities.FindContact(client.ClientId, contactTerm)
                ?? throw new CrmException($"Client {client.ClientId} has no contact person '{contactTerm}' (give LEDGER:ID or the ledger's id).");
            contact = found.Contact;
            anchor = (found.Ledger, found.CounterpartyId);
        }

        string? dealId = null;
        if (request.Deal is { } dealTerm)
        {
            var deal = new DealStore(store).Find(dealTerm) ?? throw new CrmException($"No deal '{dealTerm}'; 'crmx deals list' shows them.");
            if (deal.ClientId != client.ClientId)
            {
                throw new CrmException($"Deal {deal.Display} is on client {deal.ClientId}, not on client {client.ClientId}.");
            }

            dealId = deal.Id;
        }

        var id = activities.Add(new ActivityEntry
        {
            ClientId = client.ClientId,
            Ledger = anchor.Ledger,
            CounterpartyId = anchor.CounterpartyId,
            Kind = kind,
            Subject = request.Subject,
            OccurredAt = request.OccurredAt,
            Source = request.Source,
            Manager = request.Manager,
            Outcome = request.Outcome,
            Channel = request.Channel ?? ActivityKinds.Channel(kind),
            Direction = direction ?? ActivityKinds.Direction(kind),
            Contact = contact,
            DealId = dealId,
            Notes = request.Notes,
        });
        return (id, client, kind);
    }

    /// <summary>Activities, newest first; <paramref name="client"/> as a person types it, or null for every client.</summary>
    public async Task<IReadOnlyList<ActivityRow>> ListAsync(string? client, string? manager, DateTimeOffset? since, int limit, CancellationToken cancellationToken)
    {
        var clientId = client is null ? (long?)null : (await clients.ResolveAsync(client, cancellationToken).ConfigureAwait(false)).ClientId;
        return new ActivityStore(workspace.Store).List(new ActivityFilter { ClientId = clientId, Manager = manager, Since = since, Limit = limit });
    }

    /// <summary>A client's latest contacts, newest first.</summary>
    public Task<IReadOnlyList<ActivityRow>> LastContactsAsync(long clientId, int count, CancellationToken cancellationToken) =>
        Sync.Run<IReadOnlyList<ActivityRow>>(() => new ActivityStore(workspace.Store).ListForClient(clientId, count), cancellationToken);

    /// <summary>Imports a CSV file of activities: every bad row is reported and skipped, the good ones go in one transaction.</summary>
    /// <param name="path">The file, absolute.</param>
    /// <param name="displayName">How the file is named in reject lines (as the user typed it).</param>
    /// <param name="dryRun">Only check; write nothing.</param>
    /// <exception cref="CrmException">The file does not exist.</exception>
    public Task<ActivityImportOutcome> ImportAsync(string path, string? displayName, bool dryRun, CancellationToken cancellationToken) =>
        Task.Run(() => Import(path, displayName, dryRun), cancellationToken);

    private ActivityImportOutcome Import(string path, string? displayName, bool dryRun)
    {
        if (!File.Exists(path))
        {
            throw new CrmException($"The file {displayName ?? path} does not exist.");
        }

        var store = workspace.Store;
        var plan = new ActivityImport(store, workspace.Time.LocalTimeZone).Read(path, displayName);
        if (dryRun)
        {
            return new ActivityImportOutcome(plan.Entries, plan.Rejects, 0, 0);
        }

        var (added, present) = new ActivityStore(store).Import(plan.Entries);
        return new ActivityImportOutcome(plan.Entries, plan.Rejects, added, present);
    }
}
