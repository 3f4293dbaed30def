using System.Globalization;
using CrmExtensions.Store;
using CrmExtensions.Store.Activities;
using CrmExtensions.Store.Clients;
using CrmExtensions.Store.Deals;

namespace CrmExtensions.Host.Commands;

/// <summary><c>crmx activity …</c>: the contact log — record, list and import calls, meetings, letters, e-mails and notes.</summary>
internal sealed class ActivityCommand : CommandSpec
{
    public override string Name => "activity";

    public override string Summary => "The contact log: record, list and import calls, meetings, letters, e-mails, web forms and notes on clients.";

    public override IReadOnlyList<CommandSpec> Subcommands { get; } = [new AddCommand(), new ListCommand(), new ImportCommand()];

    private static readonly string Kinds = string.Join(", ", ActivityKinds.All);

    private static CrmStore OpenStore(CommandContext context, ParsedArguments arguments)
    {
        var workspace = Workspace.Open(context, arguments, requireLedgers: false);
        workspace.Store.Migrate();
        return workspace.Store;
    }

    /// <summary>Prints the "Last contact" section: kind, how long ago, when, manager, subject and outcome.</summary>
    internal static void PrintLastContact(TextWriter output, CrmStore store, TimeProvider time, long clientId, int count = 5, string indent = "")
    {
        var rows = new ActivityStore(store).ListForClient(clientId, count);
        if (rows.Count == 0)
        {
            output.WriteLine($"{indent}  Last contact: none recorded ('crmx activity add' records one).");
            return;
        }

        output.WriteLine($"{indent}  Last contact:");
        var now = time.GetUtcNow();
        foreach (var a in rows)
        {
            output.WriteLine($"{indent}    {a.Kind,-10} {Relative(a.When, now, time.LocalTimeZone),-12} {Local(a.When, time)}  {a.Manager ?? "-"}  {Text(a)}");
        }
    }

