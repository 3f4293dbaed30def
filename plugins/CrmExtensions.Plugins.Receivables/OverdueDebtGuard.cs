using System.Globalization;
using CrmExtensions.Sdk;
using CrmExtensions.Sdk.Facts;
using CrmExtensions.Sdk.Model;
using CrmExtensions.Sdk.Pipelines;

namespace CrmExtensions.Plugins.Receivables;

/// <summary>No deal or offer moves forward while its client owes more than the threshold on overdue invoices, on any of its entities.</summary>
/// <remarks>
/// The debt is the client's, not the counterparty's: an invoice overdue on a branch in another regional ledger stops a
/// deal opened with the head office. Moves to the open stages (a lost or cancelled deal) are always allowed.
/// </remarks>
internal sealed class OverdueDebtGuard(ICrmReader reader, ICrmFacts facts, IPluginSettings settings, TimeProvider time) : IStageGuard
{
    public async Task<GuardDecision> CheckAsync(Deal deal, StageMove move, CancellationToken cancellationToken)
    {
        var options = ReceivablesOptions.From(settings);
        if (options.OpenStages.Any(s => string.Equals(s, move.To, StringComparison.OrdinalIgnoreCase)))
        {
            return GuardDecision.Allow;
        }

        var client = await reader.FindClientAsync(deal.Counterparty, cancellationToken).ConfigureAwait(false);
        if (client is null)
        {
            return GuardDecision.Allow;
        }

        var today = DateOnly.FromDateTime(time.GetLocalNow().DateTime);
        var overdue = await facts.GetClientOverdueInvoicesAsync(client.ClientId, today, cancellationToken).ConfigureAwait(false);
        // The threshold is in the CRM's base currency; invoices in a currency without a rate are not counted towards it.
        var total = Letters.BaseTotal(overdue);
        if (overdue.Count == 0 || total <= options.GuardThreshold)
        {
            return GuardDecision.Allow;
        }

        var oldest = overdue[0];
        return GuardDecision.Deny(string.Create(CultureInfo.InvariantCulture,
            $"client «{client.DisplayName}» has {Letters.Total(overdue)} overdue on {overdue.Count} invoice(s), over the threshold of " +
            $"{Letters.Money(options.GuardThreshold, oldest.BaseCurrency)}; the oldest is invoice {oldest.Invoice.Number ?? oldest.Invoice.Key.Id} ({oldest.Invoice.Key}) to " +
            $"{(oldest.Role == ClientMemberRole.Branch ? "the branch " : "")}«{oldest.CounterpartyName}»{(oldest.City is { } city ? " in " + city : "")}, " +
            $"{oldest.DaysOverdue} days overdue. Collect the debt first."));
    }
}
