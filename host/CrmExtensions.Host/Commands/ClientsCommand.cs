using System.Globalization;
using System.Text;
using CrmExtensions.Host.Clients;
using CrmExtensions.Store;
using CrmExtensions.Store.Clients;

namespace CrmExtensions.Host.Commands;

/// <summary><c>crmx clients …</c>: browse, explain, export and correct client records.</summary>
internal sealed class ClientsCommand : CommandSpec
{
    public override string Name => "clients";

    public override string Summary => "Browse, explain, export and correct the client records made by 'crmx unify'.";

    public override IReadOnlyList<CommandSpec> Subcommands { get; } =
    [
        new ListCommand(), new ShowCommand(), new ExplainCommand(), new ReviewCommand(), new ExportCommand(),
        new MergeCommand(), new SplitCommand(), new NeverLinkCommand(), new DecisionsCommand(), new UndoCommand(), new EvaluateCommand(),
    ];

    private static ClientStore Open(CommandContext context, ParsedArguments arguments)
    {
        var workspace = Workspace.Open(context, arguments, requireLedgers: false);
        workspace.Store.Migrate();
        return new ClientStore(workspace.Store);
    }

    /// <summary>One client from a term, or a usage error listing the matches.</summary>
    internal static ClientRow Resolve(ClientStore clients, string term)
    {
        var found = clients.FindClients(term);
        return found.Count switch
        {
            1 => found[0],
            0 => throw new CrmException($"No client matches '{term}' (a client id, an INN, LEDGER:ID or part of a name). Has 'crmx unify' run?"),
            _ => throw new CrmException($"'{term}' matches {found.Count} clients: " +
                string.Join("; ", found.Take(10).Select(c => $"{c.ClientId} {c.DisplayName}")) + (found.Count > 10 ? "; …" : "") + ". Name one by its id."),
        };
    }

    /// <summary>Applies a decision just recorded or undone by running unification, unless --no-unify.</summary>
    private static int Reunify(CommandContext context, ParsedArguments arguments, string what)
    {
        context.Out.WriteLine(what);
        if (arguments.Has("no-unify"))
        {
            context.Out.WriteLine("It applies at the next 'crmx unify'.");
            return 0;
        }

        var workspace = Workspace.Open(context, arguments, requireLedgers: false);
        UnifyCommand.PrintSummary(context.Out, new Unifier(workspace.Store).Run(context.Cancellation));
        return 0;
    }

    /// <summary>One pair in review on one line: the two rows, their clients, the score and the evidence.</summary>
    private static string Describe(ReviewRow r) => string.Create(CultureInfo.InvariantCulture,
        $"{r.Score:0.00}  {r.FirstLedger}:{r.FirstId} (client {r.FirstClient})  ?  {r.SecondLedger}:{r.SecondId} (client {r.SecondClient})  {UnifyCommand.Rule(r.LinkRule)}: {r.Evidence}");

    private static readonly OptionSpec NoUnify = new("no-unify", null, "only record the decision; apply it at the next 'crmx unify'");

    private static readonly OptionSpec Note = new("note", "TEXT", "why, for the record");

    private sealed class ListCommand : CommandSpec
    {
        public override string Name => "list";

        public override string Summary => "List clients, largest first.";

        public override IReadOnlyList<OptionSpec> Options => [new("search", "TEXT", "only clients whose name contains TEXT"), new("top", "N", "how many (default 50)")];

        public override int Execute(CommandContext context, ParsedArguments arguments)
        {
            arguments.NoPositional();
            var rows = Open(context, arguments).ListClients(arguments.Get("search"), arguments.GetInt("top", 50, 1, 1_000_000));
            context.Out.WriteLine($"{"client",8}  {"members",7}  {"entities",8}  {"branches",8}  name");
            foreach (var c in rows)
            {
                context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{c.ClientId,8}  {c.Members,7:N0}  {c.LegalEntities,8:N0}  {c.Branches,8:N0}  {c.DisplayName}"));
            }

            return 0;
        }
    }

    private sealed class ShowCommand : CommandSpec
    {
        public override string Name => "show";

