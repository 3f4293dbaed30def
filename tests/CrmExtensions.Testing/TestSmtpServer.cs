using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace CrmExtensions.Testing;

/// <summary>A real SMTP server on loopback (postfix's <c>smtp-sink</c>) that dumps every mail it accepts into a folder.</summary>
/// <remarks>
/// <see cref="Shared"/> is the server <c>scripts/test.sh</c> starts (<c>CRMX_TEST_SMTP</c>, <c>CRMX_TEST_SMTP_DUMP</c>);
/// <see cref="Start"/> starts a private one with its own behaviour (refusals, dropped connections). Without the server
/// or the binary the test is ignored with the reason, or failed under CI. smtp-sink dumps every transaction whose
/// content it read, even one it then refuses or drops: a dump says "the server got it", not "it was accepted".
/// </remarks>
public sealed class TestSmtpServer : IDisposable
{
    /// <summary>The environment variable holding the shared server as <c>host:port</c>.</summary>
    public const string ServerVariable = "CRMX_TEST_SMTP";

    /// <summary>The environment variable holding the folder the shared server dumps mail into.</summary>
    public const string DumpVariable = "CRMX_TEST_SMTP_DUMP";

    /// <summary>The header every outbox mail carries its business key in.</summary>
    public const string KeyHeader = "X-Crmx-Key";

    private static readonly string[] SinkPaths = ["/usr/sbin/smtp-sink", "/usr/bin/smtp-sink", "/usr/local/sbin/smtp-sink"];

    private readonly Process? _process;
    private readonly TempDirectory? _dump;

    private TestSmtpServer(string host, int port, string dumpDirectory, Process? process, TempDirectory? dump)
    {
        Host = host;
        Port = port;
        DumpDirectory = dumpDirectory;
        _process = process;
        _dump = dump;
    }

    /// <summary>Gets the host to connect to.</summary>
    public string Host { get; }

    /// <summary>Gets the port to connect to.</summary>
    public int Port { get; }

    /// <summary>Gets the folder holding one file per accepted mail.</summary>
    public string DumpDirectory { get; }

    /// <summary>Returns the shared server from the environment; disposing it stops nothing.</summary>
    public static TestSmtpServer Shared()
    {
        var server = Environment.GetEnvironmentVariable(ServerVariable);
        var dump = Environment.GetEnvironmentVariable(DumpVariable);
        if (string.IsNullOrWhiteSpace(server) || string.IsNullOrWhiteSpace(dump))
        {
            TestEnvironment.Unavailable(
                $"{ServerVariable} and {DumpVariable} are not set: run the tests with 'bash scripts/test.sh', which starts smtp-sink, or set them to a server and the folder it dumps mail into.");
        }

        var colon = server.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(server.AsSpan(colon + 1), NumberStyles.Integer, CultureInfo.InvariantCulture, out var port))
        {
            throw new InvalidOperationException($"{ServerVariable} must be host:port, not '{server}'.");
        }

        return new TestSmtpServer(server[..colon], port, dump, null, null);
    }

    /// <summary>Starts a private <c>smtp-sink</c> on a free loopback port, dumping into a fresh folder.</summary>
    /// <param name="options">Extra <c>smtp-sink</c> options, e.g. <c>-f</c>, <c>RCPT</c> to refuse recipients with 5xx.</param>
    public static TestSmtpServer Start(params string[] options)
    {
        var binary = SinkPaths.FirstOrDefault(File.Exists);
        if (binary is null)
        {
            TestEnvironment.Unavailable("smtp-sink (Debian package postfix) is not installed: run 'bash scripts/test.sh' as root, which installs it, or install postfix.");
        }

        var dump = new TempDirectory();
        var port = FreePort();
        var start = new ProcessStartInfo(binary) { RedirectStandardError = true, RedirectStandardOutput = true };
        if (!OperatingSystem.IsWindows() && Environment.IsPrivilegedProcess)
        {
            // smtp-sink refuses to keep root's privileges: it needs a user to switch to, who must be able to write the dump.
            File.SetUnixFileMode(dump.Path, (UnixFileMode)0b111_111_111);
            start.ArgumentList.Add("-u");
            start.ArgumentList.Add("nobody");
        }

        foreach (var option in options)
        {
            start.ArgumentList.Add(option);
        }

        start.ArgumentList.Add("-d");
        start.ArgumentList.Add(Path.Combine(dump.Path, "%M."));
        start.ArgumentList.Add($"127.0.0.1:{port}");
        start.ArgumentList.Add("1000");
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{binary} did not start.");
        var server = new TestSmtpServer("127.0.0.1", port, dump.Path, process, dump);
        for (var attempt = 0; attempt < 100; attempt++)
        {
            if (process.HasExited)
            {
                server.Dispose();
                throw new InvalidOperationException($"smtp-sink exited at once: {process.StandardError.ReadToEnd()}");
            }

            try
            {
                using var probe = new TcpClient();
                probe.Connect(IPAddress.Loopback, port);
                return server;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }

        server.Dispose();
        throw new InvalidOperationException($"smtp-sink did not listen on 127.0.0.1:{port} within 5 s.");
    }

    /// <summary>The business keys (<c>X-Crmx-Key</c>) of the dumped mails whose key starts with <paramref name="prefix"/>, one entry per mail.</summary>
    /// <remarks>Reads each file only up to the header; a file still being written without it yet is skipped.</remarks>
    public IReadOnlyList<string> ReceivedKeys(string prefix)
    {
        var keys = new List<string>();
        foreach (var file in Directory.EnumerateFiles(DumpDirectory))
        {
            try
            {
                var key = File.ReadLines(file).FirstOrDefault(l => l.StartsWith(KeyHeader + ": ", StringComparison.OrdinalIgnoreCase));
                if (key is not null && key[(KeyHeader.Length + 2)..].StartsWith(prefix, StringComparison.Ordinal))
                {
                    keys.Add(key[(KeyHeader.Length + 2)..]);
                }
            }
            catch (IOException)
            {
                // Written right now by the server; the next look sees it whole.
            }
        }

        return keys;
    }

    /// <summary>How many mails the server has dumped so far, of every test.</summary>
    public int DumpedCount() => Directory.EnumerateFiles(DumpDirectory).Count();

    /// <summary>The full text of every dumped mail whose business key starts with <paramref name="prefix"/>.</summary>
    public IReadOnlyList<string> ReceivedMails(string prefix) =>
        Directory.EnumerateFiles(DumpDirectory).Select(File.ReadAllText)
            .Where(t => t.Contains($"{KeyHeader}: {prefix}", StringComparison.Ordinal)).ToList();

    /// <summary>Stops a private server and deletes its dump; the shared one is left running.</summary>
    public void Dispose()
    {
        if (_process is not null)
        {
            try
            {
                _process.Kill();
                _process.WaitForExit(5000);
            }
            catch (InvalidOperationException)
            {
                // Already exited.
            }

            _process.Dispose();
        }

        _dump?.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
