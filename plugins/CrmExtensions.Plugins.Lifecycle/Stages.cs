using CrmExtensions.Sdk.Facts;

namespace CrmExtensions.Plugins.Lifecycle;

/// <summary>The five stages of the customer lifecycle, read from what the ledgers say about a client.</summary>
internal static class Stages
{
    public const string Awareness = "awareness";
    public const string Exploration = "exploration";
    public const string Expansion = "expansion";
    public const string Commitment = "commitment";
    public const string Dissolution = "dissolution";

    /// <summary>The stage of a client on a day.</summary>
    /// <remarks>
    /// awareness: known to the ledger, never invoiced. dissolution: no invoice for the lapse period. exploration: one
    /// invoice so far. commitment: buying for longer than the commitment period, paying regularly (at least the
    /// commitment number of payments) and no longer growing. expansion: buying again, and either growing (last twelve
    /// months more than 10% over the twelve before) or still new.
    /// </remarks>
    public static string Of(ClientFacts facts, DateOnly today, LifecycleOptions options)
    {
        if (facts.Invoices == 0 || facts.LastInvoiceOn is not { } last || facts.FirstInvoiceOn is not { } first)
        {
            return Awareness;
        }

        if (today.DayNumber - last.DayNumber >= options.LapseDays)
        {
            return Dissolution;
        }

        if (facts.Invoices == 1)
        {
            return Exploration;
        }

        var growing = facts.RevenueLast12Months > facts.RevenuePrevious12Months * 1.1m;
        return today.DayNumber - first.DayNumber >= options.CommitmentDays && facts.Payments >= options.CommitmentPayments && !growing
            ? Commitment
            : Expansion;
    }
}
