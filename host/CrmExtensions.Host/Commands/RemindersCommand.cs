using CrmExtensions.Application.Internal;
using System.Globalization;
using CrmExtensions.Application.Reminders;
using CrmExtensions.Host.Cli;
using CrmExtensions.Host.Rendering;
using CrmExtensions.Host.Terminal;
using CrmExtensions.Runtime;
using CrmExtensions.Runtime.Reminders;
using CrmExtensions.Store;

namespace CrmExtensions.Host.Commands;

/// <summary><c>crmx reminders …</c>: what is due, evaluating the rules, and closing reminders.</summary>
internal static class RemindersCommand
{
    public static CrmxCommand Create(CommandContext context) =>
        new CrmxCommand("reminders", "Reminders from the plugins' rules: what is due, evaluate the rules now, mark done or dismissed.")
        {
            Details = """
                Rules are evaluated for today in the 'reminders:timeZone' zone (default: the machine's). A task due on a day
                off ('reminders:calendar', default 'ru': Russian public holidays, plus 'reminders:holidays' and
                'reminders:workingWeekends') is shown as due on the next working day.
                """,
        }.With(Due(context), Evaluate(context), List(context), Close(context, ReminderStatus.Done), Close(context, ReminderStatus.Dismissed));

    private static string Line(ReminderEntry r) =>
        string.Create(CultureInfo.InvariantCulture, $"{r.ShownDueOn:yyyy-MM-dd}  {r.Title}") +
        (r.ClientName is not null ? $" — {r.ClientName} (client {r.ClientId})" : r.Counterparty is not null ? $" — {r.Counterparty}" : "") +
        $"  [{r.PluginId} {r.Key}{(r.Kind == "mail" ? ", mail" : "")}]";

    private static CrmxCommand Due(CommandContext context)
    {
        var manager = Opt.Text("--manager", "NAME", "only this manager's reminders");
        var date = Opt.Date("--date", "due by this day instead of today");
        var all = Opt.Flag("--all", "every open reminder, also those not due yet");
        return new CrmxCommand("due", "Open reminders due by today (or --date), grouped by manager.").With(manager, date, all).Runs(context, async (run, cancellationToken) =>
        {
            var reminders = run.Service<ReminderService>();
            var day = run.Get(date) ?? reminders.Today;
            var who = run.Get(manager);
            var due = await reminders.DueAsync(day, who, run.Get(all), cancellationToken).ConfigureAwait(false);
            var scope = run.Get(all) ? "Open reminders" : string.Create(CultureInfo.InvariantCulture, $"Due by {day:yyyy-MM-dd} ({reminders.Settings.TimeZone.Id})");
            run.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{scope}{(who is null ? "" : " for " + who)}: {due.Count:N0}"));
            foreach (var group in due.GroupBy(r => r.Manager ?? "").OrderBy(g => g.Key.Length == 0).ThenBy(g => g.Key, StringComparer.CurrentCulture))
            {
                run.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{(group.Key.Length == 0 ? "(no manager)" : group.Key)} ({group.Count():N0}):"));
                foreach (var r in group.OrderBy(r => r.ShownDueOn).ThenBy(r => r.Key, StringComparer.Ordinal))
                {
                    run.Out.WriteLine("  " + Line(r));
                }
            }

            return 0;
        });
    }

