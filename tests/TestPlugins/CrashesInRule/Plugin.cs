using CrmExtensions.Sdk;
using CrmExtensions.Sdk.Reminders;

[assembly: CrmPlugin("Test.CrashesInRule", "1.0.0", Description = "A reminder rule that fails in a way no process survives; its setting 'failure' says how.")]

namespace CrashesInRule;

public sealed class Startup : PluginStartup
{
    public override void Configure(IPluginBuilder plugin) => plugin.AddReminder<CrashingRule>();
}

/// <summary>Fails as its setting <c>failure</c> says: <c>exit</c> (Environment.Exit(42)), <c>thread</c> (an unhandled exception
/// on a thread it starts), <c>overflow</c> (a stack overflow), <c>busy</c> (a loop that ignores its token), <c>allocate</c>
/// (2 GB, touched); <c>every-third</c> exits on every third evaluation, counted in the file its setting <c>counter</c> names.
/// Evaluated every cycle of <c>crmx run</c>, so a soak calls it once per cycle.</summary>
[EvaluateEveryCycle]
public sealed class CrashingRule(IPluginSettings settings) : IReminderRule
{
    public Task<IReadOnlyList<Reminder>> EvaluateAsync(ReminderContext context, CancellationToken cancellationToken)
    {
        var failure = settings.Get("failure");
        TestPlugins.Shared.Failure.Happen(failure);
        switch (failure)
        {
            case "allocate":
                var chunks = new List<byte[]>();
                for (var i = 0; i < 32; i++)
                {
                    var chunk = new byte[64 * 1024 * 1024];
                    Array.Fill(chunk, (byte)1);
                    chunks.Add(chunk);
                }

                return Task.FromResult<IReadOnlyList<Reminder>>([new Reminder { Key = "allocated:" + chunks.Count, Title = "allocated", DueOn = context.Today }]);
            case "every-third":
                var counter = settings.Get("counter")!;
                var calls = (File.Exists(counter) ? int.Parse(File.ReadAllText(counter), System.Globalization.CultureInfo.InvariantCulture) : 0) + 1;
                File.WriteAllText(counter, calls.ToString(System.Globalization.CultureInfo.InvariantCulture));
                if (calls % 3 == 0)
                {
                    Environment.Exit(42);
                }

                break;
        }

        return Task.FromResult<IReadOnlyList<Reminder>>([new Reminder { Key = "survived:" + context.Today.ToString("yyyy-MM-dd", null), Title = "survived", DueOn = context.Today }]);
    }
}
