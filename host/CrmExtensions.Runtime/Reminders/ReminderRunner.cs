using System.Collections.Frozen;
using System.Data;
using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using CrmExtensions.Runtime.Isolation;
using CrmExtensions.Runtime.Loading;
using CrmExtensions.Runtime.Storage;
using CrmExtensions.Sdk;
using CrmExtensions.Sdk.Reminders;
using CrmExtensions.Sdk.Shared;
using CrmExtensions.Store;
using CrmExtensions.Store.Outbox;
using CrmExtensions.Store.Providers;
using CrmExtensions.Store.Reminders;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace CrmExtensions.Runtime.Reminders;

/// <summary>Evaluates every plugin's reminder rules: stores new reminders once per key, cancels the ones whose reason is gone.</summary>
/// <remarks>
/// A rule returns the complete set of reminders warranted today. Each rule's outcome is one transaction: its new
/// reminders and their mails (insert-if-absent by key), the cancellation of its open reminders it no longer returns
/// (with their still-queued mails), and its <c>reminder_runs</c> row. A host stopped or killed mid-run loses nothing
/// committed and the next run redoes the rest; two hosts evaluating at once store each key once.
/// </remarks>
/// <param name="workers">The plugins' workers, which evaluate the rules in process isolation; null to evaluate them in this process.</param>
internal sealed class ReminderRunner(CrmStore store, PluginRuntimeOptions options, PluginGuard guard, Workers.WorkerSupervisor? workers = null)
{
    internal const string RunsSql = "SELECT plugin_id AS PluginId, rule_name AS RuleName, last_evaluated_on AS LastEvaluatedOn FROM reminder_runs";
    internal const string PluginReminderKeysSql = "SELECT reminder_key FROM reminders WHERE plugin_id = @pluginId";
    internal const string PluginMailKeysSql = "SELECT business_key FROM outbox WHERE plugin_id = @pluginId";
    internal const string OpenOfRuleSql = "SELECT reminder_key AS ReminderKey, mail_key AS MailKey FROM reminders WHERE plugin_id = @pluginId AND rule_name = @rule AND status = 'open'";

    private const int Attempts = 3;

    internal static string RunUpsertSql(StoreDialect dialect) =>
        dialect.Upsert("reminder_runs", ["plugin_id", "rule_name"], ["plugin_id", "rule_name", "last_evaluated_on", "last_run_at"]);

    internal static IEnumerable<string> Statements(StoreDialect dialect) =>
        [RunsSql, PluginReminderKeysSql, PluginMailKeysSql, OpenOfRuleSql, RunUpsertSql(dialect)];

    public async Task<ReminderSummary> RunAsync(IReadOnlyList<HostedPlugin> plugins, ReminderSettings settings, DateOnly? day, IProgress<string>? progress,
        Func<RuleShape, bool>? include, CancellationToken cancellationToken)
    {
        include ??= static _ => true;
        var due = plugins.Where(p => p.Shape.Rules.Any(include)).ToList();
        var now = store.Time.GetUtcNow();
        var today = day ?? settings.Today(now);
        Dictionary<(string, string), DateOnly> lastRuns;
        await using (var connection = store.Open())
        {
            lastRuns = (await connection.QueryAsync<(string PluginId, string RuleName, string LastEvaluatedOn)>(RunsSql).ConfigureAwait(false))
                .ToDictionary(r => (r.PluginId, r.RuleName), r => DateOnly.ParseExact(r.LastEvaluatedOn, "yyyy-MM-dd", CultureInfo.InvariantCulture));
        }

        // Plugins are evaluated side by side, at most `RuleConcurrency` rules at once, and their outcomes are written in the
        // plugins' order, each after the one before it: what is stored does not depend on which evaluation ends first.
        var run = new Run(Guid.NewGuid().ToString("N"), today, now, settings, lastRuns, include, progress, plugins.Sum(p => p.Shape.Rules.Count(include)),
            new OrderedGate(options.RuleConcurrency));
        var turn = Task.CompletedTask;
        var outcomes = new List<Task<(PluginReminderSummary Figures, List<string> Problems)>>(due.Count);
        foreach (var (order, plugin) in due.Index())
        {
            var written = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            // On the thread pool: a store's reads and a worker's reply are waited for synchronously in places, and the next
            // plugin must not wait for them to start.
            var previous = turn;
            outcomes.Add(Task.Run(() => RunPluginAsync(plugin, order, run, previous, written, cancellationToken), CancellationToken.None));
            turn = written.Task;
        }

        var results = await Task.WhenAll(outcomes).ConfigureAwait(false);
        var summaries = results.Select(r => r.Figures).ToList();
        return new ReminderSummary(summaries.Sum(s => s.Rules), summaries.Sum(s => s.NewReminders), summaries.Sum(s => s.MailsQueued),
            [.. results.SelectMany(r => r.Problems)])
        {
            Today = today,
            Cancelled = summaries.Sum(s => s.Cancelled),
            MailsCancelled = summaries.Sum(s => s.MailsCancelled),
            Plugins = summaries,
        };
    }

