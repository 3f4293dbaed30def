using System.Globalization;
using CrmExtensions.Application.Deals;
using CrmExtensions.Store.Deals;

namespace CrmExtensions.Host.Rendering;

/// <summary>How deals and their moves are shown.</summary>
internal static class DealText
{
    private static readonly CultureInfo Russian = CultureInfo.GetCultureInfo("ru-RU");

    public static string Amount(DealRow d) =>
        d.AmountValue is { } a ? a.ToString("N2", Russian) + (d.Currency is null ? "" : " " + d.Currency) : "-";

    public static string State(DealRow d) => d.Outcome is null ? d.Stage : $"{d.Stage} ({d.Outcome})";

    /// <summary>The line <c>deals add</c> prints for a deal it opened.</summary>
    public static string Opened(DealRow deal, Store.Clients.ClientRow client, Runtime.Pipelines.PipelineInfo pipeline) =>
        $"Opened deal {deal.Display} '{deal.Title}' on client {client.ClientId} {client.DisplayName}: pipeline {pipeline.Name} ({pipeline.PluginId}), stage {deal.Stage}, amount {Amount(deal)}.";

    /// <summary>Prints a move as <c>deals move</c> does: moved to stdout, refused with each guard's reason to the error stream; returns the exit code.</summary>
    public static int PrintMove(TextWriter output, TextWriter error, DealMoveOutcome move, string by)
    {
        if (!move.Moved)
        {
            error.WriteLine($"Deal {move.Deal.Display} stays in '{move.Move.From}': the move to '{move.Move.To}' was refused.");
            foreach (var refusal in move.Refusals)
            {
                error.WriteLine($"refused by {refusal.Source}: {refusal.Reason}");
            }

            return 1;
        }

        output.WriteLine($"Deal {move.Deal.Display} moved from '{move.Move.From}' to '{move.Move.To}' by {by}{(move.Outcome is null ? "" : $"; the deal is {move.Outcome}")}.");
        return 0;
    }
}
