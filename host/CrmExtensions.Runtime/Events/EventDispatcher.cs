using System.Data;
using CrmExtensions.Runtime.Isolation;
using CrmExtensions.Runtime.Loading;
using CrmExtensions.Runtime.Storage;
using CrmExtensions.Runtime.Workers;
using CrmExtensions.Sdk.Events;
using CrmExtensions.Sdk.Shared;
using CrmExtensions.Store;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace CrmExtensions.Runtime.Events;

/// <summary>Delivers change events to handlers in sequence order, each (event, handler) once.</summary>
/// <remarks>
/// A delivery is one transaction: the handler's writes and the move of its cursor commit together, so a host killed
/// at any point neither loses nor doubles an event's effects. A handler that fails or times out has its writes
/// dropped, the failure recorded, and its cursor moved on; the others carry on. A handler that keeps timing out is
/// left alone for the rest of the run, and its cursor stays where it was so a later run retries.
/// In process isolation the handler runs in its plugin's worker, which returns the handler's writes for the host to
/// commit with the cursor as above. A worker that ends mid-handler (or cannot start again) wrote nothing: the cursor
/// stays where it was, the handler gets no more events in this run, and the next dispatch delivers the event again.
/// </remarks>
/// <param name="workers">The plugins' workers, which run the handlers in process isolation; null to run them in this process.</param>
internal sealed class EventDispatcher(CrmStore store, PluginRuntimeOptions options, PluginGuard guard, WorkerSupervisor? workers = null)
{
    private sealed record Cursor(HostedPlugin Plugin, HandlerShape Handler)
    {
        public long LastSeq { get; set; }

        public int ConsecutiveTimeouts { get; set; }

        /// <summary>Gets or sets whether the handler gets no more events in this run (it kept timing out, or its worker ended).</summary>
        public bool Resting { get; set; }
    }

    private sealed class EventRow
    {
        public long Sequence { get; set; }
        public string OccurredAt { get; set; } = "";
        public string Type { get; set; } = "";
        public string Ledger { get; set; } = "";
        public string LedgerId { get; set; } = "";
        public string? Data { get; set; }
    }

