using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CrmExtensions.Runtime.Events;
using CrmExtensions.Runtime.Isolation;
using CrmExtensions.Runtime.Jobs;
using CrmExtensions.Runtime.Loading;
using CrmExtensions.Runtime.Pipelines;
using CrmExtensions.Runtime.Reminders;
using CrmExtensions.Runtime.Reports;
using CrmExtensions.Runtime.Workspace;
using CrmExtensions.Sdk.Events;
using CrmExtensions.Sdk.Jobs;
using CrmExtensions.Sdk.Model;
using CrmExtensions.Sdk.Pipelines;
using CrmExtensions.Sdk.Reminders;
using CrmExtensions.Sdk.Reports;
using CrmExtensions.Store;
using CrmExtensions.Store.Providers;
using Microsoft.Extensions.Logging;

namespace CrmExtensions.Runtime.Workers;

/// <summary>The worker side: loads one plugin through the host's loader and answers the host's requests until its input ends.</summary>
/// <remarks>
/// The protocol owns the process's standard output; whatever the plugin writes to the console goes to standard error,
/// which the host keeps the last lines of. The worker reads the store with the connection the host hands it and never
/// writes it: a rule's or job's writes go back to the host, which applies them in its own transaction.
/// </remarks>
public static class PluginWorkerServer
{
    /// <summary>Serves requests from <paramref name="input"/> to <paramref name="output"/> until the input ends.</summary>
    /// <param name="input">The requests, one JSON object per line.</param>
    /// <param name="output">The replies, as <see cref="ReplyWriter"/> writes them.</param>
    /// <param name="log">The worker's log (standard error).</param>
    /// <returns>0 when the input ended; 3 after a call overran its budget, so that its abandoned thread dies with the process.</returns>
    public static async Task<int> RunAsync(Stream input, Stream output, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(log);
        return await RunAsync(input, output, new TextLoggerFactory(log)).ConfigureAwait(false);
    }

    private static async Task<int> RunAsync(Stream input, Stream output, TextLoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        using var reader = new StreamReader(input, new UTF8Encoding(false));
        var state = new WorkerState(loggers);
        var writer = new ReplyWriter(output);
        while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            WorkerReply reply;
            try
            {
                reply = await state.AnswerAsync(JsonNode.Parse(line)!.AsObject()).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // A request the worker cannot serve is answered, never fatal.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                reply = Failed($"the worker could not serve the request: {ex.GetType().Name}: {ex.Message}");
            }

            await writer.WriteAsync(reply).ConfigureAwait(false);

            if (reply.Fatal == true)
            {
                return 3;
            }
        }

