using System.CommandLine;
using System.Globalization;
using System.Text;
using CrmExtensions.Application.Activities;
using CrmExtensions.Application.Clients;
using CrmExtensions.Formats;
using CrmExtensions.Host.Cli;
using CrmExtensions.Host.Rendering;
using CrmExtensions.Mail.Campaigns;
using CrmExtensions.Store.Clients;

namespace CrmExtensions.Host.Commands;

/// <summary><c>crmx clients …</c>: browse, explain, export and correct client records.</summary>
internal static class ClientsCommand
{
    public static CrmxCommand Create(CommandContext context) =>
        new CrmxCommand("clients", "Browse, explain, export and correct the client records made by 'crmx unify'.").With(
            List(context), Show(context), Explain(context), Review(context), Export(context), Merge(context), Split(context), NeverLink(context),
            Decisions(context), Undo(context), Evaluate(context));

    /// <summary>One pair in review on one line: the two rows, their clients, the score and the evidence.</summary>
    private static string Describe(ReviewRow r) => string.Create(CultureInfo.InvariantCulture,
        $"{r.Score:0.00}  {r.FirstLedger}:{r.FirstId} (client {r.FirstClient})  ?  {r.SecondLedger}:{r.SecondId} (client {r.SecondClient})  {UnifyText.Rule(r.LinkRule)}: {r.Evidence}");

    private static Option<bool> NoUnify() => Opt.Flag("--no-unify", "only record the decision; apply it at the next 'crmx unify'");

    private static Option<string?> Note() => Opt.Text("--note", "TEXT", "why, for the record");

    /// <summary>Prints a decision recorded or undone, and what applying it changed.</summary>
    private static int Decided(Invocation run, string what, DecisionOutcome outcome)
    {
        run.Out.WriteLine(what);
        if (outcome.Applied is null)
        {
            run.Out.WriteLine("It applies at the next 'crmx unify'.");
        }
        else
        {
            UnifyText.PrintSummary(run.Out, outcome.Applied);
        }

        return 0;
    }

    private static CrmxCommand List(CommandContext context)
    {
        var search = Opt.Text("--search", "TEXT", "only clients whose name contains TEXT, or a member's name, INN, phone or e-mail does as the web's search reads them (any case, quotes and spaces aside, ё as е)");
        var tag = Opt.Text("--tag", "NAME[=VALUE]", "only clients carrying the tag NAME (with VALUE, when given) that a plugin set");
        var segment = Opt.Repeated("--segment", "KIND=VALUE", "only clients in this segment, as campaigns select (segment=NAME for a stored one); repeat for more, all must hold");
        var top = Opt.Int("--top", "N", "how many (default 50)", 50, 1, 1_000_000);
        return new CrmxCommand("list", "List clients, largest first.")
        {
            Details = $"""
                --segment takes {Segment.Usage};
                'crmx segment list' shows the stored segments. The conditions are reckoned today, as 'crmx segment count' counts them.
                """,
        }.With(search, tag, segment, top).Runs(context, async (run, cancellationToken) =>
        {
            var rows = await run.Service<ClientService>().ListAsync(run.Get(search), run.Get(tag), run.Get(top), run.Get(segment), cancellationToken).ConfigureAwait(false);
            run.Out.WriteLine($"{"client",8}  {"members",7}  {"entities",8}  {"branches",8}  name");
            foreach (var c in rows)
            {
                run.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{c.ClientId,8}  {c.Members,7:N0}  {c.LegalEntities,8:N0}  {c.Branches,8:N0}  {c.DisplayName}"));
            }

            return 0;
        });
    }