        public override string Summary => "Show a client's dossier: legal entities and branches, contacts, money, deals, activities, reminders, links.";

        public override IReadOnlyList<OptionSpec> Options => [new("as-of", "yyyy-MM-dd", "the day debts and birthdays are reckoned from (default: today)")];

        public override string? ArgumentsUsage => "CLIENT";

        public override string Details => "CLIENT is a client id, an INN, LEDGER:ID of a member, or part of a name (several matches are listed).";

        public override int Execute(CommandContext context, ParsedArguments arguments)
        {
            var workspace = Workspace.Open(context, arguments, requireLedgers: false);
            workspace.Store.Migrate();
            var clients = new ClientStore(workspace.Store);
            var client = Resolve(clients, arguments.Single("CLIENT"));
            var output = context.Out;
            var asOf = arguments.GetDate("as-of") ?? DateOnly.FromDateTime(context.Time.GetLocalNow().DateTime);
            DossierWriter.Write(output, new Reports.Dossier.DossierReader(workspace.Store).Read(client, asOf));
            foreach (var issue in clients.Issues(client.ClientId))
            {
                output.WriteLine($"  ! {issue.Ledger}:{issue.LedgerId} {issue.Kind}: {issue.Detail}");
            }

            ActivityCommand.PrintLastContact(output, workspace.Store, context.Time, client.ClientId);
            return 0;
        }
    }

    private sealed class ExplainCommand : CommandSpec
    {
        public override string Name => "explain";

        public override string Summary => "Explain a client: every link with its rule, evidence and score, and its pairs in review.";

        public override string? ArgumentsUsage => "CLIENT";

        public override int Execute(CommandContext context, ParsedArguments arguments)
        {
            var clients = Open(context, arguments);
            var client = Resolve(clients, arguments.Single("CLIENT"));
            var links = clients.Links(client.ClientId);
            context.Out.WriteLine($"Client {client.ClientId}: {client.DisplayName} — {links.Count} links");
            foreach (var l in links)
            {
                context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {l.FromLedger}:{l.FromId} ↔ {l.ToLedger}:{l.ToId}  {UnifyCommand.Rule(l.LinkRule)}, score {l.Score:0.00}: {l.Evidence}"));
            }

            foreach (var r in clients.Review(client.ClientId, 100))
            {
                context.Out.WriteLine("  review: " + Describe(r));
            }

            return 0;
        }
    }

    private sealed class ReviewCommand : CommandSpec
    {
        public override string Name => "review";

        public override string Summary => "Pairs near the threshold, best first, for people to merge or keep apart.";

        public override IReadOnlyList<OptionSpec> Options => [new("top", "N", "how many (default 50)")];

        public override int Execute(CommandContext context, ParsedArguments arguments)
        {
            arguments.NoPositional();
            foreach (var r in Open(context, arguments).Review(null, arguments.GetInt("top", 50, 1, 1_000_000)))
            {
                context.Out.WriteLine(Describe(r));
            }

            context.Out.WriteLine("Decide with 'crmx clients merge A B' or 'crmx clients never-link LEDGER:ID LEDGER:ID'.");
            return 0;
        }
    }

    private sealed class ExportCommand : CommandSpec
    {
        public override string Name => "export";

        public override string Summary => "Write client membership as CSV: client_id,ledger,ledger_id,legal_entity,role,tax_id,name.";

        public override IReadOnlyList<OptionSpec> Options => [new("out", "FILE", "write to FILE instead of standard output")];

        public override int Execute(CommandContext context, ParsedArguments arguments)
        {
            arguments.NoPositional();
            var clients = Open(context, arguments);
            var path = arguments.Get("out");
            using var file = path is null ? null : new StreamWriter(Path.GetFullPath(path, context.WorkingDirectory), false, new UTF8Encoding(false));
            var output = (TextWriter?)file ?? context.Out;
            output.WriteLine("client_id,ledger,ledger_id,legal_entity,role,tax_id,name");
            long rows = 0;
            foreach (var r in clients.Export())
            {
                output.WriteLine(string.Join(',', r.ClientId.ToString(CultureInfo.InvariantCulture), Csv(r.Ledger), Csv(r.LedgerId), Csv(r.LegalEntity), r.Role, Csv(r.TaxId), Csv(r.Name)));
                rows++;
            }

            if (file is not null)
            {
                context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{rows:N0} rows written to {path}"));
            }

            return 0;
        }