    /// <summary>What every plugin's evaluation in one run shares.</summary>
    /// <param name="Id">Names this run to the plugins' workers, which keep the committed keys for its rules as the host keeps them.</param>
    /// <param name="Gate">Taken for each rule's evaluation (not while its outcome waits to be written); a freed place goes to the
    /// plugin earliest in the order of writing, whose outcome the later plugins' writes wait for.</param>
    private sealed record Run(string Id, DateOnly Today, DateTimeOffset Now, ReminderSettings Settings, Dictionary<(string, string), DateOnly> LastRuns,
        Func<RuleShape, bool> Include, IProgress<string>? Progress, int Total, OrderedGate Gate)
    {
        private int _started;

        public int Started() => Interlocked.Increment(ref _started);
    }

    /// <summary>One plugin's rules in their order: each evaluated, then written once <paramref name="turn"/> (the plugins
    /// before it written) has come; <paramref name="written"/> is set when this plugin's last rule is written or it stops.</summary>
    private async Task<(PluginReminderSummary Figures, List<string> Problems)> RunPluginAsync(HostedPlugin plugin, int order, Run run, Task turn, TaskCompletionSource written,
        CancellationToken cancellationToken)
    {
        try
        {
            // The plugin's own time: its evaluations and its writes, not its waits for a turn at either.
            var busy = TimeSpan.Zero;
            var problems = new List<string>();
            var figures = new PluginReminderSummary(plugin.Id, 0, 0, 0, 0, 0, []);
            var titles = new List<string>();
            KnownKeys? known = null;
            foreach (var shape in plugin.Shape.Rules.Where(run.Include))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var rule = shape.Name;
                var last = run.LastRuns.TryGetValue((plugin.Id, rule), out var l) ? l : (DateOnly?)null;
                CallResult<Evaluation> result;
                await run.Gate.WaitAsync(order, cancellationToken).ConfigureAwait(false);
                var clock = Stopwatch.StartNew();
                try
                {
                    run.Progress?.Report(string.Create(CultureInfo.InvariantCulture, $"{plugin.Id}: {shape.Title} ({run.Started()} of {run.Total} rules)"));
                    // In a worker the worker keeps them: the host would read every key of the plugin for nothing.
                    known ??= workers is null ? await KnownKeys.LoadAsync(store, plugin.InProcess, cancellationToken).ConfigureAwait(false) : null;
                    // The stored keys are the committed ones, which change only between rules; a worker hands its rule its own.
                    var context = new ReminderContext
                    {
                        Today = run.Today, Now = run.Now, TimeZone = run.Settings.TimeZone, Calendar = run.Settings.Calendar, LastEvaluatedOn = last,
                        StoredKeys = known?.Reminders ?? FrozenSet<string>.Empty,
                    };
                    result = workers is null
                        ? await guard.RunAsync(plugin.Id, Call(shape), options.RuleBudget,
                            token => EvaluateAsync(plugin.InProcess, plugin.InProcess.Rule(rule)!, context, known!, token), cancellationToken).ConfigureAwait(false)
                        : await Workers.WorkerCalls.EvaluateRuleAsync(workers, plugin, shape, context, run.Id, options.RuleBudget, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    run.Gate.Release();
                    busy += clock.Elapsed;
                }

                figures = figures with { Rules = figures.Rules + 1 };
                if (!result.Succeeded)
                {
                    // A rule that failed says nothing about what is warranted: nothing is cancelled and its day is not recorded.
                    problems.Add(result.Problem!);
                    continue;
                }

                var evaluation = result.Value!;
                problems.AddRange(evaluation.Rejected.Take(5));
                if (evaluation.Rejected.Count > 5)
                {
                    problems.Add($"plugin '{plugin.Id}': … and {evaluation.Rejected.Count - 5} more reminders of rule {shape.Title} refused.");
                }

                await turn.WaitAsync(cancellationToken).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                clock.Restart();
                var applied = Apply(plugin.Id, rule, evaluation, run.Today > (last ?? run.Today) ? run.Today : last ?? run.Today);
                busy += clock.Elapsed;
                known?.Remember(evaluation.Ops);
                titles.AddRange(evaluation.Ops.OfType<AddReminderOp>().Take(5 - titles.Count).Select(op => op.Reminder.Title));
                figures = figures with
                {
                    NewReminders = figures.NewReminders + applied.Reminders,
                    Cancelled = figures.Cancelled + applied.Cancelled,
                    MailsQueued = figures.MailsQueued + applied.Mails,
                    MailsCancelled = figures.MailsCancelled + applied.MailsCancelled,
                    TagWrites = figures.TagWrites + applied.TagWrites,
                };
            }

            return (figures with { Titles = titles, Elapsed = busy }, problems);
        }
        finally
        {
            // Set however this plugin ends (a cancellation included), so the plugins after it are never left waiting.
            written.TrySetResult();
        }
    }

