using CrmExtensions.Testing;

namespace CrmExtensions.Runtime.Tests.Reminders;

/// <summary>Plugins' rules evaluated side by side, their outcomes written in the plugins' order.</summary>
public sealed partial class ReminderRunnerTests
{
    [TestCase(false, 2)]
    [TestCase(true, 2)]
    [TestCase(false, 1)]
    public async Task RunRemindersAsync_TwoPlugins_AreEvaluatedAtOnceUpToTheConcurrencyAndWrittenInTheirOrder(bool inWorkers, int concurrency)
    {
        using var root = new TempDirectory();
        var meetings = Directory.CreateDirectory(Path.Combine(root.Path, "meetings")).FullName;
        using var store = new TestStore(provider, MoscowMorning(2025, 3, 3));
        var options = inWorkers ? Workers.Options() : new PluginRuntimeOptions();
        options.RuleConcurrency = concurrency;
        // Side by side each waits long enough to meet the other on a loaded machine; one after the other each waits a second
        // and finds nobody, whatever the machine.
        var patience = concurrency > 1 ? "60000" : "1000";
        options.PluginSettings = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.OrdinalIgnoreCase)
        {
            ["Test.MeetsFirst"] = new Dictionary<string, string> { ["folder"] = meetings, ["patienceMs"] = patience },
            ["Test.MeetsSecond"] = new Dictionary<string, string> { ["folder"] = meetings, ["patienceMs"] = patience },
        };
        using var runtime = await PluginRuntime.LoadAsync(TestPlugins.Install(root, "MeetsFirst", "MeetsSecond"), store.Store, options);

        var summary = await runtime.RunRemindersAsync(Russia);

        Assert.That(summary.Problems, Is.Empty);
        var titles = store.Query<(string PluginId, string Title)>("SELECT plugin_id AS PluginId, title AS Title FROM reminders ORDER BY plugin_id").ToList();
        var expected = concurrency > 1 ? "met" : "alone";
        Assert.That(titles, Is.EqualTo(new[] { ("Test.MeetsFirst", expected), ("Test.MeetsSecond", expected) }));
        // Both queue a mail under one key: the outbox keeps the first written, and the first plugin's outcome is written first
        // even when the second plugin's evaluation ended before it.
        var mails = store.Query<string>("SELECT plugin_id FROM outbox WHERE business_key = 'meet'").ToList();
        Assert.That(mails, Is.EqualTo(new[] { "Test.MeetsFirst" }));
        Assert.That(summary.Plugins.Select(p => p.PluginId), Is.EqualTo(new[] { "Test.MeetsFirst", "Test.MeetsSecond" }), "the summary in the plugins' order");
    }
}
