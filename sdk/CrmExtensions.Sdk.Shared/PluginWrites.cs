using CrmExtensions.Sdk.Mail;
using CrmExtensions.Sdk.Model;
using CrmExtensions.Sdk.Pipelines;
using CrmExtensions.Sdk.Reminders;
using CrmExtensions.Sdk.Storage;

namespace CrmExtensions.Sdk.Shared;

/// <summary>One write a plugin asked for, held until the call into the plugin returns.</summary>
internal abstract record WriteOp;

internal sealed record AddActivityOp(Activity Activity) : WriteOp;

internal sealed record OpenDealOp(Deal Deal) : WriteOp;

/// <summary>A move; <paramref name="Outcome"/> is <c>won</c> or <c>lost</c> when the stage closes the deal.</summary>
internal sealed record MoveDealOp(string DealId, string From, string To, DateTimeOffset At, string? Outcome = null) : WriteOp;

internal sealed record AddReminderOp(Reminder Reminder, DateTimeOffset At) : WriteOp;

internal sealed record QueueMailOp(RenderedMail Mail, string Template, DateTimeOffset At, bool Marketing = false, string? ClientId = null) : WriteOp;

/// <summary>Sets (or, with a null value, deletes) one key of the plugin's key/value store.</summary>
internal sealed record SetDataOp(string Key, string? Value) : WriteOp;

/// <summary>Sets (or, with a null value, removes) a tag of a client; the id is one the CRM handed out (<see cref="ClientIds"/>).</summary>
internal sealed record SetClientTagOp(string ClientId, string Name, string? Value, DateTimeOffset At) : WriteOp;

/// <summary>What is already committed, as the writes need to know it (the store in the host, lists in the test kit).</summary>
internal interface ICommittedState
{
    Task<bool> ReminderExistsAsync(string pluginId, string key, CancellationToken cancellationToken);

    Task<bool> MailKeyExistsAsync(string key, CancellationToken cancellationToken);

    Task<(bool Found, string? Value)> GetDataAsync(string pluginId, string key, CancellationToken cancellationToken);

    /// <summary>Whether the CRM handed out this client id (current, merged or retired).</summary>
    Task<bool> ClientExistsAsync(string clientId, CancellationToken cancellationToken);
}

/// <summary>
/// The plugin's <see cref="ICrmWriter"/> and <see cref="IPluginStore"/> for one call into it: validates each write,
/// holds it, and hands the whole unit to the caller, which commits it with its own bookkeeping or drops it.
/// </summary>
/// <remarks>Thread-safe: a plugin may write from several tasks of one call. Sealed after the call: late writes throw.</remarks>
internal sealed class PluginWrites : ICrmWriter, IPluginStore
{
    private const int MaxKeyLength = 200;

    private readonly object _gate = new();
    private readonly List<WriteOp> _ops = [];

    // Pending keys, so that a rule returning a million reminders is not checked against every earlier one.
    private readonly HashSet<string> _reminderKeys = new(StringComparer.Ordinal);
    private readonly HashSet<string> _mailKeys = new(StringComparer.Ordinal);
    private readonly string _pluginId;
    private readonly ICrmReader _reader;
    private readonly ICommittedState _committed;
    private readonly TemplateSet _templates;
    private readonly IReadOnlyList<PipelineDefinition> _pipelines;
    private readonly Func<IReadOnlyList<IStageGuard>> _guards;
    private readonly TimeProvider _time;
    private bool _sealed;

    public PluginWrites(string pluginId, ICrmReader reader, ICommittedState committed, TemplateSet templates,
        IReadOnlyList<PipelineDefinition> pipelines, Func<IReadOnlyList<IStageGuard>> guards, TimeProvider time)
    {
        _pluginId = pluginId;
        _reader = reader;
        _committed = committed;
        _templates = templates;
        _pipelines = pipelines;
        _guards = guards;
        _time = time;
    }

    /// <summary>Ends the unit: returns the writes in order and refuses any later one.</summary>
    public IReadOnlyList<WriteOp> Seal()
    {
        lock (_gate)
        {
            _sealed = true;
            return _ops.ToArray();
        }
    }