    public async Task<DispatchSummary> DispatchAsync(IReadOnlyList<HostedPlugin> plugins, CancellationToken cancellationToken)
    {
        var cursors = plugins.SelectMany(p => p.Shape.Handlers.Select(h => new Cursor(p, h))).ToList();
        var problems = new List<string>();
        var events = 0;
        var deliveries = 0;
        var failures = 0;
        var tagWrites = new Dictionary<string, int>(StringComparer.Ordinal);
        if (cursors.Count == 0)
        {
            return new DispatchSummary(0, 0, 0, problems);
        }

        await using var connection = store.Open();
        var now = WriteApplier.Format(store.Time.GetUtcNow());
        foreach (var c in cursors)
        {
            await connection.ExecuteAsync(DeliveryLog.EnsureCursorSql, new { pluginId = c.Plugin.Id, handler = c.Handler.Name, now }).ConfigureAwait(false);
        }

        var stored = (await connection.QueryAsync<(string PluginId, string Handler, long LastSeq)>(DeliveryLog.CursorsSql).ConfigureAwait(false))
            .ToDictionary(r => (r.PluginId, r.Handler), r => r.LastSeq);
        foreach (var c in cursors)
        {
            c.LastSeq = stored[(c.Plugin.Id, c.Handler.Name)];
        }

        var eventsSql = DeliveryLog.EventsSql(store.Dialect, options.BatchSize);
        var reader = new StoreReader(store);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var active = cursors.Where(c => !c.Resting).ToList();
            if (active.Count == 0)
            {
                break;
            }

            var after = active.Min(c => c.LastSeq);
            var batch = (await connection.QueryAsync<EventRow>(new CommandDefinition(eventsSql, new { after }, cancellationToken: cancellationToken)).ConfigureAwait(false)).ToList();
            if (batch.Count == 0)
            {
                break;
            }

            foreach (var row in batch)
            {
                CrmEvent? crmEvent = null;
                var deliveredThis = false;
                foreach (var cursor in active)
                {
                    if (cursor.LastSeq >= row.Sequence || !cursor.Handler.Wants(row.Type) || cursor.Resting)
                    {
                        continue;
                    }

                    // Read once per event, and only when some handler wants it: the document the event is about, as stored now.
                    crmEvent ??= await EventDocuments.AttachAsync(new CrmEvent
                    {
                        Sequence = row.Sequence,
                        Type = row.Type,
                        OccurredAt = StoreReader.Instant(row.OccurredAt),
                        Ledger = row.Ledger,
                        LedgerId = row.LedgerId,
                        Data = row.Data,
                    }, reader, reader.GetPaymentAsync, cancellationToken).ConfigureAwait(false);
                    deliveredThis = true;
                    var outcome = await DeliverAsync(connection, cursor, crmEvent, tagWrites, cancellationToken).ConfigureAwait(false);
                    if (outcome is { } problem)
                    {
                        failures++;
                        problems.Add(problem);
                    }
                    else
                    {
                        deliveries++;
                    }
                }

                if (deliveredThis)
                {
                    events++;
                }
            }

            // Handlers that did not want the batch's later events skip them in one write, not one per event.
            var last = batch[^1].Sequence;
            var skipNow = WriteApplier.Format(store.Time.GetUtcNow());
            foreach (var cursor in active.Where(c => c.LastSeq < last && !c.Resting))
            {
                await connection.ExecuteAsync(DeliveryLog.AdvanceSql, new
                {
                    seq = last, delivered = 0, failed = 0, now = skipNow, pluginId = cursor.Plugin.Id, handler = cursor.Handler.Name, expected = cursor.LastSeq,
                }).ConfigureAwait(false);
                cursor.LastSeq = last;
            }
        }

