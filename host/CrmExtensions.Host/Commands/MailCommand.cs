using System.Globalization;
using CrmExtensions.Host.Configuration;
using CrmExtensions.Mail.Consent;
using CrmExtensions.Mail.Delivery;
using CrmExtensions.Mail.Outbox;
using CrmExtensions.Store;

namespace CrmExtensions.Host.Commands;

/// <summary><c>crmx mail …</c>: send the outbox, see what happened to it, and keep the suppression list.</summary>
internal sealed class MailCommand : CommandSpec
{
    public override string Name => "mail";

    public override string Summary => "Send the outbox (SMTP or pickup folder), see its state, retry, and manage unsubscribes.";

    public override IReadOnlyList<CommandSpec> Subcommands { get; } =
    [
        new DispatchCommand(), new StatusCommand(), new RetryCommand(), new UnsubscribeCommand(), new SuppressCommand(), new SuppressionsCommand(),
    ];

    private static Workspace Open(CommandContext context, ParsedArguments arguments)
    {
        var workspace = Workspace.Open(context, arguments, requireLedgers: false);
        workspace.Store.Migrate();
        return workspace;
    }

    /// <summary>A dispatcher configured from <c>mail</c> in <c>crmx.json</c>; what <c>crmx run</c> and the demo use too.</summary>
    internal static MailDispatcher Dispatcher(CommandContext context, Workspace workspace, int batchSize = 50, TimeSpan? lease = null)
    {
        var mail = workspace.Configuration.Mail;
        return new MailDispatcher(workspace.Store, new DispatchOptions
        {
            From = mail.From,
            Smtp = mail.Smtp is { Host.Length: > 0 } smtp ? smtp : null,
            PickupDirectory = Path.GetFullPath(mail.PickupDirectory, workspace.Configuration.BaseDirectory),
            Unsubscribe = UnsubscribeLinks.FromOptions(mail.Unsubscribe, context.Time),
            BatchSize = batchSize,
            Lease = lease ?? TimeSpan.FromMinutes(2),
        });
    }

    internal static string Describe(DispatchSummary s) => string.Create(CultureInfo.InvariantCulture,
        $"{s.Sent:N0} sent, {s.Retried:N0} to retry later, {s.Failed:N0} failed, {s.Unknown:N0} unknown, {s.Suppressed:N0} suppressed");

    private static UnsubscribeLinks Links(CommandContext context, CrmConfiguration configuration) =>
        UnsubscribeLinks.FromOptions(configuration.Mail.Unsubscribe, context.Time)
        ?? throw new CrmException("No unsubscribe secret is configured: set 'mail:unsubscribe:secret' (or CRMX__mail__unsubscribe__secret) to the one the links were signed with.");

    private sealed class DispatchCommand : CommandSpec
    {
        public override string Name => "dispatch";

        public override string Summary => "Send queued mail: claims rows under leases, so several processes can share the work.";

        public override string Details =>
            """
            Without --once it runs until Ctrl+C or SIGTERM: the mail in flight is finished and unstarted claims are given
            back. A mail whose connection dropped after SMTP DATA began is marked 'unknown' and never re-sent blindly:
            'crmx mail status --unknown' lists them, 'crmx mail retry ID' sends one again.
            """;

        public override IReadOnlyList<OptionSpec> Options =>
        [
            new("once", null, "stop when the outbox is drained"),
            new("batch", "N", "rows per claim (default 50)"),
            new("lease", "SECONDS", "how long a claim holds before another dispatcher may take it back (default 120)"),
        ];

        public override int Execute(CommandContext context, ParsedArguments arguments)
        {
            arguments.NoPositional();
            var workspace = Open(context, arguments);
            var dispatcher = Dispatcher(context, workspace, arguments.GetInt("batch", 50, 1, 1000),
                TimeSpan.FromSeconds(arguments.GetInt("lease", 120, 1, 86_400)));
            var summary = dispatcher.RunAsync(arguments.Has("once"), context.Cancellation).GetAwaiter().GetResult();
            context.Out.WriteLine(Describe(summary));
            if (summary.Unknown > 0)
            {
                context.Out.WriteLine("Some mail may or may not have been delivered: see 'crmx mail status --unknown'.");
            }

            return 0;
        }
    }

    private sealed class StatusCommand : CommandSpec
    {
        public override string Name => "status";

        public override string Summary => "Count outbox rows per status; --unknown lists the mails whose delivery is unknown.";

        public override IReadOnlyList<OptionSpec> Options =>
            [new("unknown", null, "list the mails marked unknown, to decide on"), new("source", "SOURCE", "only mail queued by this plugin or campaign")];

