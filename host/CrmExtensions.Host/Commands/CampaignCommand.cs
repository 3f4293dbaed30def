using System.Globalization;
using CrmExtensions.Application.Campaigns;
using CrmExtensions.Host.Cli;
using CrmExtensions.Mail.Campaigns;
using CrmExtensions.Mail.Outbox;
using CrmExtensions.Store.Campaigns;

namespace CrmExtensions.Host.Commands;

/// <summary><c>crmx campaign …</c>: render a template pack for real clients, send it to a segment, follow it up.</summary>
internal static class CampaignCommand
{
    private const string TemplateDetails =
        "TEMPLATE is a template pack folder (pack.json, subject, HTML and/or text body per locale), or the name of one in " +
        "'campaigns/' or in the plugins folder beside crmx.json. The pack is checked in full before anything renders.";

    public static CrmxCommand Create(CommandContext context) =>
        new CrmxCommand("campaign", "Render a template pack for real clients, send it to a segment, see how a campaign stands.")
            .With(Preview(context), Test(context), Send(context), Status(context));

    private static System.CommandLine.Option<string?> Locale() => Opt.Text("--locale", "LOCALE", "ru-RU or en (default: the pack's first locale)");

    private static System.CommandLine.Option<string?> Client() => Opt.Text("--client", "CLIENT", "a client id, an INN, LEDGER:ID or part of a name", required: true);

    /// <summary>Prints a rendered mail: headers, then the text body (or the HTML body when there is no text).</summary>
    private static void PrintMail(TextWriter output, OutboxMessage message)
    {
        output.WriteLine($"To: {(message.ToName is null ? message.To : $"{message.ToName} <{message.To}>")}");
        output.WriteLine($"Subject: {message.Subject}");
        output.WriteLine($"Key: {message.BusinessKey}    Category: {message.Category.ToString().ToLowerInvariant()}    " +
            $"Bodies: {(message.TextBody is null ? "" : "text ")}{(message.HtmlBody is null ? "" : "HTML")}");
        output.WriteLine();
        output.WriteLine((message.TextBody ?? message.HtmlBody ?? "").TrimEnd());
    }

    private static CrmxCommand Preview(CommandContext context)
    {
        var client = Client();
        var locale = Locale();
        var html = Opt.Flag("--html", "print the HTML body");
        var template = Opt.One("TEMPLATE");
        return new CrmxCommand("preview", "Render a template pack for a real client and print the mail; nothing is queued.")
        {
            Details = TemplateDetails + " Add --html to print the HTML body instead of the text.",
        }.With(client, locale, html, template).Runs(context, async (run, cancellationToken) =>
        {
            var message = await run.Service<CampaignService>().PreviewAsync(run.Get(template), run.Get(client)!, run.Get(locale), cancellationToken).ConfigureAwait(false);
            PrintMail(run.Out, run.Get(html) ? message with { TextBody = null } : message);
            return 0;
        });
    }

    private static CrmxCommand Test(CommandContext context)
    {
        var client = Client();
        var to = Opt.Text("--to", "ADDRESS", "where to send the test mail", required: true);
        var locale = Locale();
        var template = Opt.One("TEMPLATE");
        return new CrmxCommand("test", "Render a template pack for a real client and queue it to a test address.")
        {
            Details = TemplateDetails + " The mail is queued under a key of its own (test:…), so it never counts as the client's campaign mail.",
        }.With(client, to, locale, template).Runs(context, async (run, cancellationToken) =>
        {
            var address = run.Get(to)!;
            if (!MimeKit.MailboxAddress.TryParse(address, out _) || !address.Contains('@', StringComparison.Ordinal))
            {
                throw new UsageException($"--to '{address}' is not an e-mail address");
            }

            var message = await run.Service<CampaignService>().TestAsync(run.Get(template), run.Get(client)!, address, run.Get(locale), cancellationToken)
                .ConfigureAwait(false);
            run.Out.WriteLine($"Queued a test mail to {address} ({message.BusinessKey}): {message.Subject}");
            return 0;
        });
    }

