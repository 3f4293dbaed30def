using System.Globalization;
using CrmExtensions.Store.Recommendations;

namespace CrmExtensions.Host.Rendering;

/// <summary>Prints recommendations, repeat reminders and evaluations for <c>crmx recommend</c> and the dossier.</summary>
internal static class RecommendationText
{
    private static readonly CultureInfo Ru = CultureInfo.GetCultureInfo("ru-RU");

    /// <summary>The cross-sell section; says why it is empty when it is.</summary>
    public static void CrossSell(TextWriter output, IReadOnlyList<ClientRecommendation> items, int minSupport, int bought)
    {
        if (items.Count == 0)
        {
            output.WriteLine(bought == 0
                ? "  Cross-sell: none, the client has no invoice lines"
                : string.Create(CultureInfo.InvariantCulture, $"  Cross-sell: none, no product is bought with this client's by at least {minSupport} clients more often than chance"));
            return;
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  Cross-sell ({items.Count}):"));
        var place = 0;
        foreach (var r in items)
        {
            output.WriteLine(string.Create(Ru, $"    {++place,2}. {r.Name} [{r.Product}] — {r.Reason} (lift {r.Lift:0.0}, Jaccard {r.Jaccard:0.00})"));
        }
    }

    /// <summary>The repeat-purchase section (a list of its own); nothing when none is due unless <paramref name="always"/>.</summary>
    public static void Repeats(TextWriter output, IReadOnlyList<RepeatReminder> items, bool always = false)
    {
        if (items.Count == 0)
        {
            if (always)
            {
                output.WriteLine("  Repeat purchases due: none");
            }

            return;
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  Repeat purchases due ({items.Count}):"));
        foreach (var r in items)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"    {r.Name} [{r.Product}] — bought on {r.Due.Times} days about every {r.Due.PeriodDays} days, the last on {r.Due.LastBought:yyyy-MM-dd}; due since {r.Due.DueOn:yyyy-MM-dd}"));
        }
    }

    /// <summary>What the client bought, the 20 most often bought.</summary>
    public static void Bought(TextWriter output, IReadOnlyList<ProductBought> items)
    {
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  Bought ({items.Count:N0} products):"));
        foreach (var b in items.Take(20))
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"    {b.Name} [{b.Product}]  {b.Days:N0} {(b.Days == 1 ? "day" : "days")}, {b.FirstOn:yyyy-MM-dd} … {b.LastOn:yyyy-MM-dd}, {b.Amount.ToString("N2", Ru)} ₽"));
        }
    }

    /// <summary>An evaluation's figures, one method per row.</summary>
    public static void Evaluation(TextWriter output, EvaluationResult e)
    {
        output.WriteLine(string.Create(Ru, $"Trained on invoice lines before {e.Until:yyyy-MM-dd}: {e.TrainClients:N0} clients, minimum support {e.MinSupport:N0}."));
        output.WriteLine(string.Create(Ru,
            $"Tested on {e.Until:yyyy-MM-dd} … {e.Until.AddDays(e.Days - 1):yyyy-MM-dd} ({e.Days:N0} days): {e.ClientsNew:N0} clients bought a product new to them, {e.ClientsAny:N0} bought anything."));
        output.WriteLine($"{"method",-16} {"hit@" + e.K + " new",12} {"recall@" + e.K + " new",14} {"hit@" + e.K + " any",12} {"recall@" + e.K + " any",14}");
        foreach (var m in e.Methods)
        {
            output.WriteLine(string.Create(Ru, $"{m.Method,-16} {m.HitRateNew,12:P1} {m.RecallNew,14:P1} {m.HitRateAny,12:P1} {m.RecallAny,14:P1}"));
        }

        var co = e.Methods[0].HitRateNew;
        var popular = e.Methods[1].HitRateNew;
        output.WriteLine(popular > 0
            ? string.Create(Ru, $"Co-purchase hit rate@{e.K} for new products is {co / popular:0.0}× popularity's.")
            : $"Popularity hits no new product at {e.K}.");
    }
}