        public override int Execute(CommandContext context, ParsedArguments arguments)
        {
            arguments.NoPositional();
            var outbox = new OutboxStore(Open(context, arguments).Store);
            var source = arguments.Get("source");
            if (arguments.Has("unknown"))
            {
                var unknown = outbox.ListUnknownAsync(source, context.Cancellation).GetAwaiter().GetResult();
                context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{unknown.Count:N0} {(unknown.Count == 1 ? "mail" : "mails")} with unknown delivery"));
                foreach (var u in unknown)
                {
                    context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{u.Id,8}  {u.BusinessKey}  {u.ToAddress}  {u.Subject}  (DATA began {u.DataStartedAt ?? "?"})"));
                }

                return 0;
            }

            var counts = outbox.CountByStatusAsync(source, context.Cancellation).GetAwaiter().GetResult();
            foreach (var status in OutboxStatus.All)
            {
                context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{status,-11} {counts.GetValueOrDefault(status),10:N0}"));
            }

            return 0;
        }
    }

    private sealed class RetryCommand : CommandSpec
    {
        public override string Name => "retry";

        public override string Summary => "Queue an 'unknown' or 'failed' mail again: a person decided it should be sent.";

        public override string? ArgumentsUsage => "ID";

        public override int Execute(CommandContext context, ParsedArguments arguments)
        {
            var text = arguments.Single("ID");
            if (!long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id))
            {
                throw new UsageException($"ID is the outbox id 'crmx mail status --unknown' shows, not '{text}'");
            }

            new OutboxStore(Open(context, arguments).Store).RetryAsync(id, context.Cancellation).GetAwaiter().GetResult();
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Mail {id} is queued again; the next 'crmx mail dispatch' sends it."));
            return 0;
        }
    }

    private sealed class UnsubscribeCommand : CommandSpec
    {
        public override string Name => "unsubscribe";

        public override string Summary => "Honour an unsubscribe link (what the web endpoint calls): checks its signature, suppresses the address.";

        public override string? ArgumentsUsage => "TOKEN|LINK";

        public override int Execute(CommandContext context, ParsedArguments arguments)
        {
            var token = arguments.Single("TOKEN");
            var workspace = Open(context, arguments);
            var request = Links(context, workspace.Configuration).Verify(token);
            new SuppressionList(workspace.Store).AddAsync(request.Address, request.ClientId, "unsubscribe", "link", context.Cancellation).GetAwaiter().GetResult();
            context.Out.WriteLine($"{request.Address} is unsubscribed" +
                (request.ClientId is { } client ? string.Create(CultureInfo.InvariantCulture, $" (client {client})") : "") + ": no more marketing mail.");
            return 0;
        }
    }

    private sealed class SuppressCommand : CommandSpec
    {
        public override string Name => "suppress";

        public override string Summary => "Put an address on the suppression list by hand: it gets no marketing mail.";

        public override string? ArgumentsUsage => "ADDRESS";

        public override IReadOnlyList<OptionSpec> Options => [new("client", "ID", "also suppress every address of this client"), new("note", "TEXT", "why, for the record")];

        public override int Execute(CommandContext context, ParsedArguments arguments)
        {
            var address = arguments.Single("ADDRESS");
            var client = arguments.Has("client") ? arguments.GetInt("client", 0, 1, int.MaxValue) : (long?)null;
            new SuppressionList(Open(context, arguments).Store).AddAsync(address, client, "manual", arguments.Get("note"), context.Cancellation).GetAwaiter().GetResult();
            context.Out.WriteLine($"{SuppressionList.Normalize(address)} is suppressed: no more marketing mail.");
            return 0;
        }
    }

    private sealed class SuppressionsCommand : CommandSpec
    {
        public override string Name => "suppressions";

        public override string Summary => "List the suppression list, oldest first.";

        public override int Execute(CommandContext context, ParsedArguments arguments)
        {
            arguments.NoPositional();
            var list = new SuppressionList(Open(context, arguments).Store).ListAsync(context.Cancellation).GetAwaiter().GetResult();
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{list.Count:N0} suppressed"));
            foreach (var s in list)
            {
                var client = s.ClientId is { } id ? string.Create(CultureInfo.InvariantCulture, $"client {id}") : null;
                context.Out.WriteLine(string.Join("  ", new[] { s.CreatedAt, s.Address, s.Reason, client, s.Source }.Where(p => !string.IsNullOrEmpty(p))));
            }

            return 0;
        }
    }
}
