using System.Net.Sockets;
using System.Text;

namespace CrmExtensions.Testing.Tests;

public sealed class TestSmtpServerTests
{
    /// <summary>Speaks plain SMTP to the server, one line at a time, and returns its last reply.</summary>
    private static string Send(TestSmtpServer server, string key)
    {
        using var client = new TcpClient(server.Host, server.Port);
        using var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.ASCII);
        using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
        string Reply()
        {
            string line;
            do
            {
                line = reader.ReadLine() ?? "";
            }
            while (line.Length > 3 && line[3] == '-');
            return line;
        }

        Reply();
        foreach (var command in new[] { "HELO test", "MAIL FROM:<a@b.ru>", "RCPT TO:<c@d.ru>", "DATA" })
        {
            writer.WriteLine(command);
            Reply();
        }

        writer.WriteLine($"X-Crmx-Key: {key}\r\nSubject: test\r\n\r\nbody\r\n.");
        var accepted = Reply();
        writer.WriteLine("QUIT");
        Reply();
        return accepted;
    }

    [Test]
    public void Start_AMailSent_IsDumpedWithItsKey()
    {
        using var server = TestSmtpServer.Start();

        var reply = Send(server, "t:1");

        Assert.That(reply, Does.StartWith("250"));
        Assert.That(() => server.ReceivedKeys("t:"), Is.EqualTo(new[] { "t:1" }).After(5000, 50));
        Assert.That(server.ReceivedKeys("other:"), Is.Empty);
    }

    [Test]
    public void Start_RefusingTheEndOfData_RepliesWith5xxButStillDumpsWhatItReceived()
    {
        using var server = TestSmtpServer.Start("-f", ".");

        var reply = Send(server, "t:2");

        Assert.That(reply, Does.StartWith("5"));
        Assert.That(() => server.ReceivedKeys("t:"), Is.EqualTo(new[] { "t:2" }).After(5000, 50));
    }

    [Test]
    public void Dispose_PrivateServer_StopsListening()
    {
        var server = TestSmtpServer.Start();
        var (host, port) = (server.Host, server.Port);

        server.Dispose();

        Assert.Throws<SocketException>(() => new TcpClient(host, port).Dispose());
    }
}
