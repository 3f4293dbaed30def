using System.Globalization;
using CrmExtensions.Application.Mail;
using CrmExtensions.Host.Cli;
using CrmExtensions.Mail.Consent;
using CrmExtensions.Mail.Delivery;
using CrmExtensions.Mail.Outbox;

namespace CrmExtensions.Host.Commands;

/// <summary><c>crmx mail …</c>: send the outbox, see what happened to it, and keep the suppression list.</summary>
internal static class MailCommand
{
    public static CrmxCommand Create(CommandContext context) =>
        new CrmxCommand("mail", "Send the outbox (SMTP or pickup folder), see its state, retry, and manage unsubscribes.")
            .With(Dispatch(context), Status(context), Retry(context), Unsubscribe(context), Suppress(context), Suppressions(context));

    private static CrmxCommand Dispatch(CommandContext context)
    {
        var once = Opt.Flag("--once", "stop when the outbox is drained");
        var batch = Opt.Int("--batch", "N", "rows per claim (default 50)", 50, 1, 1000);
        var lease = Opt.Int("--lease", "SECONDS", "how long a claim holds before another dispatcher may take it back (default 120)", 120, 1, 86_400);
        return new CrmxCommand("dispatch", "Send queued mail: claims rows under leases, so several processes can share the work.")
        {
            Details = """
                Without --once it runs until Ctrl+C or SIGTERM: the mail in flight is finished and unstarted claims are given
                back. A mail whose connection dropped after SMTP DATA began is marked 'unknown' and never re-sent blindly:
                'crmx mail status --unknown' lists them, 'crmx mail retry ID' sends one again.
                """,
        }.With(once, batch, lease).Runs(context, async (run, cancellationToken) =>
        {
            var summary = await run.Service<MailService>().DispatchAsync(run.Get(once), run.Get(batch), TimeSpan.FromSeconds(run.Get(lease)), cancellationToken)
                .ConfigureAwait(false);
            run.Out.WriteLine(MailService.Describe(summary));
            if (summary.Unknown > 0)
            {
                run.Out.WriteLine("Some mail may or may not have been delivered: see 'crmx mail status --unknown'.");
            }

            return 0;
        });
    }

    private static CrmxCommand Status(CommandContext context)
    {
        var unknown = Opt.Flag("--unknown", "list the mails marked unknown, to decide on");
        var source = Opt.Text("--source", "SOURCE", "only mail queued by this plugin or campaign");
        return new CrmxCommand("status", "Count outbox rows per status; --unknown lists the mails whose delivery is unknown.").With(unknown, source).Runs(context, async (run, cancellationToken) =>
        {
            var mail = run.Service<MailService>();
            if (run.Get(unknown))
            {
                var rows = await mail.ListUnknownAsync(run.Get(source), cancellationToken).ConfigureAwait(false);
                run.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{rows.Count:N0} {(rows.Count == 1 ? "mail" : "mails")} with unknown delivery"));
                foreach (var u in rows)
                {
                    run.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{u.Id,8}  {u.BusinessKey}  {u.ToAddress}  {u.Subject}  (DATA began {u.DataStartedAt ?? "?"})"));
                }

                return 0;
            }

            var counts = await mail.CountByStatusAsync(run.Get(source), cancellationToken).ConfigureAwait(false);
            foreach (var status in OutboxStatus.All)
            {
                run.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{status,-11} {counts.GetValueOrDefault(status),10:N0}"));
            }

            if (counts.GetValueOrDefault(OutboxStatus.Held) > 0)
            {
                run.Out.WriteLine("held: " + MailDispatcher.HeldReason);
            }

            return 0;
        });
    }

    private static CrmxCommand Retry(CommandContext context)
    {
        var id = Opt.One("ID");
        return new CrmxCommand("retry", "Queue an 'unknown' or 'failed' mail again: a person decided it should be sent.").With(id).Runs(context, async (run, cancellationToken) =>
        {
            var text = run.Get(id);
            if (!long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number))
            {
                throw new UsageException($"ID is the outbox id 'crmx mail status --unknown' shows, not '{text}'");
            }

            await run.Service<MailService>().RetryAsync(number, cancellationToken).ConfigureAwait(false);
            run.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Mail {number} is queued again; the next 'crmx mail dispatch' sends it."));
            return 0;
        });
    }

    private static CrmxCommand Unsubscribe(CommandContext context)
    {
        var token = Opt.One("TOKEN|LINK");
        return new CrmxCommand("unsubscribe", "Honour an unsubscribe link (what the web endpoint calls): checks its signature, suppresses the address.").With(token).Runs(context, async (run, cancellationToken) =>
        {
            var request = await run.Service<MailService>().UnsubscribeAsync(run.Get(token), cancellationToken).ConfigureAwait(false);
            run.Out.WriteLine($"{request.Address} is unsubscribed" +
                (request.ClientId is { } client ? string.Create(CultureInfo.InvariantCulture, $" (client {client})") : "") + ": no more marketing mail.");
            return 0;
        });
    }

    private static CrmxCommand Suppress(CommandContext context)
    {
        var client = Opt.OptionalInt("--client", "ID", "also suppress every address of this client", 1, int.MaxValue);
        var note = Opt.Text("--note", "TEXT", "why, for the record");
        var address = Opt.One("ADDRESS");
        return new CrmxCommand("suppress", "Put an address on the suppression list by hand: it gets no marketing mail.").With(client, note, address).Runs(context, async (run, cancellationToken) =>
        {
            var a = run.Get(address);
            await run.Service<MailService>().SuppressAsync(a, run.Get(client), run.Get(note), cancellationToken).ConfigureAwait(false);
            run.Out.WriteLine($"{SuppressionList.Normalize(a)} is suppressed: no more marketing mail.");
            return 0;
        });
    }

    private static CrmxCommand Suppressions(CommandContext context)
    {
        return new CrmxCommand("suppressions", "List the suppression list, oldest first.").Runs(context, async (run, cancellationToken) =>
        {
            var list = await run.Service<MailService>().SuppressionsAsync(cancellationToken).ConfigureAwait(false);
            run.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{list.Count:N0} suppressed"));
            foreach (var s in list)
            {
                var client = s.ClientId is { } id ? string.Create(CultureInfo.InvariantCulture, $"client {id}") : null;
                run.Out.WriteLine(string.Join("  ", new[] { s.CreatedAt, s.Address, s.Reason, client, s.Source }.Where(p => !string.IsNullOrEmpty(p))));
            }

            return 0;
        });
    }
}