    /// <summary>A rule's evaluation in words, for failure reports: <c>reminder rule X</c>.</summary>
    internal static string Call(RuleShape rule) => $"reminder rule {rule.Title}";

    /// <summary>What one evaluation of a rule asks the host to store: its writes, the keys it returned, the reminders it refused.</summary>
    internal sealed record Evaluation(IReadOnlyList<WriteOp> Ops, HashSet<string> Returned, List<string> Rejected);

    internal static async Task<Evaluation> EvaluateAsync(LoadedPlugin plugin, Type ruleType, ReminderContext context, KnownKeys known, CancellationToken token)
    {
        var (scope, writes) = plugin.BeginUnit(known);
        await using (scope.ConfigureAwait(false))
        {
            var rule = (IReminderRule)scope.ServiceProvider.GetRequiredService(ruleType);
            var due = await rule.EvaluateAsync(context, token).ConfigureAwait(false);
            var returned = new HashSet<string>(StringComparer.Ordinal);
            var rejected = new List<string>();
            foreach (var reminder in due ?? [])
            {
                if (reminder is null)
                {
                    continue;
                }

                // Even a reminder refused below is still warranted: its open predecessor must not be cancelled.
                returned.Add(reminder.Key ?? "");
                try
                {
                    await writes.AddReminderAsync(reminder, token).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is TemplateException or ArgumentException)
                {
                    // One bad reminder (a mail that fails to render, a key too long) must not cost the rule's others.
                    rejected.Add($"plugin '{plugin.Id}': reminder '{reminder.Key}': {ex.Message}");
                }
            }

            return new Evaluation(writes.Seal(), returned, rejected);
        }
    }

    private (int Reminders, int Mails, int Cancelled, int MailsCancelled, int TagWrites) Apply(string pluginId, string rule, Evaluation evaluation, DateOnly evaluatedOn)
    {
        using var connection = store.Open();
        for (var attempt = 1; ; attempt++)
        {
            var now = ReminderBook.Instant(store.Time.GetUtcNow());
            using var transaction = connection.BeginTransaction(IsolationLevel.ReadCommitted);
            try
            {
                var (reminders, mails, tagWrites) = WriteApplier.Apply(connection, transaction, store.Dialect, pluginId, evaluation.Ops, now, rule, options.HoldBack);
                var cancelled = 0;
                var mailsCancelled = 0;
                var open = connection.Query<(string ReminderKey, string? MailKey)>(OpenOfRuleSql, new { pluginId, rule }, transaction).ToList();
                using var reminderWriter = new ReminderWriter(connection, transaction, store.Dialect);
                using var outbox = new OutboxWriter(connection, transaction, store.Dialect);
                foreach (var (key, mailKey) in open.Where(o => !evaluation.Returned.Contains(o.ReminderKey)))
                {
                    if (reminderWriter.Close(pluginId, key, ReminderBook.Name(ReminderStatus.Cancelled), "rule", note: null, now, doneAt: null))
                    {
                        cancelled++;
                        if (mailKey is not null)
                        {
                            // A mail not yet handed to the dispatcher is cancelled with its reminder; one already sent stays sent.
                            mailsCancelled += outbox.CancelQueued(mailKey, now);
                        }
                    }
                }

                connection.Execute(RunUpsertSql(store.Dialect), new
                {
                    plugin_id = pluginId, rule_name = rule, last_evaluated_on = ReminderBook.Day(evaluatedOn), last_run_at = now,
                }, transaction);
                transaction.Commit();
                return (reminders, mails, cancelled, mailsCancelled, tagWrites);
            }
            catch (DbException) when (attempt < Attempts)
            {
                // Another host inserted one of these keys between our check and our insert (a unique violation), or held
                // a lock too long: start the unit again; insert-if-absent now sees its rows.
                transaction.Rollback();
            }
        }
    }

