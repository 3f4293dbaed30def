using System.Globalization;
using CrmExtensions.Sdk;

namespace CrmExtensions.Plugins.Receivables;

/// <summary>Dunning levels and the guard's threshold, from the plugin's settings.</summary>
/// <param name="Levels">Days overdue at which each level starts, ascending: level 1 at the first.</param>
/// <param name="GuardThreshold">Overdue debt a client may have and still move deals forward.</param>
/// <param name="SenderName">Who signs the letters.</param>
/// <param name="OpenStages">Stages a deal may always move to, debt or not (backing out of a deal is never refused).</param>
internal sealed record ReceivablesOptions(IReadOnlyList<int> Levels, decimal GuardThreshold, string SenderName, IReadOnlyList<string> OpenStages)
{
    /// <summary>Reads <c>levels</c> (<c>1;14;30;60</c>), <c>guardThreshold</c> (0), <c>senderName</c> and <c>openStages</c> (<c>lost;cancelled;отказ;проиграна</c>).</summary>
    public static ReceivablesOptions From(IPluginSettings settings)
    {
        var levels = new List<int>();
        foreach (var text in settings.GetList("levels") ?? ["1", "14", "30", "60"])
        {
            if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var days) || days < 1 || (levels.Count > 0 && days <= levels[^1]))
            {
                throw new PluginConfigurationException(
                    $"{Startup.Id}: 'levels' lists days overdue in increasing order, each at least 1, separated by ';' (such as \"1;14;30;60\"); '{text}' does not fit.", Startup.Id);
            }

            levels.Add(days);
        }

        var threshold = settings.GetDecimal("guardThreshold", 0m);
        return new ReceivablesOptions(levels.Count == 0 ? [1] : levels, threshold, settings.Get("senderName") ?? "Отдел по работе с клиентами",
            settings.GetList("openStages") ?? ["lost", "cancelled", "отказ", "проиграна"]);
    }
}
