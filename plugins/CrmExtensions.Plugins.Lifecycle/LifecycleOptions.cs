using CrmExtensions.Sdk;

namespace CrmExtensions.Plugins.Lifecycle;

/// <summary>The lifecycle's thresholds, from the plugin's settings.</summary>
internal sealed record LifecycleOptions(int LapseDays, int RemindWithinDays, int CommitmentDays, int CommitmentPayments)
{
    public static LifecycleOptions Default { get; } = new(180, 90, 365, 6);

    /// <summary>Reads <c>lapseDays</c> (180), <c>remindWithinDays</c> (90), <c>commitmentDays</c> (365) and <c>commitmentPayments</c> (6).</summary>
    public static LifecycleOptions From(IPluginSettings settings)
    {
        var options = new LifecycleOptions(
            settings.GetInt32("lapseDays", Default.LapseDays),
            settings.GetInt32("remindWithinDays", Default.RemindWithinDays),
            settings.GetInt32("commitmentDays", Default.CommitmentDays),
            settings.GetInt32("commitmentPayments", Default.CommitmentPayments));
        if (options.LapseDays < 1 || options.RemindWithinDays < 1 || options.CommitmentDays < 1 || options.CommitmentPayments < 1)
        {
            throw new PluginConfigurationException(
                $"{Startup.Id}: lapseDays, remindWithinDays, commitmentDays and commitmentPayments are whole numbers of at least 1; got {options}.", Startup.Id);
        }

        return options;
    }
}