    private static CrmxCommand Show(CommandContext context)
    {
        var asOf = Opt.Date("--as-of", "the day debts and birthdays are reckoned from (default: today)");
        var client = Opt.One("CLIENT");
        return new CrmxCommand("show", "Show a client's dossier: legal entities and branches, contacts, money, deals, activities, reminders, links, tags, cross-sell and repeat purchases.")
        {
            Details = "CLIENT is a client id, an INN, LEDGER:ID of a member, or part of a name (several matches are listed).",
        }.With(asOf, client).Runs(context, async (run, cancellationToken) =>
        {
            var card = await run.Service<ClientService>().DossierAsync(run.Get(client), run.Get(asOf) ?? DateOnly.FromDateTime(context.Time.GetLocalNow().DateTime), cancellationToken)
                .ConfigureAwait(false);
            DossierWriter.Write(run.Out, card.Dossier);
            DossierWriter.Tags(run.Out, card.Tags);
            if (card.Recommendations.Count > 0)
            {
                RecommendationText.CrossSell(run.Out, card.Recommendations, 0, 0);
            }

            RecommendationText.Repeats(run.Out, card.Repeats);
            foreach (var issue in card.Issues)
            {
                run.Out.WriteLine($"  ! {issue.Ledger}:{issue.LedgerId} {issue.Kind}: {issue.Detail}");
            }

            ActivityText.PrintLastContact(run.Out, await run.Service<ActivityService>().LastContactsAsync(card.Client.ClientId, 5, cancellationToken).ConfigureAwait(false), context.Time);
            return 0;
        });
    }

    private static CrmxCommand Explain(CommandContext context)
    {
        var client = Opt.One("CLIENT");
        return new CrmxCommand("explain", "Explain a client: every link with its rule, evidence and score, and its pairs in review.").With(client).Runs(context, async (run, cancellationToken) =>
        {
            var (c, links, review) = await run.Service<ClientService>().ExplainAsync(run.Get(client), cancellationToken).ConfigureAwait(false);
            run.Out.WriteLine($"Client {c.ClientId}: {c.DisplayName} — {links.Count} links");
            foreach (var l in links)
            {
                run.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {l.FromLedger}:{l.FromId} ↔ {l.ToLedger}:{l.ToId}  {UnifyText.Rule(l.LinkRule)}, score {l.Score:0.00}: {l.Evidence}"));
            }

            foreach (var r in review)
            {
                run.Out.WriteLine("  review: " + Describe(r));
            }

            return 0;
        });
    }

    private static CrmxCommand Review(CommandContext context)
    {
        var top = Opt.Int("--top", "N", "how many (default 50)", 50, 1, 1_000_000);
        return new CrmxCommand("review", "Pairs whose match is uncertain, the decisions that join the most rows first, for people to merge or keep apart.").With(top).Runs(context, async (run, cancellationToken) =>
        {
            foreach (var r in await run.Service<ClientService>().ReviewAsync(run.Get(top), cancellationToken).ConfigureAwait(false))
            {
                run.Out.WriteLine(Describe(r));
            }

            run.Out.WriteLine("Decide with 'crmx clients merge A B' or 'crmx clients never-link LEDGER:ID LEDGER:ID'.");
            return 0;
        });
    }

    private static CrmxCommand Export(CommandContext context)
    {
        var file = Opt.Text("--out", "FILE", "write to FILE instead of standard output");
        return new CrmxCommand("export", "Write client membership as CSV: client_id,ledger,ledger_id,legal_entity,role,tax_id,name.").With(file).Runs(context, async (run, cancellationToken) =>
        {
            var rows = run.Service<ClientService>().ExportAsync(cancellationToken);
            var path = run.Get(file);
            await using var stream = path is null ? null : new StreamWriter(run.FullPath(path), false, new UTF8Encoding(false));
            var output = (TextWriter?)stream ?? run.Out;
            // The header first, one row per ledger counterparty; "\n" as the export always wrote.
            var csv = new CsvWriter(output, ',', "\n");
            csv.WriteRecord("client_id", "ledger", "ledger_id", "legal_entity", "role", "tax_id", "name");
            long count = 0;
            await foreach (var r in rows.ConfigureAwait(false))
            {
                csv.WriteRecord(r.ClientId.ToString(CultureInfo.InvariantCulture), r.Ledger, r.LedgerId, r.LegalEntity, r.Role, r.TaxId, r.Name);
                count++;
            }

            if (stream is not null)
            {
                run.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{count:N0} rows written to {path}"));
            }

            return 0;
        });
    }

