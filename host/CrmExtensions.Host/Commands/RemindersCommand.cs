using System.Globalization;
using CrmExtensions.Host.Configuration;
using CrmExtensions.Host.Terminal;
using CrmExtensions.Runtime;
using CrmExtensions.Runtime.Reminders;
using CrmExtensions.Store;

namespace CrmExtensions.Host.Commands;

/// <summary><c>crmx reminders …</c>: what is due, evaluating the rules, and closing reminders.</summary>
internal sealed class RemindersCommand : CommandSpec
{
    public override string Name => "reminders";

    public override string Summary => "Reminders from the plugins' rules: what is due, evaluate the rules now, mark done or dismissed.";

    public override string Details =>
        """
        Rules are evaluated for today in the 'reminders:timeZone' zone (default: the machine's). A task due on a day
        off ('reminders:calendar', default 'ru': Russian public holidays, plus 'reminders:holidays' and
        'reminders:workingWeekends') is shown as due on the next working day.
        """;

    public override IReadOnlyList<CommandSpec> Subcommands { get; } =
        [new DueCommand(), new RunRulesCommand(), new ListCommand(), new CloseCommand(ReminderStatus.Done), new CloseCommand(ReminderStatus.Dismissed)];

    private static (Workspace Workspace, ReminderSettings Settings) Open(CommandContext context, ParsedArguments arguments)
    {
        var workspace = Workspace.Open(context, arguments, requireLedgers: false);
        var settings = ReminderConfiguration.Settings(workspace.Configuration.Reminders, context.Time);
        workspace.Store.Migrate();
        return (workspace, settings);
    }