    private static CrmxCommand Send(CommandContext context)
    {
        var segment = Opt.Repeated("--segment", "KIND=VALUE", "a condition on clients; repeat to AND them");
        var id = Opt.Text("--id", "ID", "the campaign id (default: TEMPLATE-YYYY-MM-DD)");
        var locale = Locale();
        var dryRun = Opt.Flag("--dry-run", "print counts and the first mail; queue nothing");
        var holdout = Opt.OptionalInt("--holdout", "PERCENT", "the share of the segment kept back as a control group, never mailed (default: 10; 0: none)", 0, 90);
        var template = Opt.One("TEMPLATE");
        return new CrmxCommand("send", "Render a template pack for every client of a segment and queue one mail each.")
        {
            Details = TemplateDetails + $"""

                 --segment KIND=VALUE selects clients; several --segment AND together; none selects every client.
                 Kinds: {Segment.Usage}. Stages and tags are client tags that plugins write.
                 Each mail is queued once per client and campaign (key campaign:ID:CLIENT): sending the same campaign again
                 queues nothing new. Clients without an e-mail address are counted and listed as skipped.
                 Marketing packs are not sent to clients with unresolved problems (overdue debt over marketing:overdueThreshold
                 in crmx.json, default any; an open complaint): they are counted and listed as held back. marketing:holdBackProblems
                 false turns the rule off. Transactional packs are not affected.
                 --holdout PERCENT keeps that share of the other clients back as a control group (default 10, 0 for none), drawn
                 by a hash of the campaign id and the client, so the same campaign always keeps the same clients back; they are
                 never mailed. Every client's group and the send day are recorded by the first send, for 'crmx report campaign ID'.
                 --dry-run prints the counts and the first rendered mail and writes nothing.
                 """,
        }.With(segment, id, locale, dryRun, holdout, template).Runs(context, async (run, cancellationToken) =>
        {
            var send = new CampaignSendRequest(run.Get(template), (run.Get(segment) ?? []).Select(Segment.Parse).ToList(), run.Get(id), run.Get(locale), run.Get(dryRun))
            {
                HoldoutPercent = run.Get(holdout),
            };
            var (request, result) = await run.Service<CampaignService>().SendAsync(send, cancellationToken).ConfigureAwait(false);
            Print(run.Out, request, result);
            return 0;
        });
    }

    private static void Print(TextWriter output, CampaignRequest request, CampaignResult result)
    {
        var segments = request.Segments.Count == 0 ? "every client" : string.Join(" AND ", request.Segments);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Campaign '{result.Id}' ({request.Pack.Name}), segment {segments}: {result.Selected:N0} client(s), {result.Messages.Count:N0} with an address, {result.SkippedClients.Count:N0} skipped without one."));
        if (result.SkippedClients.Count > 0)
        {
            output.WriteLine("  skipped (no e-mail address): " + string.Join(", ", result.SkippedClients.Take(20)) + (result.SkippedClients.Count > 20 ? ", …" : ""));
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Held back: unresolved problems: {result.HeldBack.Count:N0} client(s)."));
        foreach (var problem in result.HeldBack.Take(20))
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {problem.ClientId}: {problem.Reason}"));
        }

        if (result.HeldBack.Count > 20)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  … and {result.HeldBack.Count - 20:N0} more ('crmx campaign status {result.Id}' lists them all)."));
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Control group: {result.ControlClients.Count:N0} client(s) kept back, never mailed; {result.Messages.Count:N0} to mail."));

        if (request.DryRun)
        {
            output.WriteLine("Dry run: nothing queued.");
            if (result.Messages.Count > 0)
            {
                output.WriteLine();
                output.WriteLine("First mail:");
                PrintMail(output, result.Messages[0]);
            }
        }
        else
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Queued {result.Queued:N0} new mail(s); {result.AlreadyQueued:N0} were queued by an earlier send."));
        }
    }

    private static CrmxCommand Status(CommandContext context)
    {
        var id = Opt.One("ID");
        return new CrmxCommand("status", "Show how many mails of a campaign are in each outbox status, its groups, and the clients held back.")
        {
            Details = "Groups are recorded by the campaign's first send: mailed, control (kept back, never mailed) and held back " +
                "(unresolved problems: overdue debt or an open complaint), each held back client listed with why.",
        }.With(id).Runs(context, async (run, cancellationToken) =>
        {
            var campaign = run.Get(id);
            var report = await run.Service<CampaignService>().StatusAsync(campaign, cancellationToken).ConfigureAwait(false);
            run.Out.WriteLine($"Campaign '{campaign}':");
            foreach (var (status, count) in report.Statuses)
            {
                run.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {status,-10} {count,8:N0}"));
            }

            run.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {"total",-10} {report.Statuses.Sum(r => r.Count),8:N0}"));
            if (report.Groups.Count > 0)
            {
                run.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"Sent on {report.Groups[0].SentOn:yyyy-MM-dd}: {report.Count(CampaignGroups.Mailed):N0} mailed, {report.Count(CampaignGroups.Control):N0} in the control group, " +
                    $"held back: unresolved problems: {report.HeldBack.Count:N0}."));
                foreach (var held in report.HeldBack)
                {
                    run.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {held.ClientId}: {held.Reason}"));
                }
            }

            return 0;
        });
    }
}
