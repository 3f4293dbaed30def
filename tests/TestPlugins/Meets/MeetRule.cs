using System.Diagnostics;
using CrmExtensions.Sdk;
using CrmExtensions.Sdk.Mail;
using CrmExtensions.Sdk.Reminders;

namespace Meets;

public sealed class Startup : PluginStartup
{
    public override void Configure(IPluginBuilder plugin) => plugin.AddReminder<MeetRule>().AddTemplates("templates");
}

/// <summary>A rule that looks for another plugin's rule running at the same time (a marker file each, in the folder the
/// setting <c>folder</c> names, waiting up to <c>patienceMs</c>), and returns one reminder saying whether it met one, with a
/// mail whose key every plugin built from this file shares. The plugin first in order waits, once it has met the other,
/// for the other to finish first; so the mail stored says which plugin's outcome the host wrote first.</summary>
public sealed class MeetRule(IPluginSettings settings) : IReminderRule
{
    public async Task<IReadOnlyList<Reminder>> EvaluateAsync(ReminderContext context, CancellationToken cancellationToken)
    {
        var folder = settings.Get("folder") ?? throw new InvalidOperationException("The setting folder is required.");
        var patience = settings.GetInt32("patienceMs", 1000);
        var me = Plugin.Id;
        var running = Path.Combine(folder, me + ".running");
        await File.WriteAllTextAsync(running, "", cancellationToken);
        // Met: another is running while this one is. Each keeps running until the other has seen it too (a ".met" marker).
        var met = await WaitAsync(() => Others(folder, me, ".running") > 0, patience, cancellationToken);
        if (met)
        {
            await File.WriteAllTextAsync(Path.Combine(folder, me + ".met"), "", cancellationToken);
            await WaitAsync(() => Others(folder, me, ".met") > 0, patience, cancellationToken);
            if (Plugin.WaitsForTheOther)
            {
                await WaitAsync(() => Others(folder, me, ".done") > 0, patience, cancellationToken);
            }
        }

        await File.WriteAllTextAsync(Path.Combine(folder, me + ".done"), "", cancellationToken);
        File.Delete(running);
        return
        [
            new Reminder
            {
                Key = "meet:" + me,
                Title = met ? "met" : "alone",
                DueOn = context.Today,
                Mail = new OutgoingMail { Key = "meet", Template = "meet", To = "meet@example.ru", Model = new Dictionary<string, object?> { ["who"] = me } },
            },
        ];
    }

    private static int Others(string folder, string me, string marker) =>
        Directory.GetFiles(folder, "*" + marker).Count(f => !Path.GetFileName(f).Equals(me + marker, StringComparison.Ordinal));

    /// <summary>Polls until the condition holds (true) or the patience runs out (false).</summary>
    private static async Task<bool> WaitAsync(Func<bool> condition, int patienceMs, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.ElapsedMilliseconds >= patienceMs)
            {
                return false;
            }

            await Task.Delay(20, cancellationToken);
        }

        return true;
    }
}