    /// <summary>Prints what an evaluation did, per plugin; shared with <c>crmx demo</c>.</summary>
    public static void Print(TextWriter output, ReminderSummary summary, string indent = "")
    {
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{indent}reminders for {summary.Today:yyyy-MM-dd}: {Rules(summary.Rules)}; {summary.NewReminders:N0} new, {summary.Cancelled:N0} cancelled, " +
            $"{summary.MailsQueued:N0} mails queued, {summary.MailsCancelled:N0} queued mails cancelled"));
        foreach (var p in summary.Plugins)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{indent}  {p.PluginId}: {p.NewReminders:N0} new, {p.Cancelled:N0} cancelled, {p.MailsQueued:N0} mails queued ({Rules(p.Rules)}, {p.Elapsed.TotalSeconds:0.0} s)"));
            foreach (var title in p.Titles.Take(3))
            {
                output.WriteLine($"{indent}    + {title}");
            }
        }

        foreach (var problem in summary.Problems.Take(10))
        {
            output.WriteLine($"{indent}  problem: {problem}");
        }
    }

    private static string Rules(int count) => count == 1 ? "1 rule" : string.Create(CultureInfo.InvariantCulture, $"{count} rules");

    private static string Line(ReminderEntry r) =>
        string.Create(CultureInfo.InvariantCulture, $"{r.ShownDueOn:yyyy-MM-dd}  {r.Title}") +
        (r.ClientName is not null ? $" — {r.ClientName} (client {r.ClientId})" : r.Counterparty is not null ? $" — {r.Counterparty}" : "") +
        $"  [{r.PluginId} {r.Key}{(r.Kind == "mail" ? ", mail" : "")}]";

    private sealed class DueCommand : CommandSpec
    {
        public override string Name => "due";

        public override string Summary => "Open reminders due by today (or --date), grouped by manager.";

        public override IReadOnlyList<OptionSpec> Options =>
        [
            new("manager", "NAME", "only this manager's reminders"),
            new("date", "yyyy-MM-dd", "due by this day instead of today"),
            new("all", null, "every open reminder, also those not due yet"),
        ];

        public override int Execute(CommandContext context, ParsedArguments arguments)
        {
            arguments.NoPositional();
            var (workspace, settings) = Open(context, arguments);
            var day = arguments.GetDate("date") ?? settings.Today(context.Time.GetUtcNow());
            var manager = arguments.Get("manager");
            var due = new ReminderBook(workspace.Store, settings).Due(day, manager, arguments.Has("all"));
            var scope = arguments.Has("all") ? "Open reminders" : string.Create(CultureInfo.InvariantCulture, $"Due by {day:yyyy-MM-dd} ({settings.TimeZone.Id})");
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{scope}{(manager is null ? "" : " for " + manager)}: {due.Count:N0}"));
            foreach (var group in due.GroupBy(r => r.Manager ?? "").OrderBy(g => g.Key.Length == 0).ThenBy(g => g.Key, StringComparer.CurrentCulture))
            {
                context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{(group.Key.Length == 0 ? "(no manager)" : group.Key)} ({group.Count():N0}):"));
                foreach (var r in group.OrderBy(r => r.ShownDueOn).ThenBy(r => r.Key, StringComparer.Ordinal))
                {
                    context.Out.WriteLine("  " + Line(r));
                }
            }

            return 0;
        }
    }

    private sealed class RunRulesCommand : CommandSpec
    {
        public override string Name => "run";

        public override string Summary => "Evaluate every plugin's reminder rules now: new reminders, cancellations, mails queued.";

        public override string Details =>
            """
            Safe to repeat and to run from several hosts: a reminder is stored once per key, forever, and its mail is
            queued once per business key. Open reminders a rule no longer returns (the invoice got paid) are cancelled,
            and so are their mails still queued.
            """;

        public override IReadOnlyList<OptionSpec> Options =>
        [
            new("date", "yyyy-MM-dd", "evaluate as of this day instead of today"),
            new("stats", null, "print the wall time and the process's peak memory at the end"),
        ];

        public override int Execute(CommandContext context, ParsedArguments arguments)
        {
            arguments.NoPositional();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var (workspace, settings) = Open(context, arguments);
            var directory = Path.GetFullPath(workspace.Configuration.Plugins.Directory, workspace.Configuration.BaseDirectory);
            using var runtime = PluginRuntime.LoadAsync(directory, workspace.Store, cancellationToken: context.Cancellation).GetAwaiter().GetResult();
            ReminderSummary summary;
            using (var line = new ProgressLine(context.Error, context.Interactive))
            {
                var progress = new InlineProgress<string>(rule => line.Show("reminders: " + rule, force: true));
                summary = runtime.RunRemindersAsync(settings, arguments.GetDate("date"), progress, context.Cancellation).GetAwaiter().GetResult();
            }

            Print(context.Out, summary);
            if (arguments.Has("stats"))
            {
                using var process = System.Diagnostics.Process.GetCurrentProcess();
                context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"stats: {clock.Elapsed.TotalSeconds:0.00} s wall, peak memory {process.PeakWorkingSet64 / 1048576.0:N0} MiB, cpu {process.TotalProcessorTime.TotalSeconds:0.0} s"));
            }

            return 0;
        }
    }

    private sealed class ListCommand : CommandSpec
    {
        public override string Name => "list";

        public override string Summary => "List reminders by status (default: open).";

        public override IReadOnlyList<OptionSpec> Options =>
        [
            new("status", "STATUS", "open, done, dismissed, cancelled or all"),
            new("manager", "NAME", "only this manager's reminders"),
        ];

        public override int Execute(CommandContext context, ParsedArguments arguments)
        {
            arguments.NoPositional();
            var text = arguments.Get("status") ?? "open";
            ReminderStatus? status;
            try
            {
                status = text.Equals("all", StringComparison.OrdinalIgnoreCase) ? null : ReminderBook.Parse(text);
            }
            catch (ArgumentException)
            {
                throw new UsageException($"--status takes open, done, dismissed, cancelled or all, not '{text}'");
            }

            var (workspace, settings) = Open(context, arguments);
            var manager = arguments.Get("manager");
            var rows = new ReminderBook(workspace.Store, settings).List(status).Where(r => manager is null || r.Manager == manager).ToList();
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{rows.Count:N0} reminders ({text})"));
            foreach (var r in rows)
            {
                var closed = r.Status == ReminderStatus.Open ? "" : $"  {ReminderBook.Name(r.Status)} {r.ClosedAt} by {r.ClosedBy}{(r.Note is null ? "" : ": " + r.Note)}";
                context.Out.WriteLine($"{Line(r)}{(r.Manager is null ? "" : " → " + r.Manager)}{closed}");
            }

            return 0;
        }
    }

    private sealed class CloseCommand(ReminderStatus status) : CommandSpec
    {
        public override string Name => status == ReminderStatus.Done ? "done" : "dismiss";

        public override string Summary => status == ReminderStatus.Done
            ? "Mark a reminder done; it is never re-created."
            : "Dismiss a reminder (nothing to do); it is never re-created.";

        public override string? ArgumentsUsage => "KEY";

        public override IReadOnlyList<OptionSpec> Options =>
        [
            new("plugin", "ID", "the plugin, when several have a reminder with this key"),
            new("by", "NAME", "who closes it (default: the user name)"),
            new("note", "TEXT", "why"),
        ];

        public override int Execute(CommandContext context, ParsedArguments arguments)
        {
            var key = arguments.Single("KEY");
            var (workspace, settings) = Open(context, arguments);
            var by = arguments.Get("by") ?? Environment.UserName;
            var (outcome, now, plugins) = new ReminderBook(workspace.Store, settings).Close(key, arguments.Get("plugin"), status, by, arguments.Get("note"));
            var verb = ReminderBook.Name(status);
            switch (outcome)
            {
                case CloseOutcome.Closed:
                    context.Out.WriteLine($"Reminder '{key}' of {plugins[0]} is {verb}.");
                    return 0;
                case CloseOutcome.AlreadyClosed when now == status:
                    context.Out.WriteLine($"Reminder '{key}' of {plugins[0]} was {verb} already.");
                    return 0;
                case CloseOutcome.AlreadyClosed:
                    throw new CrmException($"Reminder '{key}' of {plugins[0]} is {ReminderBook.Name(now!.Value)} already; it stays so.");
                case CloseOutcome.Ambiguous:
                    throw new UsageException($"several plugins have a reminder '{key}': {string.Join(", ", plugins)}; name one with --plugin");
                default:
                    throw new CrmException($"No reminder has the key '{key}'{(arguments.Get("plugin") is { } p ? $" in plugin '{p}'" : "")}. 'crmx reminders list --status all' shows them.");
            }
        }
    }
}
