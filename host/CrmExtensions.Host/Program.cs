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

// SIGTERM (a service manager stopping the host) works like Ctrl+C: the command finishes what is in flight and stops.
using var terminate = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, e =>
{
    e.Cancel = !cancellation.IsCancellationRequested;
    cancellation.Cancel();
});

return CrmxApp.Run(args, new CommandContext
{
    Out = Console.Out,
    Error = Console.Error,
    WorkingDirectory = Environment.CurrentDirectory,
    Interactive = !Console.IsErrorRedirected,
    Cancellation = cancellation.Token,
});