        return 0;
    }

    /// <summary>A failed reply; <paramref name="fatal"/> when the worker cannot go on (a call overran, its heap ran out):
    /// it ends after answering, and the host counts the failure against the plugin as it counts a crash.</summary>
    internal static WorkerReply Failed(string problem, bool fatal = false, bool timedOut = false) =>
        new() { Problem = problem, Fatal = fatal ? true : null, TimedOut = timedOut ? true : null };

    /// <summary>The failed reply for a call's result: fatal when the call overran (its abandoned thread still runs) or
    /// exhausted the process.</summary>
    private static WorkerReply Failed<T>(CallResult<T> result) =>
        Failed(result.Problem!, Fatal(result), result.Outcome == CallOutcome.TimedOut);

    private static bool Fatal<T>(CallResult<T> result) =>
        result.Outcome == CallOutcome.TimedOut || result.Exception is OutOfMemoryException or InsufficientExecutionStackException;

    private sealed class WorkerState(TextLoggerFactory loggers)
    {
        private readonly PluginGuard _guard = new(loggers);
        private readonly CallClock _clock = new();
        private LoadedPlugin? _plugin;
        private CrmStore? _store;
        private ReminderRunner.KnownKeys? _known;
        private string? _knownRun;

        public Task<WorkerReply> AnswerAsync(JsonObject request) => (string?)request["op"] switch
        {
            "describe" => DescribeAsync(request),
            "evaluate-rule" => EvaluateRuleAsync(request),
            "run-job" => RunJobAsync(request),
            "check-move" => CheckMoveAsync(request),
            "handle-event" => HandleEventAsync(request),
            "run-report" => RunReportAsync(request),
            "list" => ListAsync(request),
            "render-panels" => RenderPanelsAsync(request),
            "render-page" => RenderPageAsync(request),
            var op => Task.FromResult(Failed($"unknown request '{op}'")),
        };

        private async Task<WorkerReply> DescribeAsync(JsonObject request)
        {
            var directory = (string)request["directory"]!;
            loggers.Minimum = (LogLevel)(int)request["logLevel"]!;
            _store = new CrmStore(Enum.Parse<DatabaseProvider>((string)request["provider"]!), (string)request["connectionString"]!, _clock)
            {
                BaseCurrency = (string?)request["baseCurrency"] ?? Store.Mirror.Currency.DefaultBase,
            };
            // The host discovered and checked the plugin already: its manifest is all the worker reads again.
            var assembly = (string)request["assembly"]!;
            if (ManifestReader.Read(assembly) is not { } manifest)
            {
                return Failed($"no plugin manifest in {assembly}");
            }

            var options = new PluginRuntimeOptions
            {
                StartupBudget = TimeSpan.FromMilliseconds((double)request["startupBudgetMs"]!),
                PluginSettings = WorkerProtocol.ReadSettings(request["settings"]),
            };
            var (plugin, problem) = await PluginLoading.LoadAsync(new PluginCandidate(directory, manifest), _store, options, loggers, _guard, CancellationToken.None)
                .ConfigureAwait(false);
            if (plugin is null)
            {
                return Failed(problem!, fatal: problem!.Contains("time budget", StringComparison.Ordinal));
            }

            _plugin = plugin;
            // What the host schedules and routes its calls by: it does not load the plugin to learn it.
            return new WorkerReply { Ok = true, Id = plugin.Id, Shape = PluginShape.Of(plugin) };
        }

        private async Task<WorkerReply> EvaluateRuleAsync(JsonObject request)
        {
            var (plugin, store) = Described();
            var name = (string)request["rule"]!;
            var ruleType = plugin.Rule(name);
            if (ruleType is null)
            {
                return Failed($"plugin '{plugin.Id}' has no reminder rule {name}");
            }

            var call = ReadCall(request);
            var lastEvaluatedOn = WorkerProtocol.ReadDay(request["lastEvaluatedOn"]);
            var run = (string?)request["run"];
            var result = await _guard.RunAsync(plugin.Id, $"reminder rule {ruleType.Name}", call.Budget, async token =>
            {
                // The keys committed when the run began, and since then those of its rules the host applied (it commits each
                // rule's unit before it asks for the next one): what the runner keeps in process, read once per run.
                if (_known is null || _knownRun != run)
                {
                    _known = null;
                    _known = await ReminderRunner.KnownKeys.LoadAsync(store, plugin, token).ConfigureAwait(false);
                    _knownRun = run;
                }

                // The rule sees the keys this worker keeps: the host sends none.
                var context = new ReminderContext
                {
                    Today = call.Today, Now = call.Now, TimeZone = call.Zone, Calendar = call.Calendar, LastEvaluatedOn = lastEvaluatedOn, StoredKeys = _known.Reminders,
                };
                return await ReminderRunner.EvaluateAsync(plugin, ruleType, context, _known, token).ConfigureAwait(false);
            }, CancellationToken.None).ConfigureAwait(false);
            if (result.Succeeded)
            {
                _known!.Remember(result.Value!.Ops);
            }

            return Reply(result, evaluation => new WorkerReply
            {
                Ok = true, Ops = evaluation.Ops, Returned = evaluation.Returned.ToList(), Rejected = evaluation.Rejected.ToList(),
            });
        }

        private async Task<WorkerReply> RunJobAsync(JsonObject request)
        {
            var (plugin, _) = Described();
            var name = (string)request["job"]!;
            var job = plugin.Job(name);
            if (job is null)
            {
                return Failed($"plugin '{plugin.Id}' has no job {name}");
            }

            var call = ReadCall(request);
            var context = new JobContext
            {
                Name = job.Name, Slot = WorkerProtocol.ReadInstant(request["slot"])!.Value, Now = call.Now, Today = call.Today,
                TimeZone = call.Zone, Calendar = call.Calendar, LastCompletedSlot = WorkerProtocol.ReadInstant(request["lastCompletedSlot"]),
            };
            var result = await _guard.RunAsync(plugin.Id, $"job {job.Name}", call.Budget, token => JobRunner.RunAsync(plugin, job, context, token), CancellationToken.None)
                .ConfigureAwait(false);
            return Reply(result, ops => new WorkerReply { Ok = true, Ops = ops });
        }

        private async Task<WorkerReply> CheckMoveAsync(JsonObject request)
        {
            var (plugin, budget) = Plain(request);
            var deal = request["deal"].Deserialize<Deal>(WorkerProtocol.Json) ?? throw new InvalidDataException("check-move without a deal");
            var move = request["move"].Deserialize<StageMove>(WorkerProtocol.Json);
            var answers = await StageGuards.AskAsync(_guard, budget, plugin, deal, move, CancellationToken.None)
                .ConfigureAwait(false);
            // A guard that overran still runs on an abandoned thread: the worker answers for it and ends.
            if (answers.FirstOrDefault(a => Fatal(a.Result)) is { Guard: not null } fatal)
            {
                return Failed(fatal.Result);
            }

            var refusals = answers.Select(a => StageGuards.Refusal(plugin, a.Guard, a.Result)).OfType<GuardRefusal>().ToList();
            return new WorkerReply { Ok = true, Refusals = refusals };
        }

        private async Task<WorkerReply> HandleEventAsync(JsonObject request)
        {
            var (plugin, budget) = Plain(request);
            var name = (string)request["handler"]!;
            var handler = plugin.Handler(name);
            if (handler is null)
            {
                return Failed($"plugin '{plugin.Id}' has no event handler {name}");
            }

            var crmEvent = request["event"].Deserialize<CrmEvent>(WorkerProtocol.Json) ?? throw new InvalidDataException("handle-event without an event");
            var result = await EventDispatcher.HandleAsync(_guard, budget, plugin, handler, crmEvent, CancellationToken.None)
                .ConfigureAwait(false);
            return Reply(result, ops => new WorkerReply { Ok = true, Ops = ops });
        }

        private async Task<WorkerReply> RunReportAsync(JsonObject request)
        {
            var (plugin, budget) = Plain(request);
            var range = request["range"].Deserialize<ReportRequest>(WorkerProtocol.Json) ?? throw new InvalidDataException("run-report without a range");
            var result = await PluginReports.RunAsync(_guard, budget, plugin, (string)request["report"]!, range, CancellationToken.None).ConfigureAwait(false);
            return Reply(result, table => new WorkerReply { Ok = true, Table = table });
        }

        private async Task<WorkerReply> ListAsync(JsonObject request)
        {
            var (plugin, budget) = Plain(request);
            var kind = Enum.Parse<ListingKind>((string)request["kind"]!);
            var result = await PluginListings.ListAsync(_guard, budget, plugin, kind, CancellationToken.None).ConfigureAwait(false);
            return Reply(result, listing => new WorkerReply { Ok = true, Listing = listing });
        }

        private async Task<WorkerReply> RenderPanelsAsync(JsonObject request)
        {
            var (plugin, budget) = Plain(request);
            return Views(await PluginViews.RenderPanelsAsync(_guard, budget, plugin, (string)request["client"]!, CancellationToken.None).ConfigureAwait(false));
        }

        private async Task<WorkerReply> RenderPageAsync(JsonObject request)
        {
            var (plugin, budget) = Plain(request);
            var page = await PluginViews.RenderPageAsync(_guard, budget, plugin, (string)request["page"]!, CancellationToken.None).ConfigureAwait(false);
            return Views(page is { } found ? [found] : []);
        }

        /// <summary>The rendered views; a view whose call overran or exhausted the process makes the worker answer for it and end.</summary>
        private static WorkerReply Views(IReadOnlyList<PluginViews.Rendered> rendered) =>
            rendered.FirstOrDefault(r => Fatal(r.Result)) is { View: not null } fatal
                ? Failed(fatal.Result)
                : new WorkerReply { Ok = true, Views = rendered.Select(r => r.View).OfType<PluginView>().ToList() };

        /// <summary>Reads a call that is not a rule's or a job's: its instant, which stamps the plugin's writes, and its budget.</summary>
        private (LoadedPlugin Plugin, TimeSpan Budget) Plain(JsonObject request)
        {
            _clock.Now = WorkerProtocol.ReadInstant(request["now"]);
            return (Described().Plugin, TimeSpan.FromMilliseconds((double)request["budgetMs"]!));
        }

        /// <summary>Reads a rule's or job's call, and stamps the plugin's writes with its instant.</summary>
        private (DateTimeOffset Now, DateOnly Today, TimeZoneInfo Zone, WorkingCalendar Calendar, TimeSpan Budget) ReadCall(JsonObject request)
        {
            var call = WorkerProtocol.ReadCall(request);
            _clock.Now = call.Now;
            return call;
        }

        private static WorkerReply Reply<T>(CallResult<T> result, Func<T, WorkerReply> succeeded) =>
            result.Succeeded ? succeeded(result.Value!) : Failed(result);

        private (LoadedPlugin Plugin, CrmStore Store) Described() =>
            (_plugin ?? throw new InvalidOperationException("the plugin was not described yet"), _store!);
    }

    /// <summary>The instant of the host's call in hand, as plugins' writes are stamped in process; the machine's clock before the first call.</summary>
    private sealed class CallClock : TimeProvider
    {
        public DateTimeOffset? Now { get; set; }

        public override DateTimeOffset GetUtcNow() => Now ?? System.GetUtcNow();
    }

    /// <summary>Writes log records to standard error as one line each, <see cref="LogPrefix"/> and a JSON object (level,
    /// category, message with its exception), which the host logs again under the same category.</summary>
    private sealed class TextLoggerFactory(TextWriter writer) : ILoggerFactory
    {
        /// <summary>Gets or sets the lowest level written: the host's, for the plugin's category.</summary>
        public LogLevel Minimum { get; set; } = LogLevel.Information;

        public ILogger CreateLogger(string categoryName) => new TextLogger(this, categoryName);

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public void Dispose()
        {
        }

        private sealed class TextLogger(TextLoggerFactory factory, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= factory.Minimum && logLevel != LogLevel.None;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (!IsEnabled(logLevel))
                {
                    return;
                }

                var record = new JsonObject { ["level"] = (int)logLevel, ["category"] = category, ["message"] = formatter(state, exception), ["exception"] = exception?.ToString() };
                lock (factory)
                {
                    factory.Write(LogPrefix + record.ToJsonString());
                }
            }
        }

        private void Write(string line)
        {
            writer.WriteLine(line);
            writer.Flush();
        }
    }

    /// <summary>What starts a log record on a worker's standard error.</summary>
    internal const string LogPrefix = "crmx-log ";
}
