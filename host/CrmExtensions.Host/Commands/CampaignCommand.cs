using System.Globalization;
using CrmExtensions.Mail.Campaigns;
using CrmExtensions.Mail.Consent;
using CrmExtensions.Mail.Model;
using CrmExtensions.Mail.Outbox;
using CrmExtensions.Mail.Templates;
using CrmExtensions.Store;
using CrmExtensions.Store.Clients;

namespace CrmExtensions.Host.Commands;

/// <summary><c>crmx campaign …</c>: render a template pack for real clients, send it to a segment, follow it up.</summary>
internal sealed class CampaignCommand : CommandSpec
{
    /// <summary>The folder of the configuration where packs are found by name.</summary>
    public const string PacksDirectory = "campaigns";

    public override string Name => "campaign";

    public override string Summary => "Render a template pack for real clients, send it to a segment, see how a campaign stands.";

    public override IReadOnlyList<CommandSpec> Subcommands { get; } = [new PreviewCommand(), new TestCommand(), new SendCommand(), new StatusCommand()];

    private static readonly OptionSpec Locale = new("locale", "LOCALE", "ru-RU or en (default: the pack's first locale)");

    private static readonly OptionSpec Client = new("client", "CLIENT", "a client id, an INN, LEDGER:ID or part of a name");

    private const string TemplateDetails =
        "TEMPLATE is a template pack folder (pack.json, subject, HTML and/or text body per locale), or the name of one in " +
        "'campaigns/' or in the plugins folder beside crmx.json. The pack is checked in full before anything renders.";

    /// <summary>The pieces every subcommand needs, from the configuration.</summary>
    private sealed record Setup(Workspace Workspace, TemplatePack Pack, CampaignRunner Runner, OutboxCampaignOutbox Outbox, DateOnly Today);

    private static Setup Open(CommandContext context, ParsedArguments arguments, string template)
    {
        var workspace = Workspace.Open(context, arguments, requireLedgers: false);
        workspace.Store.Migrate();
        return For(workspace, LoadPack(workspace, template), DateOnly.FromDateTime(context.Time.GetLocalNow().DateTime));
    }

    private static Setup For(Workspace workspace, TemplatePack pack, DateOnly today)
    {
        var mail = workspace.Configuration.Mail;
        var outbox = new OutboxCampaignOutbox(new OutboxStore(workspace.Store), UnsubscribeLinks.FromOptions(mail.Unsubscribe, workspace.Store.Time));
        var sender = new MailSender(mail.Company, mail.From, mail.Phone, mail.Website);
        var models = new MailModelBuilder(workspace.Store, sender, outbox.UnsubscribeUrl);
        return new Setup(workspace, pack, new CampaignRunner(workspace.Store, models, outbox), outbox, today);
    }