    /// <summary>A decision command: its own options and arguments, then --note and --no-unify; records, applies, and says so.</summary>
    private static CrmxCommand Decision(CommandContext context, string name, string summary, Symbol[] symbols,
        Func<Invocation, ClientService, string?, bool, CancellationToken, Task<DecisionOutcome>> decide)
    {
        var note = Note();
        var noUnify = NoUnify();
        return new CrmxCommand(name, summary).With([.. symbols.OfType<Option>(), note, noUnify, .. symbols.OfType<Argument>()]).Runs(context, async (run, cancellationToken) =>
        {
            var outcome = await decide(run, run.Service<ClientService>(), run.Get(note), !run.Get(noUnify), cancellationToken).ConfigureAwait(false);
            return Decided(run, $"Recorded decision {outcome.DecisionId}.", outcome);
        });
    }

    private static CrmxCommand Merge(CommandContext context)
    {
        var sameEntity = Opt.Flag("--same-legal-entity", "they are one legal entity, not only one client");
        var terms = Opt.Many("CLIENT|LEDGER:ID");
        terms.HelpName = "CLIENT|LEDGER:ID CLIENT|LEDGER:ID";
        return Decision(context, "merge", "Decide that clients (or ledger rows) are one client; holds on every later run.", [sameEntity, terms],
            (run, clients, note, apply, cancellationToken) => clients.MergeAsync(run.Get(terms), run.Get(sameEntity), note, apply, cancellationToken));
    }

    private static CrmxCommand Split(CommandContext context)
    {
        var client = Opt.One("CLIENT");
        var rows = Opt.Many("LEDGER:ID");
        return Decision(context, "split", "Decide that some ledger rows of a client are a client of their own; holds on every later run.", [client, rows],
            (run, clients, note, apply, cancellationToken) => clients.SplitAsync(run.Get(client), run.Get(rows), note, apply, cancellationToken));
    }

    private static CrmxCommand NeverLink(CommandContext context)
    {
        var rows = Opt.Many("LEDGER:ID");
        return Decision(context, "never-link", "Decide that two ledger rows are never one client; holds on every later run.", [rows],
            (run, clients, note, apply, cancellationToken) => clients.NeverLinkAsync(run.Get(rows), note, apply, cancellationToken));
    }

    private static CrmxCommand Decisions(CommandContext context)
    {
        var all = Opt.Flag("--all", "include undone decisions");
        return new CrmxCommand("decisions", "List people's decisions (merge, split, never-link), oldest first.").With(all).Runs(context, async (run, cancellationToken) =>
        {
            foreach (var d in await run.Service<ClientService>().DecisionsAsync(run.Get(all), cancellationToken).ConfigureAwait(false))
            {
                run.Out.WriteLine($"{d.Id,5}  {d.DecidedAt}  {d.Kind,-10}  {string.Join(" ", d.MemberList)}{(d.UndoneAt is null ? "" : $"  (undone {d.UndoneAt})")}{(d.Note is null ? "" : $"  — {d.Note}")}");
            }

            return 0;
        });
    }

    private static CrmxCommand Undo(CommandContext context)
    {
        var noUnify = NoUnify();
        var decision = Opt.One("DECISION");
        return new CrmxCommand("undo", "Undo a decision (it stays on record, marked undone).").With(noUnify, decision).Runs(context, async (run, cancellationToken) =>
        {
            var text = run.Get(decision);
            if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                throw new UsageException($"DECISION is a number from 'crmx clients decisions', not '{text}'");
            }

            var outcome = await run.Service<ClientService>().UndoAsync(id, !run.Get(noUnify), cancellationToken).ConfigureAwait(false);
            return Decided(run, $"Undid decision {id}.", outcome);
        });
    }

    private static CrmxCommand Evaluate(CommandContext context)
    {
        var truth = Opt.Text("--truth", "FILE", "the labelled CSV (required)", required: true);
        var column = Opt.Text("--column", "NAME", "the label column (default: client)");
        return new CrmxCommand("evaluate", "Score the clients against a labelled CSV: pairwise precision, recall and F1.")
        {
            Details = """
                The CSV has a header with the columns ledger, ledger_id and a label column (default: client); rows with the
                same label are one client. The sample generator writes such a file (truth.csv) beside its ledgers.
                """,
        }.With(truth, column).Runs(context, async (run, cancellationToken) =>
        {
            run.Out.WriteLine(await run.Service<ClientService>().EvaluateAsync(run.FullPath(run.Get(truth)!), run.Get(column) ?? "client", cancellationToken).ConfigureAwait(false));
            return 0;
        });
    }
}
