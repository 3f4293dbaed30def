using CrmExtensions.Testing;

namespace CrmExtensions.Runtime.Tests.Reminders;

/// <summary>What a rule is told of the reminders already stored (SDK 1.5), in process and in the plugin's worker alike.</summary>
public sealed partial class ReminderRunnerTests
{
    [TestCase(false)]
    [TestCase(true)]
    public async Task RunRemindersAsync_EvaluatedAgain_RuleSeesThePluginsStoredKeys(bool inWorkers)
    {
        using var root = new TempDirectory();
        using var store = new TestStore(provider, MoscowMorning(2025, 3, 3));
        AddInvoice(store, "INV-1", "2025-02-20", 100_000);
        AddInvoice(store, "INV-2", "2025-02-25", 200_000);
        using var runtime = await PluginRuntime.LoadAsync(TestPlugins.Install(root, "Reminders"), store.Store, inWorkers ? Workers.Options() : null);

        var first = await runtime.RunRemindersAsync(Russia);
        var seenFirst = store.Scalar<string>("SELECT value FROM plugin_data WHERE data_key = 'call:stored'");
        var again = await runtime.RunRemindersAsync(Russia);
        var seenAgain = store.Scalar<string>("SELECT value FROM plugin_data WHERE data_key = 'call:stored'");

        Assert.That(first.Problems.Concat(again.Problems), Is.Empty);
        Assert.That((first.NewReminders, again.NewReminders), Is.EqualTo((4, 0)));
        Assert.That(seenFirst, Is.Empty, "nothing stored before the first evaluation");
        Assert.That(seenAgain, Is.EqualTo("call:main/INV-1 call:main/INV-2 dunning:main/INV-1:1 dunning:main/INV-2:1"), "every key of the plugin, of both its rules");
    }
}
