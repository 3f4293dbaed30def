using System.Runtime.InteropServices;
using System.Text;
using CrmExtensions.Host.Commands;

Console.OutputEncoding = Encoding.UTF8;
using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // The first Ctrl+C asks the command to stop cleanly; a second one ends the process.
    e.Cancel = !cancellation.IsCancellationRequested;
    cancellation.Cancel();
};

// SIGTERM (a service manager, 'kill', a container stop) asks for the same clean stop as Ctrl+C: the command finishes
// the unit of work in hand and returns, rather than the runtime ending the process at once. A unit can wait (a store
// locked by another program, up to its busy timeout), so the first signal says so, and a second one ends the process
// at once, as a second Ctrl+C does: every unit is a transaction, and what was in hand is redone by the next run.
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal =>
{
    signal.Cancel = !cancellation.IsCancellationRequested;
    if (signal.Cancel)
    {
        Console.Error.WriteLine("crmx: stopping after the unit of work in hand; SIGTERM again stops at once.");
    }

    cancellation.Cancel();
});

return await CrmxApp.RunAsync(args, new CommandContext
{
    Out = Console.Out,
    Error = Console.Error,
    In = Console.In,
    WorkingDirectory = Environment.CurrentDirectory,
    Interactive = !Console.IsErrorRedirected,
    Cancellation = cancellation.Token,
});