    public Task<string> AddActivityAsync(NewActivity activity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        var id = NewId();
        Add(new AddActivityOp(new Activity
        {
            Id = id,
            PluginId = _pluginId,
            Kind = activity.Kind,
            Subject = activity.Subject,
            Notes = activity.Notes,
            Counterparty = activity.Counterparty,
            RecordedAt = _time.GetUtcNow(),
        }));
        return Task.FromResult(id);
    }

    public Task<string> OpenDealAsync(NewDeal deal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deal);
        var pipeline = _pipelines.FirstOrDefault(p => p.Name == deal.Pipeline)
            ?? throw new StageMoveException(
                $"Plugin '{_pluginId}' has no pipeline '{deal.Pipeline}'; register it with AddPipeline (it has: {string.Join(", ", _pipelines.Select(p => p.Name))}).",
                _pluginId, "", "");
        var id = NewId();
        Add(new OpenDealOp(new Deal
        {
            Id = id,
            PluginId = _pluginId,
            Pipeline = pipeline.Name,
            Stage = pipeline.Stages[0],
            Title = deal.Title,
            Amount = deal.Amount,
            Counterparty = deal.Counterparty,
            CreatedAt = _time.GetUtcNow(),
        }));
        return Task.FromResult(id);
    }

    public async Task MoveDealAsync(string dealId, string toStage, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(dealId);
        ArgumentException.ThrowIfNullOrEmpty(toStage);
        var deal = Pending(dealId) ?? await _reader.GetDealAsync(dealId, cancellationToken).ConfigureAwait(false)
            ?? throw new StageMoveException($"There is no deal '{dealId}'.", _pluginId, dealId, toStage);
        var pipeline = _pipelines.FirstOrDefault(p => p.Name == deal.Pipeline);
        if (deal.PluginId != _pluginId || pipeline is null)
        {
            throw new StageMoveException(
                $"Deal '{dealId}' follows pipeline '{deal.Pipeline}' of plugin '{deal.PluginId}'; only that plugin moves it.", _pluginId, dealId, toStage);
        }

        var move = new StageMove(deal.Stage, toStage);
        if (!IsAllowed(pipeline, move))
        {
            throw new StageMoveException(
                $"Pipeline '{pipeline.Name}' does not allow a deal to move from '{move.From}' to '{move.To}'.", _pluginId, dealId, toStage);
        }

        foreach (var guard in _guards())
        {
            var decision = await guard.CheckAsync(deal, move, cancellationToken).ConfigureAwait(false);
            if (!decision.Allowed)
            {
                throw new StageMoveException(
                    $"Deal '{dealId}' cannot move from '{move.From}' to '{move.To}': {decision.Reason}", _pluginId, dealId, toStage);
            }
        }

        Add(new MoveDealOp(dealId, move.From, move.To, _time.GetUtcNow(), Outcome(pipeline, move.To)));
    }

    public async Task<bool> AddReminderAsync(Reminder reminder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reminder);
        CheckKey(reminder.Key);
        if (Pending(_reminderKeys, reminder.Key)
            || await _committed.ReminderExistsAsync(_pluginId, reminder.Key, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        if (reminder.Mail is { } mail)
        {
            await QueueMailAsync(mail, cancellationToken).ConfigureAwait(false);
        }

        Add(new AddReminderOp(reminder, _time.GetUtcNow()));
        return true;
    }

    public async Task<bool> QueueMailAsync(OutgoingMail mail, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mail);
        CheckKey(mail.Key);
        var rendered = _templates.Render(mail);
        if (Pending(_mailKeys, mail.Key)
            || await _committed.MailKeyExistsAsync(mail.Key, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        Add(new QueueMailOp(rendered, mail.Template, _time.GetUtcNow(), mail.Marketing, mail.ClientId));
        return true;
    }

    public async Task<string?> GetAsync(string key, CancellationToken cancellationToken)
    {
        CheckKey(key);
        lock (_gate)
        {
            var pending = _ops.OfType<SetDataOp>().LastOrDefault(o => o.Key == key);
            if (pending is not null)
            {
                return pending.Value;
            }
        }

        var (found, value) = await _committed.GetDataAsync(_pluginId, key, cancellationToken).ConfigureAwait(false);
        return found ? value : null;
    }

    public Task SetAsync(string key, string value, CancellationToken cancellationToken)
    {
        CheckKey(key);
        ArgumentNullException.ThrowIfNull(value);
        Add(new SetDataOp(key, value));
        return Task.CompletedTask;
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        CheckKey(key);
        Add(new SetDataOp(key, null));
        return Task.CompletedTask;
    }

    public async Task SetClientTagAsync(string clientId, string name, string? value, CancellationToken cancellationToken)
    {
        CheckKey(name);
        await ClientIds.CheckHandedOutAsync(_committed, clientId, cancellationToken).ConfigureAwait(false);
        Add(new SetClientTagOp(clientId, name, value, _time.GetUtcNow()));
    }

    /// <summary>Moves allowed: the listed ones, or with none listed, to the next stage or straight to the last.</summary>
    internal static bool IsAllowed(PipelineDefinition pipeline, StageMove move)
    {
        var from = IndexOf(pipeline, move.From);
        var to = IndexOf(pipeline, move.To);
        if (from < 0 || to < 0 || from == to)
        {
            return false;
        }

        return pipeline.Moves.Count > 0 ? pipeline.Moves.Contains(move) : to == from + 1 || to == pipeline.Stages.Count - 1;

        static int IndexOf(PipelineDefinition p, string stage)
        {
            for (var i = 0; i < p.Stages.Count; i++)
            {
                if (p.Stages[i] == stage)
                {
                    return i;
                }
            }

            return -1;
        }
    }

    /// <summary>The stages a deal in <paramref name="from"/> may move to, in pipeline order.</summary>
    internal static IReadOnlyList<string> AllowedTargets(PipelineDefinition pipeline, string from) =>
        pipeline.Stages.Where(to => IsAllowed(pipeline, new StageMove(from, to))).ToList();

    /// <summary><c>won</c> or <c>lost</c> when a stage closes a deal, else null: the declared stages, or ones named so.</summary>
    internal static string? Outcome(PipelineDefinition pipeline, string stage)
    {
        var won = pipeline.WonStages is { Count: > 0 } w ? w.Contains(stage) : string.Equals(stage, "won", StringComparison.OrdinalIgnoreCase);
        var lost = pipeline.LostStages is { Count: > 0 } l ? l.Contains(stage) : string.Equals(stage, "lost", StringComparison.OrdinalIgnoreCase);
        return won ? "won" : lost ? "lost" : null;
    }

    private Deal? Pending(string dealId)
    {
        lock (_gate)
        {
            var opened = _ops.OfType<OpenDealOp>().FirstOrDefault(o => o.Deal.Id == dealId)?.Deal;
            if (opened is null)
            {
                return null;
            }

            var stage = _ops.OfType<MoveDealOp>().LastOrDefault(o => o.DealId == dealId)?.To ?? opened.Stage;
            return new Deal
            {
                Id = opened.Id,
                PluginId = opened.PluginId,
                Pipeline = opened.Pipeline,
                Stage = stage,
                Title = opened.Title,
                Amount = opened.Amount,
                Counterparty = opened.Counterparty,
                CreatedAt = opened.CreatedAt,
            };
        }
    }

    private bool Pending(HashSet<string> keys, string key)
    {
        lock (_gate)
        {
            return keys.Contains(key);
        }
    }

    private void Add(WriteOp op)
    {
        lock (_gate)
        {
            if (_sealed)
            {
                throw new InvalidOperationException(
                    $"Plugin '{_pluginId}' wrote after its call returned (or after its time budget ran out); the write is discarded. Await every write inside the call.");
            }

            _ops.Add(op);
            if (op is AddReminderOp r)
            {
                _reminderKeys.Add(r.Reminder.Key);
            }
            else if (op is QueueMailOp q)
            {
                _mailKeys.Add(q.Mail.Key);
            }
        }
    }

    private string NewId() => Guid.CreateVersion7(_time.GetUtcNow()).ToString("N");

    private static void CheckKey(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        if (key.Length > MaxKeyLength)
        {
            throw new ArgumentException($"Keys are at most {MaxKeyLength} characters; this one has {key.Length}.", nameof(key));
        }
    }
}
