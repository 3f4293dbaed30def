using System.Diagnostics;
using CrmExtensions.Testing;

namespace CrmExtensions.Runtime.Tests.Events;

public sealed partial class EventDispatcherTests
{
    /// <param name="inWorkers">Whether the handlers run in the plugins' workers (killed with the host, as its process tree).</param>
    [TestCase(false)]
    [TestCase(true)]
    public async Task DispatchAsync_HostKilledMidDispatchThenRestarted_EveryHandlerSawEveryEventExactlyOnce(bool inWorkers)
    {
        using var root = new TempDirectory();
        using var store = new TestStore(provider);
        const int counterparties = 300;
        const int invoices = 100;
        store.AddEvents(counterparties);
        store.AddEvents(invoices, "invoice.created");
        var plugins = TestPlugins.Install(root, "Good");

        using (var first = StartHost(provider, store.ConnectionString, plugins, delayMs: 5, inWorkers))
        {
            // Kill once a good part of the events is delivered, not before the first and not after the last.
            var deadline = Stopwatch.StartNew();
            while (store.Scalar<long>("SELECT COUNT(*) FROM activities") < 60 && deadline.Elapsed < TimeSpan.FromSeconds(60) && !first.HasExited)
            {
                await Task.Delay(10);
            }

            Assert.That(first.HasExited, Is.False, "the host finished before it could be killed; slow the handler down");
            first.Kill(entireProcessTree: true);
            await first.WaitForExitAsync();
        }

        var delivered = store.Scalar<long>("SELECT SUM(delivered) FROM plugin_deliveries");
        Assert.That(delivered, Is.GreaterThan(0).And.LessThan(counterparties + 2 * invoices), "killed mid-dispatch");

        using (var second = StartHost(provider, store.ConnectionString, plugins, delayMs: 0, inWorkers))
        {
            await second.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));
            Assert.That(second.ExitCode, Is.Zero, second.StandardError.ReadToEnd());
        }

        var seen = store.Query<(string Subject, long Count)>("SELECT subject, COUNT(*) FROM activities WHERE kind = 'seen' GROUP BY subject");
        var invoiceSeen = store.Query<(string Subject, long Count)>("SELECT subject, COUNT(*) FROM activities WHERE kind = 'invoice' GROUP BY subject");
        // Every event: the ledger's, and the deal.opened and deal.moved of each deal the invoice handler opened (SDK 1.2).
        var events = store.Query<long>("SELECT seq FROM change_events ORDER BY seq");
        Assert.That(store.Scalar<long>("SELECT COUNT(*) FROM change_events WHERE event_type IN ('deal.opened', 'deal.moved')"), Is.EqualTo(2 * invoices));
        Assert.That(seen.Select(s => s.Subject), Is.EquivalentTo(events.Select(i => "seen " + i)));
        Assert.That(seen.Select(s => s.Count), Has.All.EqualTo(1));
        Assert.That(invoiceSeen.Select(s => s.Subject), Is.EquivalentTo(Enumerable.Range(counterparties + 1, invoices).Select(i => "invoice.created " + i)));
        Assert.That(invoiceSeen.Select(s => s.Count), Has.All.EqualTo(1));
        Assert.That(store.Scalar<long>("SELECT COUNT(*) FROM deals"), Is.EqualTo(invoices));
        Assert.That(store.Scalar<string>("SELECT value FROM plugin_data WHERE data_key = 'order'"),
            Is.EqualTo(string.Join(",", events)), "in order, across the crash");
        Assert.That(store.Scalar<long>("SELECT SUM(delivered) FROM plugin_deliveries"), Is.EqualTo(events.Count + invoices), "every event to one handler, the invoices to both");
    }

    private static Process StartHost(DatabaseProvider provider, string connectionString, string plugins, int delayMs, bool inWorkers)
    {
        var host = Path.Combine(TestPlugins.Built("DispatchHost"), "DispatchHost.dll");
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(host);
        info.ArgumentList.Add(provider == DatabaseProvider.Postgres ? "postgres" : "sqlite");
        info.ArgumentList.Add(connectionString);
        info.ArgumentList.Add(plugins);
        if (inWorkers)
        {
            info.ArgumentList.Add("process");
        }

        info.Environment["CRMX_TEST_HANDLER_DELAY_MS"] = delayMs.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Process.Start(info)!;
    }
}