    /// <summary>
    /// <c>crmx demo</c>'s campaign step: installs the sample pack into <c>campaigns/</c>, sends it to the clients with
    /// overdue invoices, and writes the mails as .eml files into the pickup folder.
    /// </summary>
    internal static void Demo(CommandContext context, Workspace workspace, DateOnly today)
    {
        var target = Path.Combine(workspace.Configuration.BaseDirectory, PacksDirectory, "statement");
        var source = Path.Combine(AppContext.BaseDirectory, PacksDirectory, "statement");
        if (!TemplatePack.IsPack(target) && TemplatePack.IsPack(source))
        {
            foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
            {
                var copy = Path.Combine(target, Path.GetRelativePath(source, file));
                Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
                File.Copy(file, copy);
            }
        }

        var setup = For(workspace, LoadPack(workspace, "statement"), today);
        var request = new CampaignRequest("demo-statement", setup.Pack, [Segment.Parse("overdue=yes")]);
        var result = setup.Runner.RunAsync(request, today, context.Cancellation).GetAwaiter().GetResult();
        context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"   campaign '{result.Id}' ({Path.GetRelativePath(workspace.Configuration.BaseDirectory, target)}) to clients with overdue invoices: " +
            $"{result.Selected:N0} clients, {result.Messages.Count:N0} with an address, {result.SkippedClients.Count:N0} skipped; {result.Queued:N0} newly queued in the outbox"));
    }

    /// <summary>Finds and loads a pack: a folder path, else a name under <c>campaigns/</c> or the plugins folder.</summary>
    internal static TemplatePack LoadPack(Workspace workspace, string template)
    {
        var baseDirectory = workspace.Configuration.BaseDirectory;
        string[] candidates =
        [
            Path.GetFullPath(template, baseDirectory),
            Path.Combine(baseDirectory, PacksDirectory, template),
            Path.Combine(Path.GetFullPath(workspace.Configuration.Plugins.Directory, baseDirectory), template),
        ];
        var directory = candidates.FirstOrDefault(TemplatePack.IsPack)
            ?? throw new CrmException($"No template pack '{template}': looked for pack.json in {string.Join(", ", candidates.Distinct())}.");
        try
        {
            return TemplatePack.Load(directory, MailModel.Variables);
        }
        catch (TemplateErrorsException ex)
        {
            throw new CrmException($"Template pack '{template}' has {ex.Errors.Count} problem(s):{Environment.NewLine}  " +
                string.Join(Environment.NewLine + "  ", ex.Errors), ex);
        }
    }

    private static long ResolveClient(Workspace workspace, string term)
    {
        var found = new ClientStore(workspace.Store).FindClients(term);
        return found.Count switch
        {
            1 => found[0].ClientId,
            0 => throw new CrmException($"No client matches '{term}' (a client id, an INN, LEDGER:ID or part of a name). Has 'crmx unify' run?"),
            _ => throw new CrmException($"'{term}' matches {found.Count} clients: " +
                string.Join("; ", found.Take(10).Select(c => $"{c.ClientId} {c.DisplayName}")) + ". Name one by its id."),
        };
    }

    /// <summary>Prints a rendered mail: headers, then the text body (or the HTML body when there is no text).</summary>
    internal static void PrintMail(TextWriter output, OutboxMessage message)
    {
        output.WriteLine($"To: {(message.ToName is null ? message.To : $"{message.ToName} <{message.To}>")}");
        output.WriteLine($"Subject: {message.Subject}");
        output.WriteLine($"Key: {message.BusinessKey}    Category: {message.Category.ToString().ToLowerInvariant()}    " +
            $"Bodies: {(message.TextBody is null ? "" : "text ")}{(message.HtmlBody is null ? "" : "HTML")}");
        output.WriteLine();
        output.WriteLine((message.TextBody ?? message.HtmlBody ?? "").TrimEnd());
    }

    private sealed class PreviewCommand : CommandSpec
    {
        public override string Name => "preview";

        public override string Summary => "Render a template pack for a real client and print the mail; nothing is queued.";

        public override string? ArgumentsUsage => "TEMPLATE";

        public override string Details => TemplateDetails + " Add --html to print the HTML body instead of the text.";

        public override IReadOnlyList<OptionSpec> Options => [Client, Locale, new("html", null, "print the HTML body")];

        public override int Execute(CommandContext context, ParsedArguments arguments)
        {
            var setup = Open(context, arguments, arguments.Single("TEMPLATE"));
            var term = arguments.Get("client") ?? throw new UsageException("--client is required: the client to render for");
            var clientId = ResolveClient(setup.Workspace, term);
            var request = new CampaignRequest(CampaignRequest.DefaultId(setup.Pack, setup.Today), setup.Pack, [], arguments.Get("locale"));
            var message = setup.Runner.Preview(request, clientId, setup.Today, to: null);
            PrintMail(context.Out, arguments.Has("html") ? message with { TextBody = null } : message);
            return 0;
        }
    }

    private sealed class TestCommand : CommandSpec
    {
        public override string Name => "test";

        public override string Summary => "Render a template pack for a real client and queue it to a test address.";

        public override string? ArgumentsUsage => "TEMPLATE";

        public override string Details => TemplateDetails + " The mail is queued under a key of its own (test:…), so it never counts as the client's campaign mail.";

        public override IReadOnlyList<OptionSpec> Options => [Client, new("to", "ADDRESS", "where to send the test mail"), Locale];

        public override int Execute(CommandContext context, ParsedArguments arguments)
        {
            var setup = Open(context, arguments, arguments.Single("TEMPLATE"));
            var term = arguments.Get("client") ?? throw new UsageException("--client is required: the client to render for");
            var to = arguments.Get("to") ?? throw new UsageException("--to is required: the address to send the test mail to");
            if (!MimeKit.MailboxAddress.TryParse(to, out _) || !to.Contains('@', StringComparison.Ordinal))
            {
                throw new UsageException($"--to '{to}' is not an e-mail address");
            }

            var request = new CampaignRequest(CampaignRequest.DefaultId(setup.Pack, setup.Today), setup.Pack, [], arguments.Get("locale"));
            var message = setup.Runner.TestAsync(request, ResolveClient(setup.Workspace, term), to, setup.Today, context.Cancellation).GetAwaiter().GetResult();
            context.Out.WriteLine($"Queued a test mail to {to} ({message.BusinessKey}): {message.Subject}");
            return 0;
        }
    }

    private sealed class SendCommand : CommandSpec
    {
        public override string Name => "send";

        public override string Summary => "Render a template pack for every client of a segment and queue one mail each.";

        public override string? ArgumentsUsage => "TEMPLATE";

        public override string Details => TemplateDetails + $"""

             --segment KIND=VALUE selects clients; several --segment AND together; none selects every client.
             Kinds: {Segment.Usage}. Stages and tags are client tags that plugins write.
             Each mail is queued once per client and campaign (key campaign:ID:CLIENT): sending the same campaign again
             queues nothing new. Clients without an e-mail address are counted and listed as skipped.
             --dry-run prints the counts and the first rendered mail and writes nothing.
             """;

        public override IReadOnlyList<OptionSpec> Options =>
        [
            new("segment", "KIND=VALUE", "a condition on clients; repeat to AND them") { Repeatable = true },
            new("id", "ID", "the campaign id (default: TEMPLATE-YYYY-MM-DD)"),
            Locale,
            new("dry-run", null, "print counts and the first mail; queue nothing"),
        ];

        public override int Execute(CommandContext context, ParsedArguments arguments)
        {
            var setup = Open(context, arguments, arguments.Single("TEMPLATE"));
            var segments = arguments.GetAll("segment").Select(Segment.Parse).ToList();
            var request = new CampaignRequest(arguments.Get("id") ?? CampaignRequest.DefaultId(setup.Pack, setup.Today), setup.Pack, segments,
                arguments.Get("locale"), arguments.Has("dry-run"));
            var result = setup.Runner.RunAsync(request, setup.Today, context.Cancellation).GetAwaiter().GetResult();
            Print(context.Out, request, result);
            return 0;
        }

        public static void Print(TextWriter output, CampaignRequest request, CampaignResult result)
        {
            var segments = request.Segments.Count == 0 ? "every client" : string.Join(" AND ", request.Segments);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Campaign '{result.Id}' ({request.Pack.Name}), segment {segments}: {result.Selected:N0} client(s), {result.Messages.Count:N0} with an address, {result.SkippedClients.Count:N0} skipped without one."));
            if (result.SkippedClients.Count > 0)
            {
                output.WriteLine("  skipped (no e-mail address): " + string.Join(", ", result.SkippedClients.Take(20)) + (result.SkippedClients.Count > 20 ? ", …" : ""));
            }

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
    }

    private sealed class StatusCommand : CommandSpec
    {
        public override string Name => "status";

        public override string Summary => "Show how many mails of a campaign are in each outbox status.";

        public override string? ArgumentsUsage => "ID";

        public override int Execute(CommandContext context, ParsedArguments arguments)
        {
            var id = arguments.Single("ID");
            var workspace = Workspace.Open(context, arguments, requireLedgers: false);
            workspace.Store.Migrate();
            using var store = new OutboxStore(workspace.Store);
            var rows = new OutboxCampaignOutbox(store, null).Status("campaign:" + id);
            if (rows.Count == 0)
            {
                throw new CrmException($"No mail of campaign '{id}' in the outbox; 'crmx campaign send TEMPLATE --id {id}' queues it.");
            }

            context.Out.WriteLine($"Campaign '{id}':");
            foreach (var (status, count) in rows)
            {
                context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {status,-10} {count,8:N0}"));
            }

            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {"total",-10} {rows.Sum(r => r.Count),8:N0}"));
            return 0;
        }
    }
}
