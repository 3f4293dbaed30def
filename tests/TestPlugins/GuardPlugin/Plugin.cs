using System.Globalization;
using CrmExtensions.Sdk;
using CrmExtensions.Sdk.Model;
using CrmExtensions.Sdk.Pipelines;

[assembly: CrmPlugin("Test.Guard", "1.0.0", Description = "A sales pipeline and two stage guards: one refuses clients with overdue invoices, one throws (or exits, or loops, as its setting 'failure' says).")]

namespace GuardPlugin;

public sealed class Startup : PluginStartup
{
    public override void Configure(IPluginBuilder plugin) =>
        plugin.AddPipeline(new PipelineDefinition
            {
                Name = "sales",
                Stages = ["lead", "offer", "invoiced", "won", "lost"],
                Moves =
                [
                    new("lead", "offer"), new("offer", "invoiced"), new("invoiced", "won"),
                    new("lead", "lost"), new("offer", "lost"), new("invoiced", "lost"), new("lost", "lead"),
                ],
            })
            .AddStageGuard<OverdueGuard>()
            .AddStageGuard<FussyGuard>();
}

/// <summary>Refuses any move but to "lost" while the deal's client (any of its ledger rows, branches included) has an overdue invoice.</summary>
public sealed class OverdueGuard(ICrmReader reader, TimeProvider time) : IStageGuard
{
    public async Task<GuardDecision> CheckAsync(Deal deal, StageMove move, CancellationToken cancellationToken)
    {
        if (move.To == "lost" || deal.ClientId is null)
        {
            return GuardDecision.Allow;
        }

        var client = await reader.GetClientAsync(deal.ClientId, cancellationToken);
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        foreach (var member in client?.Members ?? [])
        {
            foreach (var invoice in await reader.GetInvoicesAsync(member.Counterparty, cancellationToken))
            {
                if (invoice.DueOn < today && invoice.SettledOn is null && !invoice.Vanished)
                {
                    var owed = invoice.Amount - (invoice.PaidAmount ?? 0);
                    return GuardDecision.Deny(string.Create(CultureInfo.InvariantCulture,
                        $"invoice {invoice.Number ?? invoice.Key.Id} of {member.Counterparty} ({member.Role}) was due {invoice.DueOn:yyyy-MM-dd}; {owed:0.00} unpaid"));
                }
            }
        }

        return GuardDecision.Allow;
    }
}

/// <summary>Throws for deals whose title says "boom": a broken guard. For deals whose title says "crash" it fails as its
/// setting <c>failure</c> says: <c>exit</c> (Environment.Exit(42)) or <c>busy</c> (a loop that ignores its token).</summary>
public sealed class FussyGuard(IPluginSettings settings) : IStageGuard
{
    public Task<GuardDecision> CheckAsync(Deal deal, StageMove move, CancellationToken cancellationToken)
    {
        if (deal.Title.Contains("crash", StringComparison.OrdinalIgnoreCase))
        {
            switch (settings.Get("failure"))
            {
                case "exit":
                    Environment.Exit(42);
                    break;
                case "busy":
                    while (true)
                    {
                        Thread.SpinWait(1000);
                    }
            }
        }

        return deal.Title.Contains("boom", StringComparison.OrdinalIgnoreCase)
            ? throw new InvalidOperationException("the guard broke on " + deal.Title)
            : Task.FromResult(GuardDecision.Allow);
    }
}