        private static string Csv(string? value) =>
            value is null ? "" : value.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    private sealed class MergeCommand : CommandSpec
    {
        public override string Name => "merge";

        public override string Summary => "Decide that clients (or ledger rows) are one client; holds on every later run.";

        public override string? ArgumentsUsage => "CLIENT|LEDGER:ID CLIENT|LEDGER:ID…";

        public override IReadOnlyList<OptionSpec> Options => [new("same-legal-entity", null, "they are one legal entity, not only one client"), Note, NoUnify];

        public override int Execute(CommandContext context, ParsedArguments arguments)
        {
            if (arguments.Positional.Count < 2)
            {
                throw new UsageException("name at least two clients or LEDGER:ID rows to merge");
            }

            var clients = Open(context, arguments);
            var members = new List<string>();
            foreach (var term in arguments.Positional)
            {
                members.AddRange(term.Contains(':', StringComparison.Ordinal) && !long.TryParse(term, out _)
                    ? [term]
                    : clients.Members(Resolve(clients, term).ClientId).Select(m => m.Member.Ledger + ":" + m.Member.LedgerId));
            }

            var id = clients.AddDecision("merge", members.Distinct(), null, arguments.Has("same-legal-entity"), arguments.Get("note"));
            return Reunify(context, arguments, $"Recorded decision {id}.");
        }
    }

    private sealed class SplitCommand : CommandSpec
    {
        public override string Name => "split";

        public override string Summary => "Decide that some ledger rows of a client are a client of their own; holds on every later run.";

        public override string? ArgumentsUsage => "CLIENT LEDGER:ID…";

        public override IReadOnlyList<OptionSpec> Options => [Note, NoUnify];

        public override int Execute(CommandContext context, ParsedArguments arguments)
        {
            if (arguments.Positional.Count < 2)
            {
                throw new UsageException("name the client and at least one LEDGER:ID to split off");
            }

            var clients = Open(context, arguments);
            var client = Resolve(clients, arguments.Positional[0]);
            var all = clients.Members(client.ClientId).Select(m => m.Member.Ledger + ":" + m.Member.LedgerId).ToList();
            var off = arguments.Positional.Skip(1).ToList();
            if (off.FirstOrDefault(o => !all.Contains(o)) is { } stranger)
            {
                throw new CrmException($"{stranger} is not a member of client {client.ClientId}; its members are: {string.Join(", ", all.Take(20))}");
            }

            var rest = all.Except(off).ToList();
            if (rest.Count == 0)
            {
                throw new CrmException($"Splitting off every member of client {client.ClientId} leaves nothing to split from.");
            }

            var id = clients.AddDecision("split", off, rest, false, arguments.Get("note"));
            return Reunify(context, arguments, $"Recorded decision {id}.");
        }
    }

    private sealed class NeverLinkCommand : CommandSpec
    {
        public override string Name => "never-link";

        public override string Summary => "Decide that two ledger rows are never one client; holds on every later run.";

        public override string? ArgumentsUsage => "LEDGER:ID LEDGER:ID";

        public override IReadOnlyList<OptionSpec> Options => [Note, NoUnify];

        public override int Execute(CommandContext context, ParsedArguments arguments)
        {
            if (arguments.Positional.Count != 2 || arguments.Positional.Any(p => !p.Contains(':', StringComparison.Ordinal)))
            {
                throw new UsageException("name exactly two ledger rows as LEDGER:ID");
            }

            var id = Open(context, arguments).AddDecision("never-link", arguments.Positional, null, false, arguments.Get("note"));
            return Reunify(context, arguments, $"Recorded decision {id}.");
        }
    }

    private sealed class DecisionsCommand : CommandSpec
    {
        public override string Name => "decisions";

