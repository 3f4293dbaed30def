using System.Globalization;
using CrmExtensions.Application.Activities;
using CrmExtensions.Host.Cli;
using CrmExtensions.Host.Rendering;
using CrmExtensions.Store.Activities;

namespace CrmExtensions.Host.Commands;

/// <summary><c>crmx activity …</c>: the contact log — record, list and import calls, meetings, letters, e-mails and notes.</summary>
internal static class ActivityCommand
{
    private static readonly string Kinds = string.Join(", ", ActivityKinds.All);

    public static CrmxCommand Create(CommandContext context) =>
        new CrmxCommand("activity", "The contact log: record, list and import calls, meetings, letters, e-mails, web forms and notes on clients.")
            .With(Add(context), List(context), Import(context));

    private static CrmxCommand Add(CommandContext context)
    {
        var client = Opt.Text("--client", "CLIENT", "the client (required)", required: true);
        var type = Opt.Text("--type", "TYPE", "what it was (required): " + Kinds, required: true);
        var subject = Opt.Text("--subject", "TEXT", "one line: what it was about");
        var manager = Opt.Text("--manager", "NAME", "our manager who had the contact");
        var at = Opt.Text("--at", "WHEN", "when it happened (default: now)");
        var contact = Opt.Text("--contact", "ID", "the client's contact person, LEDGER:ID or the ledger's id");
        var deal = Opt.Text("--deal", "DEAL", "the deal it was about (number or id)");
        var outcome = Opt.Text("--outcome", "TEXT", "what came of it");
        var channel = Opt.Text("--channel", "TEXT", "phone, email, post, web, in person… (default: from the type)");
        var direction = Opt.Text("--direction", "in|out", "who reached whom (default: from the type)");
        var notes = Opt.Text("--notes", "TEXT", "longer notes");
        return new CrmxCommand("add", "Record a call, meeting, letter, e-mail, web form or note on a client.")
        {
            Details = $"""
                CLIENT (--client) is a client id, an INN, LEDGER:ID of one of its ledger rows, or part of a name; several matches are listed.
                Types: {Kinds} (Russian names such as 'звонок', 'встреча', 'заметка' work too).
                --at is local time ({ActivityTime.Accepted}); default now.
                """,
        }.With(client, type, subject, manager, at, contact, deal, outcome, channel, direction, notes).Runs(context, async (run, cancellationToken) =>
        {
            var when = context.Time.GetUtcNow();
            if (run.Get(at) is { } atText && !ActivityTime.TryParse(atText, context.Time.LocalTimeZone, out when))
            {
                throw new UsageException($"--at takes {ActivityTime.Accepted}, not '{atText}'");
            }

            var (id, c, kind) = await run.Service<ActivityService>().AddAsync(new ActivityRequest
            {
                Client = run.Get(client)!,
                Kind = run.Get(type)!,
                OccurredAt = when,
                Subject = run.Get(subject) ?? "",
                Source = "cli",
                Manager = run.Get(manager),
                Outcome = run.Get(outcome),
                Channel = run.Get(channel),
                Direction = run.Get(direction),
                Contact = run.Get(contact),
                Deal = run.Get(deal),
                Notes = run.Get(notes),
            }, cancellationToken).ConfigureAwait(false);
            run.Out.WriteLine($"Recorded {kind} on client {c.ClientId} {c.DisplayName} at {Text.Local(when, context.Time)} (activity {id}).");
            return 0;
        });
    }

    private static CrmxCommand List(CommandContext context)
    {
        var client = Opt.Text("--client", "CLIENT", "only this client's");
        var manager = Opt.Text("--manager", "NAME", "only those of managers whose name contains NAME");
        var since = Opt.Text("--since", "DATE", "only those from DATE on (local time)");
        var limit = Opt.Int("--limit", "N", "how many (default 50)", 50, 1, 1_000_000);
        return new CrmxCommand("list", "List activities, newest first.").With(client, manager, since, limit).Runs(context, async (run, cancellationToken) =>
        {
            DateTimeOffset? from = null;
            if (run.Get(since) is { } sinceText)
            {
                from = ActivityTime.TryParse(sinceText, context.Time.LocalTimeZone, out var s) ? s
                    : throw new UsageException($"--since takes {ActivityTime.Accepted}, not '{sinceText}'");
            }

            var max = run.Get(limit);
            var rows = await run.Service<ActivityService>().ListAsync(run.Get(client), run.Get(manager), from, max, cancellationToken).ConfigureAwait(false);
            foreach (var a in rows)
            {
                var who = a.ClientId is null ? $"{a.Ledger}:{a.CounterpartyId}" : $"{a.ClientId} {a.ClientName}";
                run.Out.WriteLine($"{Text.Local(a.When, context.Time)}  {a.Kind,-10} {a.Direction ?? "",-3}  {who}  {a.Manager ?? "-"}  {ActivityText.Line(a)}");
            }

            run.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{rows.Count:N0} activities{(rows.Count == max ? $" (the newest {max:N0}; --limit shows more)" : "")}."));
            return 0;
        });
    }

    private static CrmxCommand Import(CommandContext context)
    {
        var dryRun = Opt.Flag("--dry-run", "check every row and report, write nothing");
        var file = Opt.One("FILE.csv");
        return new CrmxCommand("import", "Import activities from a CSV file; report every bad row, import the rest.")
        {
            Details = $"""
                The first line names the columns, in any order: {string.Join(",", ActivityImport.RequiredColumns)} (required),
                {string.Join(",", ActivityImport.OptionalColumns)} (optional). UTF-8 (a BOM is fine); ';' or ',' as the header uses;
                fields may be quoted. 'client' as in --client, 'type' one of {Kinds}, 'at' local time ({ActivityTime.Accepted}).
                Each bad row is reported as FILE:LINE: column 'x': message and skipped; the good rows go in one transaction.
                Importing the same rows again adds nothing. Exits 1 when any row was rejected.
                """,
        }.With(dryRun, file).Runs(context, async (run, cancellationToken) =>
        {
            var name = run.Get(file);
            var outcome = await run.Service<ActivityService>().ImportAsync(run.FullPath(name), name, run.Get(dryRun), cancellationToken).ConfigureAwait(false);
            foreach (var reject in outcome.Rejects)
            {
                run.Error.WriteLine(reject.ToString());
            }

            run.Out.WriteLine(run.Get(dryRun)
                ? string.Create(CultureInfo.InvariantCulture, $"Dry run: would import {outcome.Entries.Count:N0}, rejected {outcome.RejectedRows:N0}; nothing written.")
                : string.Create(CultureInfo.InvariantCulture,
                    $"imported {outcome.Added:N0}, rejected {outcome.RejectedRows:N0}{(outcome.AlreadyPresent > 0 ? $", already present {outcome.AlreadyPresent:N0}" : "")}"));
            return outcome.Rejects.Count > 0 ? 1 : 0;
        });
    }
}