    /// <summary>"today", "yesterday", "3 days ago", "tomorrow", "in 2 days", by calendar days in the local time zone.</summary>
    internal static string Relative(DateTimeOffset when, DateTimeOffset now, TimeZoneInfo zone)
    {
        var days = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime).DayNumber - DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(when, zone).DateTime).DayNumber;
        return days switch
        {
            0 => "today",
            1 => "yesterday",
            -1 => "tomorrow",
            < 0 => string.Create(CultureInfo.InvariantCulture, $"in {-days} days"),
            _ => string.Create(CultureInfo.InvariantCulture, $"{days} days ago"),
        };
    }

    internal static string Local(DateTimeOffset instant, TimeProvider time) =>
        TimeZoneInfo.ConvertTime(instant, time.LocalTimeZone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private static string Text(ActivityRow a) => a.Outcome is null ? a.Subject : a.Subject.Length == 0 ? a.Outcome : a.Subject + " — " + a.Outcome;

    private sealed class AddCommand : CommandSpec
    {
        public override string Name => "add";

        public override string Summary => "Record a call, meeting, letter, e-mail, web form or note on a client.";

        public override string Details =>
            $"""
            CLIENT (--client) is a client id, an INN, LEDGER:ID of one of its ledger rows, or part of a name; several matches are listed.
            Types: {Kinds} (Russian names such as 'звонок', 'встреча', 'заметка' work too).
            --at is local time ({ActivityTime.Accepted}); default now.
            """;

        public override IReadOnlyList<OptionSpec> Options =>
        [
            new("client", "CLIENT", "the client (required)"),
            new("type", "TYPE", "what it was (required): " + Kinds),
            new("subject", "TEXT", "one line: what it was about"),
            new("manager", "NAME", "our manager who had the contact"),
            new("at", "WHEN", "when it happened (default: now)"),
            new("contact", "ID", "the client's contact person, LEDGER:ID or the ledger's id"),
            new("deal", "DEAL", "the deal it was about (number or id)"),
            new("outcome", "TEXT", "what came of it"),
            new("channel", "TEXT", "phone, email, post, web, in person… (default: from the type)"),
            new("direction", "in|out", "who reached whom (default: from the type)"),
            new("notes", "TEXT", "longer notes"),
        ];

        public override int Execute(CommandContext context, ParsedArguments arguments)
        {
            arguments.NoPositional();
            var term = arguments.Get("client") ?? throw new UsageException("--client CLIENT is required");
            var typeText = arguments.Get("type") ?? throw new UsageException($"--type is required: {Kinds}");
            if (!ActivityKinds.TryParse(typeText, out var kind))
            {
                throw new UsageException($"unknown --type '{typeText}'; use one of {Kinds}");
            }

            var at = context.Time.GetUtcNow();
            if (arguments.Get("at") is { } atText && !ActivityTime.TryParse(atText, context.Time.LocalTimeZone, out at))
            {
                throw new UsageException($"--at takes {ActivityTime.Accepted}, not '{atText}'");
            }

            var direction = arguments.Get("direction")?.ToLowerInvariant();
            if (direction is not null and not "in" and not "out")
            {
                throw new UsageException($"--direction is 'in' or 'out', not '{direction}'");
            }

            var store = OpenStore(context, arguments);
            var client = ClientsCommand.Resolve(new ClientStore(store), term);
            var activities = new ActivityStore(store);
            var anchor = activities.Anchor(client.ClientId)
                ?? throw new CrmException($"Client {client.ClientId} has no ledger rows left; record the activity on the client it was merged into.");
            string? contact = null;
            if (arguments.Get("contact") is { } contactTerm)
            {
                var found = activities.FindContact(client.ClientId, contactTerm)
                    ?? throw new CrmException($"Client {client.ClientId} has no contact person '{contactTerm}' (give LEDGER:ID or the ledger's id).");
                contact = found.Contact;
                anchor = (found.Ledger, found.CounterpartyId);
            }

            string? dealId = null;
            if (arguments.Get("deal") is { } dealTerm)
            {
                var deal = new DealStore(store).Find(dealTerm) ?? throw new CrmException($"No deal '{dealTerm}'; 'crmx deals list' shows them.");
                if (deal.ClientId != client.ClientId)
                {
                    throw new CrmException($"Deal {deal.Display} is on client {deal.ClientId}, not on client {client.ClientId}.");
                }

                dealId = deal.Id;
            }

            var id = activities.Add(new ActivityEntry
            {
                ClientId = client.ClientId,
                Ledger = anchor.Ledger,
                CounterpartyId = anchor.CounterpartyId,
                Kind = kind,
                Subject = arguments.Get("subject") ?? "",
                OccurredAt = at,
                Source = "cli",
                Manager = arguments.Get("manager"),
                Outcome = arguments.Get("outcome"),
                Channel = arguments.Get("channel") ?? ActivityKinds.Channel(kind),
                Direction = direction ?? ActivityKinds.Direction(kind),
                Contact = contact,
                DealId = dealId,
                Notes = arguments.Get("notes"),
            });
            context.Out.WriteLine($"Recorded {kind} on client {client.ClientId} {client.DisplayName} at {Local(at, context.Time)} (activity {id}).");
            return 0;
        }
    }

    private sealed class ListCommand : CommandSpec
    {
        public override string Name => "list";

        public override string Summary => "List activities, newest first.";

        public override IReadOnlyList<OptionSpec> Options =>
        [
            new("client", "CLIENT", "only this client's"),
            new("manager", "NAME", "only those of managers whose name contains NAME"),
            new("since", "DATE", "only those from DATE on (local time)"),
            new("limit", "N", "how many (default 50)"),
        ];

        public override int Execute(CommandContext context, ParsedArguments arguments)
        {
            arguments.NoPositional();
            DateTimeOffset? since = null;
            if (arguments.Get("since") is { } sinceText)
            {
                since = ActivityTime.TryParse(sinceText, context.Time.LocalTimeZone, out var s) ? s
                    : throw new UsageException($"--since takes {ActivityTime.Accepted}, not '{sinceText}'");
            }

            var limit = arguments.GetInt("limit", 50, 1, 1_000_000);
            var store = OpenStore(context, arguments);
            var clientId = arguments.Get("client") is { } term ? ClientsCommand.Resolve(new ClientStore(store), term).ClientId : (long?)null;
            var rows = new ActivityStore(store).List(new ActivityFilter { ClientId = clientId, Manager = arguments.Get("manager"), Since = since, Limit = limit });
            foreach (var a in rows)
            {
                var client = a.ClientId is null ? $"{a.Ledger}:{a.CounterpartyId}" : $"{a.ClientId} {a.ClientName}";
                context.Out.WriteLine($"{Local(a.When, context.Time)}  {a.Kind,-10} {a.Direction ?? "",-3}  {client}  {a.Manager ?? "-"}  {Text(a)}");
            }

            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{rows.Count:N0} activities{(rows.Count == limit ? $" (the newest {limit:N0}; --limit shows more)" : "")}."));
            return 0;
        }
    }

    private sealed class ImportCommand : CommandSpec
    {
        public override string Name => "import";

        public override string Summary => "Import activities from a CSV file; report every bad row, import the rest.";

        public override string? ArgumentsUsage => "FILE.csv";

        public override string Details =>
            $"""
            The first line names the columns, in any order: {string.Join(",", ActivityImport.RequiredColumns)} (required),
            {string.Join(",", ActivityImport.OptionalColumns)} (optional). UTF-8 (a BOM is fine); ';' or ',' as the header uses;
            fields may be quoted. 'client' as in --client, 'type' one of {Kinds}, 'at' local time ({ActivityTime.Accepted}).
            Each bad row is reported as FILE:LINE: column 'x': message and skipped; the good rows go in one transaction.
            Importing the same rows again adds nothing. Exits 1 when any row was rejected.
            """;

        public override IReadOnlyList<OptionSpec> Options => [new("dry-run", null, "check every row and report, write nothing")];

        public override int Execute(CommandContext context, ParsedArguments arguments)
        {
            var file = arguments.Single("FILE.csv");
            var path = Path.GetFullPath(file, context.WorkingDirectory);
            if (!File.Exists(path))
            {
                throw new CrmException($"The file {file} does not exist.");
            }

            var store = OpenStore(context, arguments);
            var plan = new ActivityImport(store, context.Time.LocalTimeZone).Read(path, file);
            foreach (var reject in plan.Rejects)
            {
                context.Error.WriteLine(reject.ToString());
            }

            var rejectedRows = plan.Rejects.Select(r => r.Line).Distinct().Count();
            if (arguments.Has("dry-run"))
            {
                context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"Dry run: would import {plan.Entries.Count:N0}, rejected {rejectedRows:N0}; nothing written."));
            }
            else
            {
                var (added, present) = new ActivityStore(store).Import(plan.Entries);
                context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"imported {added:N0}, rejected {rejectedRows:N0}{(present > 0 ? $", already present {present:N0}" : "")}"));
            }

            return plan.Rejects.Count > 0 ? 1 : 0;
        }
    }
}