        public override string Summary => "List people's decisions (merge, split, never-link), oldest first.";

        public override IReadOnlyList<OptionSpec> Options => [new("all", null, "include undone decisions")];

        public override int Execute(CommandContext context, ParsedArguments arguments)
        {
            arguments.NoPositional();
            foreach (var d in Open(context, arguments).ReadDecisions(arguments.Has("all")))
            {
                context.Out.WriteLine($"{d.Id,5}  {d.DecidedAt}  {d.Kind,-10}  {string.Join(" ", d.MemberList)}{(d.UndoneAt is null ? "" : $"  (undone {d.UndoneAt})")}{(d.Note is null ? "" : $"  — {d.Note}")}");
            }

            return 0;
        }
    }

    private sealed class UndoCommand : CommandSpec
    {
        public override string Name => "undo";

        public override string Summary => "Undo a decision (it stays on record, marked undone).";

        public override string? ArgumentsUsage => "DECISION";

        public override IReadOnlyList<OptionSpec> Options => [NoUnify];

        public override int Execute(CommandContext context, ParsedArguments arguments)
        {
            var text = arguments.Single("DECISION");
            if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                throw new UsageException($"DECISION is a number from 'crmx clients decisions', not '{text}'");
            }

            if (!Open(context, arguments).UndoDecision(id))
            {
                throw new CrmException($"There is no live decision {id}; see 'crmx clients decisions --all'.");
            }

            return Reunify(context, arguments, $"Undid decision {id}.");
        }
    }

    private sealed class EvaluateCommand : CommandSpec
    {
        public override string Name => "evaluate";

        public override string Summary => "Score the clients against a labelled CSV: pairwise precision, recall and F1.";

        public override string Details =>
            """
            The CSV has a header with the columns ledger, ledger_id and a label column (default: client); rows with the
            same label are one client. The sample generator writes such a file (truth.csv) beside its ledgers.
            """;

        public override IReadOnlyList<OptionSpec> Options => [new("truth", "FILE", "the labelled CSV (required)"), new("column", "NAME", "the label column (default: client)")];

        public override int Execute(CommandContext context, ParsedArguments arguments)
        {
            arguments.NoPositional();
            var file = arguments.Get("truth") ?? throw new UsageException("--truth FILE is required");
            var path = Path.GetFullPath(file, context.WorkingDirectory);
            if (!File.Exists(path))
            {
                throw new CrmException($"The truth file {path} does not exist.");
            }

            var column = arguments.Get("column") ?? "client";
            var truth = new Dictionary<string, string>(StringComparer.Ordinal);
            int ledgerAt = -1, idAt = -1, labelAt = -1, line = 0;
            foreach (var text in File.ReadLines(path))
            {
                line++;
                var fields = text.TrimEnd('\r').Split(',');
                if (line == 1)
                {
                    (ledgerAt, idAt, labelAt) = (Array.IndexOf(fields, "ledger"), Array.IndexOf(fields, "ledger_id"), Array.IndexOf(fields, column));
                    if (ledgerAt < 0 || idAt < 0 || labelAt < 0)
                    {
                        throw new CrmException($"{Path.GetFileName(path)}(1): the header needs the columns ledger, ledger_id and {column}; it has {string.Join(", ", fields)}");
                    }

                    continue;
                }

                if (fields.Length <= Math.Max(ledgerAt, Math.Max(idAt, labelAt)))
                {
                    throw new CrmException($"{Path.GetFileName(path)}({line}): expected at least {Math.Max(ledgerAt, Math.Max(idAt, labelAt)) + 1} fields, found {fields.Length}");
                }

                truth[fields[ledgerAt] + ":" + fields[idAt]] = fields[labelAt];
            }

            var predicted = Open(context, arguments).Export()
                .ToDictionary(r => r.Ledger + ":" + r.LedgerId, r => r.ClientId.ToString(CultureInfo.InvariantCulture), StringComparer.Ordinal);
            context.Out.WriteLine(PairwiseScore.Compute(truth, predicted));
            return 0;
        }
    }
}