        return new DispatchSummary(events, deliveries, failures, problems) { TagWrites = tagWrites };
    }

    /// <summary>A delivery in words, for failure reports.</summary>
    internal static string Call(string handler, CrmEvent crmEvent) => $"handler {handler} on event #{crmEvent.Sequence} ({crmEvent.Type})";

    /// <summary>Runs one handler on one event in this process, under guard: the host in process, the plugin's worker for it.</summary>
    /// <returns>The handler's writes, or what went wrong.</returns>
    internal static async Task<CallResult<IReadOnlyList<WriteOp>>> HandleAsync(PluginGuard guard, TimeSpan budget, LoadedPlugin plugin, HandlerRegistration handler,
        CrmEvent crmEvent, CancellationToken cancellationToken)
    {
        PluginWrites? writes = null;
        var result = await guard.RunAsync(plugin.Id, Call(handler.Type.Name, crmEvent), budget, async token =>
        {
            var (scope, unit) = plugin.BeginUnit();
            writes = unit;
            await using (scope.ConfigureAwait(false))
            {
                var instance = (IEventHandler)scope.ServiceProvider.GetRequiredService(handler.Type);
                await instance.HandleAsync(crmEvent, token).ConfigureAwait(false);
                return unit.Seal();
            }
        }, cancellationToken).ConfigureAwait(false);
        // A handler abandoned at its budget may still write: those writes are refused.
        writes?.Seal();
        return result;
    }

    /// <summary>Runs one handler on one event and commits its writes with its cursor; returns the problem, or null.</summary>
    /// <param name="tagWrites">Counts the tag writes of committed deliveries by plugin id.</param>
    private async Task<string?> DeliverAsync(System.Data.Common.DbConnection connection, Cursor cursor, CrmEvent crmEvent, Dictionary<string, int> tagWrites,
        CancellationToken cancellationToken)
    {
        var plugin = cursor.Plugin;
        var result = workers is null
            ? await HandleAsync(guard, options.CallBudget, plugin.InProcess, plugin.InProcess.Handler(cursor.Handler.Name)!, crmEvent, cancellationToken).ConfigureAwait(false)
            : await WorkerCalls.HandleEventAsync(workers, plugin, cursor.Handler, crmEvent, store.Time.GetUtcNow(), options.CallBudget, cancellationToken).ConfigureAwait(false);
        var call = Call(cursor.Handler.Title, crmEvent);

        cursor.ConsecutiveTimeouts = result.Outcome == CallOutcome.TimedOut ? cursor.ConsecutiveTimeouts + 1 : 0;
        var problem = result.Problem;
        if (result.Outcome == CallOutcome.TimedOut && cursor.ConsecutiveTimeouts >= options.MaxConsecutiveTimeouts)
        {
            // Leave the cursor where it is: a later run retries from this event rather than skipping it.
            cursor.Resting = true;
            return problem + $" It timed out {cursor.ConsecutiveTimeouts} times in a row and gets no more events in this run.";
        }

        if (result.Outcome == CallOutcome.Crashed)
        {
            // Nothing of the call happened: leave the cursor where it is, and deliver the event again next time.
            cursor.Resting = true;
            return problem + $" The event is delivered again by the next dispatch.";
        }

        var now = WriteApplier.Format(store.Time.GetUtcNow());
        using var transaction = connection.BeginTransaction(IsolationLevel.ReadCommitted);
        var applied = default(AppliedWrites);
        if (result.Succeeded)
        {
            try
            {
                applied = WriteApplier.Apply(connection, transaction, store.Dialect, plugin.Id, result.Value!, now, holdBack: options.HoldBack);
            }
            catch (Exception ex) when (ex is InvalidOperationException or System.Data.Common.DbException)
            {
                transaction.Rollback();
                return await FailAsync(ex.Message).ConfigureAwait(false);
            }
        }
        else
        {
            connection.Execute(DeliveryLog.FailureInsertSql, new
            {
                pluginId = plugin.Id, call = cursor.Handler.Name, seq = crmEvent.Sequence,
                failure = result.Outcome == CallOutcome.TimedOut ? "timeout" : "exception", message = problem, now,
            }, transaction);
        }

        var advanced = connection.Execute(DeliveryLog.AdvanceSql, new
        {
            seq = crmEvent.Sequence, delivered = result.Succeeded ? 1 : 0, failed = result.Succeeded ? 0 : 1, now,
            pluginId = plugin.Id, handler = cursor.Handler.Name, expected = cursor.LastSeq,
        }, transaction);
        if (advanced == 1)
        {
            transaction.Commit();
            if (applied.TagWrites > 0)
            {
                tagWrites[plugin.Id] = tagWrites.GetValueOrDefault(plugin.Id) + applied.TagWrites;
            }
        }
        else
        {
            // Another host delivered this event meanwhile: its effects stand, ours are dropped.
            transaction.Rollback();
        }

        cursor.LastSeq = crmEvent.Sequence;
        return problem;

        async Task<string> FailAsync(string message)
        {
            using var failure = connection.BeginTransaction(IsolationLevel.ReadCommitted);
            var text = $"plugin '{plugin.Id}': {call}: its writes could not be applied: {message}";
            await connection.ExecuteAsync(DeliveryLog.FailureInsertSql, new
            {
                pluginId = plugin.Id, call = cursor.Handler.Name, seq = crmEvent.Sequence, failure = "write", message = text, now,
            }, failure).ConfigureAwait(false);
            await connection.ExecuteAsync(DeliveryLog.AdvanceSql, new
            {
                seq = crmEvent.Sequence, delivered = 0, failed = 1, now, pluginId = plugin.Id, handler = cursor.Handler.Name, expected = cursor.LastSeq,
            }, failure).ConfigureAwait(false);
            failure.Commit();
            cursor.LastSeq = crmEvent.Sequence;
            return text;
        }
    }
}
