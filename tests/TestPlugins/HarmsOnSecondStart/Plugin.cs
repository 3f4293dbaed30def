using CrmExtensions.Sdk;
using CrmExtensions.Sdk.Reminders;

[assembly: CrmPlugin("Test.HarmsOnSecondStart", "1.0.0",
    Description = "Starts cleanly once; started again while its first start's process lives, it starts a thread that throws a moment after its startup returned.")]

namespace HarmsOnSecondStart;

/// <summary>Appends the id of the process it runs in to <c>starts.txt</c> in its folder, and holds <c>first-start.lock</c> there for
/// the life of that process. A start that finds the lock held (the plugin already started in another live process: a host that
/// loads the plugin beside its worker) starts a thread that throws half a second after the startup returned, which no process
/// survives.</summary>
public sealed class Startup : PluginStartup
{
    /// <summary>The first start's lock, held until its process ends.</summary>
    private static FileStream? _first;

    public override void Configure(IPluginBuilder plugin)
    {
        var folder = Path.GetDirectoryName(typeof(Startup).Assembly.Location)!;
        File.AppendAllText(Path.Combine(folder, "starts.txt"), Environment.ProcessId + "\n");
        try
        {
            _first ??= new FileStream(Path.Combine(folder, "first-start.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            var thread = new Thread(() =>
            {
                Thread.Sleep(500);
                throw new InvalidOperationException("thrown on the plugin's own thread after its second start");
            })
            { IsBackground = true };
            thread.Start();
        }

        plugin.AddReminder<QuietRule>();
    }
}

/// <summary>Warrants one reminder a day, so that its worker is called like any plugin's.</summary>
public sealed class QuietRule : IReminderRule
{
    public Task<IReadOnlyList<Reminder>> EvaluateAsync(ReminderContext context, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Reminder>>([new Reminder { Key = "quiet:" + context.Today.ToString("yyyy-MM-dd", null), Title = "quiet", DueOn = context.Today }]);
}
