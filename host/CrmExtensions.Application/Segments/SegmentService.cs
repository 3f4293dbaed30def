using CrmExtensions.Application.Clients;
using CrmExtensions.Application.Internal;
using CrmExtensions.Mail.Campaigns;
using CrmExtensions.Mail.Segments;
using CrmExtensions.Store;
using CrmExtensions.Store.Clients;
using CrmExtensions.Store.Segments;

namespace CrmExtensions.Application.Segments;

/// <summary>A stored segment with its rule as saved and as read back.</summary>
internal sealed record SegmentView(SegmentDefinition Definition, SegmentRule Rule);

/// <summary>Why one client is in a segment or not: the client, whether it is in, and each node of the rule.</summary>
internal sealed record SegmentExplanation(string Name, ClientRow Client, bool Member, IReadOnlyList<ExplainLine> Lines);

/// <summary>Named behaviour segments: store a rule under a name, list, show, count, explain one client, remove.</summary>
/// <remarks>A stored segment is the <c>segment=NAME</c> kind of every <c>--segment</c>, so campaigns, the web's
/// campaign page and reports select with it as with any other condition.</remarks>
internal sealed class SegmentService(CrmWorkspace workspace, ClientService clients)
{
    /// <summary>How a segment may be named: letters, digits, '-', '_' and '.', up to 64 characters.</summary>
    public const string NameRule = "letters, digits, '-', '_' and '.', up to 64 characters";

    private SegmentDefinitionStore Definitions => new(workspace.Store);

    /// <summary>Checks a rule, saves it under a name, and counts its clients today.</summary>
    /// <exception cref="CrmException">The name is not valid or taken (without <paramref name="replace"/>), the rule does
    /// not read (position and problem), or it names a stored segment that is missing or leads back to this one.</exception>
    public Task<(SegmentView Segment, int Count)> AddAsync(string name, string rule, bool replace, string? by, CancellationToken cancellationToken) =>
        Sync.Run(() =>
        {
            ArgumentNullException.ThrowIfNull(rule);
            CheckName(name);
            var parsed = SegmentRuleParser.Parse(rule);
            if (!replace && Definitions.Find(name) is not null)
            {
                throw new CrmException($"A segment '{name}' is stored already; add --replace to change its rule, or choose another name.");
            }

            // Compiled before it is saved: a missing or circular reference is refused now, not at the next campaign.
            var count = Count(parsed, name);
            return (new SegmentView(Definitions.Save(name, parsed.ToString()!, by), parsed), count);
        }, cancellationToken);

    /// <summary>Every stored segment, by name.</summary>
    public Task<IReadOnlyList<SegmentDefinition>> ListAsync(CancellationToken cancellationToken) => Sync.Run(() => Definitions.List(), cancellationToken);

    /// <summary>One stored segment and its rule.</summary>
    /// <exception cref="CrmException">No segment of that name, or its rule no longer reads.</exception>
    public Task<SegmentView> ShowAsync(string name, CancellationToken cancellationToken) => Sync.Run(() => Find(name), cancellationToken);

    /// <summary>The current clients of a stored segment today, by id.</summary>
    public Task<IReadOnlyList<long>> MembersAsync(string name, CancellationToken cancellationToken) =>
        Sync.Run(() =>
        {
            Find(name);
            using var connection = workspace.Store.Open();
            // With the store, as the client list and the reports compile it: product conditions read current purchases.
            return Segment.SelectClients(connection, [new Segment(Segment.StoredKind, name)], workspace.Today, workspace.Time.LocalTimeZone, workspace.Store);
        }, cancellationToken);

    /// <summary>The clients meeting every segment condition today (<c>segment=NAME</c> for a stored one), for a client list
    /// or a report to be narrowed to; null for no condition.</summary>
    /// <exception cref="CrmException">A condition does not read or names no stored segment.</exception>
    public Task<ClientSet?> ClientSetAsync(IReadOnlyList<string>? conditions, CancellationToken cancellationToken) =>
        Sync.Run(() => ClientSets.Of(workspace, conditions), cancellationToken);