    /// <summary>The plugin's committed reminder and mail keys, loaded once per run instead of one query per reminder.</summary>
    /// <remarks>The mail keys are read when a rule first queues a mail: a reminder already stored is not added again, so its
    /// mail is never looked up, and a re-evaluation with nothing new reads none of them.</remarks>
    internal sealed class KnownKeys(ICommittedState store, HashSet<string> reminders, Func<Task<HashSet<string>>> loadMails) : ICommittedState
    {
        private readonly Lazy<Task<HashSet<string>>> _mails = new(loadMails);

        /// <summary>The plugin's committed reminder keys: what its rules see as <see cref="ReminderContext.StoredKeys"/>.</summary>
        public IReadOnlySet<string> Reminders => reminders;

        /// <summary>Adds the keys of a rule's writes, once the host has committed them, for the run's next rules.</summary>
        public void Remember(IEnumerable<WriteOp> ops)
        {
            // Mail keys not read yet will be read with these among them (the host commits a rule's unit before the next rule).
            var mails = _mails.IsValueCreated && _mails.Value.IsCompletedSuccessfully ? _mails.Value.Result : null;
            foreach (var op in ops)
            {
                switch (op)
                {
                    case AddReminderOp add:
                        reminders.Add(add.Reminder.Key);
                        break;
                    case QueueMailOp mail:
                        mails?.Add(mail.Mail.Key);
                        break;
                }
            }
        }

        /// <summary>The keys of <paramref name="plugin"/>; anything else its writes check goes to the plugin's own committed state,
        /// which keeps the client ids it found from one run to the next.</summary>
        public static async Task<KnownKeys> LoadAsync(CrmStore crmStore, LoadedPlugin plugin, CancellationToken cancellationToken)
        {
            var pluginId = plugin.Id;
            await using var connection = crmStore.Open();
            var reminders = (await connection.QueryAsync<string>(new CommandDefinition(PluginReminderKeysSql, new { pluginId }, cancellationToken: cancellationToken)).ConfigureAwait(false))
                .ToHashSet(StringComparer.Ordinal);
            return new KnownKeys(plugin.Committed, reminders, async () =>
            {
                await using var mailConnection = crmStore.Open();
                return (await mailConnection.QueryAsync<string>(PluginMailKeysSql, new { pluginId }).ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);
            });
        }

        // Read-only while a rule runs (the sets change only between rules), so concurrent lookups are safe.
        public Task<bool> ReminderExistsAsync(string pluginId, string key, CancellationToken cancellationToken) => Task.FromResult(reminders.Contains(key));

        // Another plugin's mail with the same key is not known here: the outbox's insert-if-absent still keeps one per key.
        public async Task<bool> MailKeyExistsAsync(string key, CancellationToken cancellationToken) => (await _mails.Value.ConfigureAwait(false)).Contains(key);

        public Task<(bool Found, string? Value)> GetDataAsync(string pluginId, string key, CancellationToken cancellationToken) =>
            store.GetDataAsync(pluginId, key, cancellationToken);

        public Task<bool> ClientExistsAsync(string clientId, CancellationToken cancellationToken) => store.ClientExistsAsync(clientId, cancellationToken);
    }
}
