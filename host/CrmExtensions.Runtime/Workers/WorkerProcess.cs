using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace CrmExtensions.Runtime.Workers;

/// <summary>One running worker process: its pipes, and the last lines of its standard error for failure reports.</summary>
internal sealed class WorkerProcess : IDisposable
{
    private const int TailLines = 8;
    private readonly Process _process;
    private static readonly string[] Headlines = ["Stack overflow", "Unhandled exception", "Process terminated", "Fatal error", "Out of memory"];
    private readonly Queue<string> _tail = new();
    private string? _headline;

    // Why the worker's output could not be read as a reply, once it could not (the worker is killed then).
    private string? _unreadable;
    private readonly ReplyReader _replies;

    private WorkerProcess(Process process, ILoggerFactory loggers)
    {
        _process = process;
        _replies = new ReplyReader(process.StandardOutput.BaseStream);
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            if (e.Data.StartsWith(PluginWorkerServer.LogPrefix, StringComparison.Ordinal))
            {
                Relay(loggers, e.Data);
                return;
            }

            lock (_tail)
            {
                // The runtime's own last words (before the stack it prints) say what ended the process.
                if (_headline is null && Headlines.Any(h => e.Data.StartsWith(h, StringComparison.Ordinal)))
                {
                    _headline = e.Data.Trim();
                }

                _tail.Enqueue(e.Data);
                while (_tail.Count > TailLines)
                {
                    _tail.Dequeue();
                }
            }
        };
        _process.BeginErrorReadLine();
    }

    public bool HasExited => _process.HasExited;

    /// <summary>Logs a record the worker wrote again, under its category, through the host's logging (which filters it).</summary>
    private static void Relay(ILoggerFactory loggers, string line)
    {
        var record = JsonNode.Parse(line[PluginWorkerServer.LogPrefix.Length..]);
        var exception = (string?)record?["exception"];
        var message = (string?)record?["message"] + (exception is null ? "" : Environment.NewLine + exception);
#pragma warning disable CA1848, CA2254 // The worker formatted the message already; the host only passes it on.
        loggers.CreateLogger((string?)record?["category"] ?? "plugin").Log((LogLevel)((int?)record?["level"] ?? (int)LogLevel.Information), message);
#pragma warning restore CA1848, CA2254
    }

    /// <summary>How a worker's runtime runs: a worker compiles afresh, in its own process, the code the host has compiled
    /// for itself (the loader, DI, Dapper, SQLite, JSON, the plugin), and shares two cores with the host and the other
    /// workers.</summary>
    /// <remarks>
    /// Dynamic PGO compiles hot methods once more with instrumentation before their final code, which pays back in a
    /// long-lived process; a worker typically serves one command, and without it a shipped plugin's worker takes 0.1 to
    /// 0.6 s less CPU for its startup and a rule at 100,000 counterparties. (Tiered compilation off altogether helps a
    /// long rule a little but doubles a short one's cost, all its startup compiled fully optimised.) A method is compiled
    /// again, optimised, after 1,000 calls instead of 30: crmx's build is precompiled, so a worker starts on code that is
    /// good enough for what it calls a few hundred times, and recompiling that (a tenth to two fifths of a worker's CPU
    /// went to the background recompiling thread) does not pay back in a process that typically serves one command; a
    /// long loop in code the worker compiled itself is still compiled again while it runs. Thread-pool threads that find
    /// no work spin before they sleep: in a worker, CPU taken from the host and the worker doing the work.
    /// </remarks>
    private static readonly (string Name, string Value)[] RuntimeSettings =
    [
        ("DOTNET_TieredPGO", "0"),
        ("DOTNET_TC_CallCountThreshold", "1000"),
        ("DOTNET_ThreadPool_UnfairSemaphoreSpinLimit", "0"),
    ];

    public static WorkerProcess Start(WorkerCommand command, int memoryMb, ILoggerFactory loggers)
    {
        var info = new ProcessStartInfo(command.FileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardInputEncoding = new UTF8Encoding(false),
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in command.Arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // The heap limit holds the plugin's allocations: one past it throws OutOfMemoryException in the worker.
        info.Environment["DOTNET_GCHeapHardLimit"] = ((long)memoryMb * 1024 * 1024).ToString("X", CultureInfo.InvariantCulture);
        foreach (var (name, value) in RuntimeSettings)
        {
            // What the operator set for crmx (and so for its workers) wins.
            info.Environment.TryAdd(name, value);
        }

        // Nothing the host was given for itself (CRMX__ overrides with the store's password) is the worker's business.
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("CRMX__", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            info.Environment.Remove(key);
        }

        return new WorkerProcess(Process.Start(info) ?? throw new InvalidOperationException($"{command.FileName} did not start."), loggers);
    }

    /// <summary>Sends one request and waits for its reply within <paramref name="budget"/>.</summary>
    /// <returns>The reply, or null when the worker ended without one or overran (it is killed then).</returns>
    public async Task<(WorkerReply? Reply, bool Overran)> CallAsync(JsonObject request, TimeSpan budget, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(budget);
        try
        {
            await _process.StandardInput.WriteLineAsync(request.ToJsonString().AsMemory(), timeout.Token).ConfigureAwait(false);
            await _process.StandardInput.FlushAsync(timeout.Token).ConfigureAwait(false);
            return (await _replies.ReadAsync(timeout.Token).ConfigureAwait(false), false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Kill();
            return (null, true);
        }
        catch (IOException)
        {
            // The pipe broke: the worker is gone.
            return (null, false);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidDataException)
        {
            // Something in the worker (a plugin writing to the real standard output) put bytes that are no reply on the
            // channel: nothing after them can be trusted, so the worker goes as if it had crashed, named for it.
            _unreadable = e.Message;
            Kill();
            return (null, false);
        }
        catch (OperationCanceledException)
        {
            Kill();
            throw;
        }
    }

    /// <summary>How the process ended, in words: its exit code, or the signal that ended it.</summary>
    public string DescribeExit()
    {
        if (_unreadable is not null)
        {
            // CallAsync killed it when the output could not be read.
            return $"the worker wrote something other than a reply on its standard output ({_unreadable}) and was killed";
        }

        if (!_process.WaitForExit(TimeSpan.FromSeconds(5)))
        {
            Kill();
        }

        _process.WaitForExit();
        var code = _process.ExitCode;
        return code > 128 && code < 160
            ? string.Create(CultureInfo.InvariantCulture, $"the worker was ended by signal {code - 128}{SignalName(code - 128)} (exit code {code})")
            : string.Create(CultureInfo.InvariantCulture, $"the worker exited with code {code}");
    }

    /// <summary>The last lines the worker wrote to its standard error, joined with " | ".</summary>
    public string Tail()
    {
        // Give the error reader a moment to take in what the process wrote last.
        _process.WaitForExit(TimeSpan.FromSeconds(1));
        lock (_tail)
        {
            var last = _tail.Select(l => l.Trim()).Where(l => l.Length > 0).TakeLast(_headline is null ? 4 : 2);
            return string.Join(" | ", _headline is null ? last : last.Prepend(_headline).Distinct());
        }
    }

    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // It ended on its own meanwhile.
        }
    }

    public void Dispose()
    {
        try
        {
            // Closing its input ends a healthy worker; one that does not end is killed.
            _process.StandardInput.Close();
            if (!_process.WaitForExit(TimeSpan.FromSeconds(2)))
            {
                Kill();
            }

            // Until its standard error is read to the end: the log records it wrote last are relayed.
            _process.WaitForExit();
        }
        catch (IOException)
        {
            Kill();
        }

        _process.Dispose();
    }

    private static string SignalName(int signal) => signal switch
    {
        6 => " (SIGABRT: the runtime aborted)",
        9 => " (SIGKILL)",
        11 => " (SIGSEGV)",
        15 => " (SIGTERM)",
        _ => "",
    };
}