    private static CrmxCommand Evaluate(CommandContext context)
    {
        var date = Opt.Date("--date", "evaluate as of this day instead of today");
        var stats = Opt.Flag("--stats", "print the wall time and the process's peak memory at the end");
        return new CrmxCommand("run", "Evaluate every plugin's reminder rules now: new reminders, cancellations, mails queued.")
        {
            Details = """
                Safe to repeat and to run from several hosts: a reminder is stored once per key, forever, and its mail is
                queued once per business key. Open reminders a rule no longer returns (the invoice got paid) are cancelled,
                and so are their mails still queued. Plugins' rules are evaluated side by side, up to 'plugins:ruleConcurrency'
                at once (default 0: the processor count; 1: one plugin after another); what they return is written in the
                plugins' order.
                """,
        }.With(date, stats).Runs(context, async (run, cancellationToken) =>
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            ReminderSummary summary;
            using (var line = new ProgressLine(run.Error, context.Interactive))
            {
                var progress = new InlineProgress<string>(rule => line.Show("reminders: " + rule, force: true));
                summary = await run.Service<ReminderService>().EvaluateAsync(run.Get(date), progress, cancellationToken).ConfigureAwait(false);
            }

            ReminderText.Print(run.Out, summary);
            if (run.Get(stats))
            {
                Text.Stats(run.Out, clock.Elapsed, cpu: true);
            }

            return 0;
        });
    }

    private static CrmxCommand List(CommandContext context)
    {
        var status = Opt.Text("--status", "STATUS", "open, done, dismissed, cancelled or all");
        var manager = Opt.Text("--manager", "NAME", "only this manager's reminders");
        return new CrmxCommand("list", "List reminders by status (default: open).").With(status, manager).Runs(context, async (run, cancellationToken) =>
        {
            var text = run.Get(status) ?? "open";
            ReminderStatus? wanted;
            try
            {
                wanted = text.Equals("all", StringComparison.OrdinalIgnoreCase) ? null : ReminderBook.Parse(text);
            }
            catch (ArgumentException)
            {
                throw new UsageException($"--status takes open, done, dismissed, cancelled or all, not '{text}'");
            }

            var rows = await run.Service<ReminderService>().ListAsync(wanted, run.Get(manager), cancellationToken).ConfigureAwait(false);
            run.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{rows.Count:N0} reminders ({text})"));
            foreach (var r in rows)
            {
                var closed = r.Status == ReminderStatus.Open ? "" : $"  {ReminderBook.Name(r.Status)} {r.ClosedAt} by {r.ClosedBy}{(r.Note is null ? "" : ": " + r.Note)}";
                run.Out.WriteLine($"{Line(r)}{(r.Manager is null ? "" : " → " + r.Manager)}{closed}");
            }

            return 0;
        });
    }

    private static CrmxCommand Close(CommandContext context, ReminderStatus status)
    {
        var plugin = Opt.Text("--plugin", "ID", "the plugin, when several have a reminder with this key");
        var by = Opt.Text("--by", "NAME", "who closes it (default: the user name)");
        var note = Opt.Text("--note", "TEXT", "why");
        var key = Opt.One("KEY");
        return new CrmxCommand(status == ReminderStatus.Done ? "done" : "dismiss", status == ReminderStatus.Done
            ? "Mark a reminder done; it is never re-created."
            : "Dismiss a reminder (nothing to do); it is never re-created.").With(plugin, by, note, key).Runs(context, async (run, cancellationToken) =>
        {
            var k = run.Get(key);
            var (outcome, now, plugins) = await run.Service<ReminderService>().CloseAsync(k, run.Get(plugin), status, run.Get(by) ?? Environment.UserName, run.Get(note), cancellationToken)
                .ConfigureAwait(false);
            var verb = ReminderBook.Name(status);
            switch (outcome)
            {
                case CloseOutcome.Closed:
                    run.Out.WriteLine($"Reminder '{k}' of {plugins[0]} is {verb}.");
                    return 0;
                case CloseOutcome.AlreadyClosed when now == status:
                    run.Out.WriteLine($"Reminder '{k}' of {plugins[0]} was {verb} already.");
                    return 0;
                case CloseOutcome.AlreadyClosed:
                    throw new CrmException($"Reminder '{k}' of {plugins[0]} is {ReminderBook.Name(now!.Value)} already; it stays so.");
                case CloseOutcome.Ambiguous:
                    throw new UsageException($"several plugins have a reminder '{k}': {string.Join(", ", plugins)}; name one with --plugin");
                default:
                    throw new CrmException($"No reminder has the key '{k}'{(run.Get(plugin) is { } p ? $" in plugin '{p}'" : "")}. 'crmx reminders list --status all' shows them.");
            }
        });
    }
}
