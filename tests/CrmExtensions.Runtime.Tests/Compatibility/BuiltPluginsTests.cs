using CrmExtensions.Runtime.Reminders;
using CrmExtensions.Runtime.Tests.Storage;
using CrmExtensions.Testing;

namespace CrmExtensions.Runtime.Tests.Compatibility;

/// <summary>
/// Plugins compiled against SDK 1.0 and 1.1 — their assemblies as those SDKs built them, kept under <c>Compatibility/Built</c>
/// (HelloPlugin at SDK 1.0; HelloPlugin and the four shipped plugins at SDK 1.1) — load into today's host and work,
/// without being rebuilt.
/// </summary>
[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.All))]
public sealed class BuiltPluginsTests(DatabaseProvider provider)
{
    private static readonly DateOnly Day = new(2025, 8, 1);

    private static string Install(TempDirectory root, string sdk)
    {
        var plugins = Path.Combine(root.Path, "plugins");
        TestFiles.CopyDirectory(Path.Combine(TestEnvironment.RepoRoot, "tests", "CrmExtensions.Runtime.Tests", "Compatibility", "Built", sdk), plugins);
        return plugins;
    }

    [Test]
    public async Task HelloPlugin_BuiltAgainstSdk10_LoadsRemindsWithAMailAndWelcomesANewCounterparty()
    {
        using var root = new TempDirectory();
        using var store = StoreFactsTests.Store(provider);
        using var runtime = await PluginRuntime.LoadAsync(Install(root, "sdk-1.0"), store.Store);

        var reminders = await runtime.RunRemindersAsync(ReminderSettings.Default, Day);
        store.AddEvents(1, "counterparty.created", "msk");
        var dispatch = await runtime.DispatchAsync();

        Assert.That(runtime.Plugins.Select(p => (p.Id, p.SdkVersion, p.State)), Is.EqualTo(new[] { ("Hello", "1.0.0", PluginState.Loaded) }));
        Assert.That(reminders.Problems.Concat(dispatch.Problems), Is.Empty);
        // Invoices more than 30 days overdue on 1 August: spb/2 (its counterparty has no address) and msk/4 (office@romashka.ru).
        Assert.That(store.Query<string>("SELECT reminder_key FROM reminders WHERE plugin_id = 'Hello' ORDER BY reminder_key"),
            Is.EqualTo(new[] { "hello.overdue:msk/4", "hello.overdue:spb/2" }));
        Assert.That(store.Query<string>("SELECT to_address FROM outbox WHERE plugin_id = 'Hello'"), Is.EqualTo(new[] { "office@romashka.ru" }));
        Assert.That(dispatch.Deliveries, Is.EqualTo(1));
        Assert.That(store.Scalar<long>("SELECT COUNT(*) FROM activities WHERE plugin_id = 'Hello'"), Is.EqualTo(1), "the welcome call");
    }

    [Test]
    public async Task HelloPlugin_BuiltAgainstSdk10_RemindsInItsWorker_TwiceWithTheSameKeys()
    {
        // The worker hands its rules a context with the stored keys (SDK 1.5), which a rule built against 1.0 never reads.
        using var root = new TempDirectory();
        using var store = StoreFactsTests.Store(provider);
        using var runtime = await PluginRuntime.LoadAsync(Install(root, "sdk-1.0"), store.Store, Workers.Options());

        var first = await runtime.RunRemindersAsync(ReminderSettings.Default, Day);
        var again = await runtime.RunRemindersAsync(ReminderSettings.Default, Day);

        Assert.That(first.Problems.Concat(again.Problems), Is.Empty);
        Assert.That((first.NewReminders, again.NewReminders, again.Cancelled), Is.EqualTo((2, 0, 0)));
        Assert.That(store.Query<string>("SELECT reminder_key FROM reminders WHERE plugin_id = 'Hello' AND status = 'open' ORDER BY reminder_key"),
            Is.EqualTo(new[] { "hello.overdue:msk/4", "hello.overdue:spb/2" }));
    }

    [Test]
    public async Task HelloAndShippedPlugins_BuiltAgainstSdk11_LoadAndRemindTagReportAndOfferTheirPipeline()
    {
        using var root = new TempDirectory();
        using var store = StoreFactsTests.Store(provider);
        using var runtime = await PluginRuntime.LoadAsync(Install(root, "sdk-1.1"), store.Store);

        var reminders = await runtime.RunRemindersAsync(ReminderSettings.Default, Day);
        var dunning = await runtime.RunReportAsync("CrmExtensions.Receivables", "dunning", Day);

        Assert.That(runtime.Plugins.Select(p => (p.SdkVersion, p.State)), Has.All.EqualTo(("1.1.0", PluginState.Loaded)));
        Assert.That(runtime.Plugins.Select(p => p.Id), Is.EquivalentTo(new[]
        {
            "Hello", "CrmExtensions.Lifecycle", "CrmExtensions.Receivables", "CrmExtensions.Greetings", "CrmExtensions.Sales",
        }));
        Assert.That(reminders.Problems, Is.Empty);
        Assert.That(store.Scalar<long>("SELECT COUNT(*) FROM reminders WHERE plugin_id = 'CrmExtensions.Receivables'"), Is.GreaterThan(0), "dunning reminders");
        Assert.That(store.Query<string>("SELECT reminder_key FROM reminders WHERE plugin_id = 'Hello' ORDER BY reminder_key"),
            Is.EqualTo(new[] { "hello.overdue:msk/4", "hello.overdue:spb/2" }));
        Assert.That(store.Query<long>("SELECT client_id FROM client_tags WHERE name = 'lifecycle.stage' ORDER BY client_id"), Is.EqualTo(new[] { 42L, 43L }),
            "the lifecycle plugin's stages");
        Assert.That(dunning, Is.Not.Null, "the Receivables report of SDK 1.1 runs");
        Assert.That(runtime.Pipelines.Select(p => p.PluginId + "/" + p.Definition.Name), Does.Contain("CrmExtensions.Sales/sales"));
    }
}