    /// <summary>The clients of a stored segment today (<see cref="ClientSetAsync"/> of <c>segment=NAME</c>); null for no name.</summary>
    /// <exception cref="CrmException">No stored segment of that name.</exception>
    public Task<ClientSet?> StoredSetAsync(string? name, CancellationToken cancellationToken) =>
        ClientSetAsync(name is null ? null : [Segment.StoredKind + "=" + name], cancellationToken);

    /// <summary>For one client, each condition of a stored segment, met or not, with its values.</summary>
    public async Task<SegmentExplanation> ExplainAsync(string name, string client, CancellationToken cancellationToken)
    {
        var view = await ShowAsync(name, cancellationToken).ConfigureAwait(false);
        var row = await clients.ResolveAsync(client, cancellationToken).ConfigureAwait(false);
        using var connection = workspace.Store.Open();
        var lines = BehaviourSegments.Explain(connection, view.Rule, row.ClientId, workspace.Today, workspace.Time.LocalTimeZone);
        return new SegmentExplanation(name, row, lines[0].Met, lines);
    }

    /// <summary>Removes a stored segment no other stored segment names.</summary>
    /// <exception cref="CrmException">No segment of that name, or others name it (listed).</exception>
    public Task RemoveAsync(string name, CancellationToken cancellationToken) =>
        Sync.Run(() =>
        {
            Find(name);
            var users = Definitions.List().Where(d => d.Name != name && Names(SafeParse(d.RuleText)).Contains(name)).Select(d => d.Name).ToList();
            if (users.Count > 0)
            {
                throw new CrmException($"Segment '{name}' is named by {string.Join(", ", users)} (segment={name}); change or remove those first.");
            }

            Definitions.Remove(name);
            return true;
        }, cancellationToken);

    private int Count(SegmentRule rule, string savingAs)
    {
        using var connection = workspace.Store.Open();
        if (Names(rule).Contains(savingAs))
        {
            throw new CrmException($"Segment '{savingAs}' cannot name itself (segment={savingAs}).");
        }

        var referrers = new HashSet<string>(StringComparer.Ordinal) { savingAs };
        foreach (var referenced in Names(rule))
        {
            Reach(referenced, [savingAs], referrers);
        }

        return BehaviourSegments.Select(connection, rule, workspace.Today, workspace.Time.LocalTimeZone).Count;
    }

    /// <summary>Follows stored references from <paramref name="name"/>; one that leads back to the segment being saved is a circle.</summary>
    private void Reach(string name, List<string> path, HashSet<string> saving)
    {
        if (saving.Contains(name))
        {
            throw new CrmException($"Stored segments would refer to each other in a circle: {string.Join(" → ", path.Append(name))}.");
        }

        if (Definitions.Find(name) is not { } definition)
        {
            throw new CrmException($"No stored segment '{name}' (segment={name}); 'crmx segment list' shows them.");
        }

        foreach (var next in Names(SafeParse(definition.RuleText)).Distinct())
        {
            Reach(next, [.. path, name], saving);
        }
    }

    private static SegmentRule? SafeParse(string rule)
    {
        try
        {
            return SegmentRuleParser.Parse(rule);
        }
        catch (SegmentRuleException)
        {
            return null;
        }
    }

    /// <summary>The stored segments a rule names, at any depth of its tree (not inside them).</summary>
    private static List<string> Names(SegmentRule? rule) => rule switch
    {
        null => [],
        SegmentLeaf { Segment.Kind: Segment.StoredKind } leaf => [leaf.Segment.Value],
        _ => rule.Parts.SelectMany(Names).ToList(),
    };

    private SegmentView Find(string name)
    {
        var definition = Definitions.Find(name) ?? throw new CrmException($"No stored segment '{name}'; 'crmx segment list' shows them.");
        try
        {
            return new SegmentView(definition, SegmentRuleParser.Parse(definition.RuleText));
        }
        catch (SegmentRuleException ex)
        {
            throw new CrmException($"Stored segment '{name}': {ex.Message}", ex);
        }
    }

    private static void CheckName(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > 64 || !name.All(ch => char.IsLetterOrDigit(ch) || ch is '-' or '_' or '.'))
        {
            throw new CrmException($"'{name}' is not a segment name; use {NameRule}.");
        }
    }
}
