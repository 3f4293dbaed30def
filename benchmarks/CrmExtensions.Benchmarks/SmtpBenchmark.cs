using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using CrmExtensions.Mail.Consent;
using CrmExtensions.Mail.Delivery;
using CrmExtensions.Mail.Outbox;
using CrmExtensions.Store;
using MailKit.Net.Smtp;
using MimeKit;

/// <summary>End-to-end outbox throughput to a local SMTP server, against bare MailKit sending the same mails.</summary>
internal static class SmtpBenchmark
{
    public static int Run(string? server, int messages, int runs, string work)
    {
        Process? sink = null;
        if (server is null)
        {
            var binary = new[] { "/usr/sbin/smtp-sink", "/usr/bin/smtp-sink" }.FirstOrDefault(File.Exists);
            if (binary is null)
            {
                Console.Error.WriteLine("smtp: no --smtp HOST:PORT given and smtp-sink (Debian package postfix) is not installed.");
                return 1;
            }

            var port = FreePort();
            string[] user = Environment.IsPrivilegedProcess ? ["-u", "nobody"] : [];
            sink = Process.Start(new ProcessStartInfo(binary, [.. user, $"127.0.0.1:{port}", "1000"]) { RedirectStandardError = true })!;
            server = $"127.0.0.1:{port}";
            Thread.Sleep(300);
            Console.WriteLine($"started {binary} on {server} (discards every mail)");
        }

        try
        {
            var host = server[..server.LastIndexOf(':')];
            var port = int.Parse(server[(server.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            // A short warm-up run first: JIT and the first connections would otherwise count against run 1.
            Bare(host, port, Mails(500, 0), async: false);
            Outbox(host, port, Mails(500, 0), Path.Combine(work, "smtp-warm-up"));
            var baseline = new List<double>();
            var baselineAsync = new List<double>();
            var dispatch = new List<double>();
            var enqueue = new List<double>();
            for (var run = 1; run <= runs; run++)
            {
                var mails = Mails(messages, run);
                baseline.Add(Bare(host, port, mails, async: false));
                baselineAsync.Add(Bare(host, port, mails, async: true));
                var (queued, sent) = Outbox(host, port, mails, Path.Combine(work, $"smtp-run-{run}"));
                enqueue.Add(queued);
                dispatch.Add(sent);
                Console.WriteLine($"run {run}: bare MailKit {baseline[^1]:N0} msg/s (async API {baselineAsync[^1]:N0}); outbox enqueue {queued:N0} msg/s; dispatch {sent:N0} msg/s");
            }

            Console.WriteLine($"median of {runs} runs, {messages:N0} messages each, {Environment.ProcessorCount} cores, SQLite store:");
            Console.WriteLine($"  bare MailKit, one connection, no store : {Bench.Median(baseline):N0} msg/s");
            Console.WriteLine($"  the same with MailKit's async API      : {Bench.Median(baselineAsync):N0} msg/s");
            Console.WriteLine($"  outbox enqueue (insert-once by key)    : {Bench.Median(enqueue):N0} msg/s");
            Console.WriteLine($"  outbox dispatch end to end             : {Bench.Median(dispatch):N0} msg/s (target ≥ 1,000)");
            return 0;
        }
        finally
        {
            if (sink is not null)
            {
                sink.Kill();
                sink.WaitForExit();
            }
        }
    }

    private static List<OutboxMessage> Mails(int count, int run) => Enumerable.Range(1, count).Select(i => new OutboxMessage(
        $"bench:{run}:{i}", i % 2 == 0 ? MailCategory.Marketing : MailCategory.Transactional, "campaign:bench", "bench/letter",
        $"client{i}@example.ru", $"Сверка взаиморасчётов №{i}", $"<p>Добрый день, клиент {i}! Задолженность 12 345,67 ₽.</p>",
        $"Добрый день, клиент {i}! Задолженность 12 345,67 ₽.") { ClientId = i, ToName = $"ООО Клиент {i}" }).ToList();

    /// <summary>The baseline: the same mails built by MimeKit and sent over one MailKit connection, nothing recorded.</summary>
    /// <remarks>Both of MailKit's APIs are measured; the dispatcher uses the async one.</remarks>
    private static double Bare(string host, int port, List<OutboxMessage> mails, bool async)
    {
        var clock = Stopwatch.StartNew();
        using var client = new SmtpClient();
        client.Connect(host, port, MailKit.Security.SecureSocketOptions.None);
        foreach (var mail in mails)
        {
            var message = new MimeMessage();
            message.From.Add(MailboxAddress.Parse("crm@example.ru"));
            message.To.Add(new MailboxAddress(mail.ToName, mail.To));
            message.Subject = mail.Subject;
            message.Body = new BodyBuilder { TextBody = mail.TextBody, HtmlBody = mail.HtmlBody }.ToMessageBody();
            if (async)
            {
                client.SendAsync(message).GetAwaiter().GetResult();
            }
            else
            {
                client.Send(message);
            }
        }

        client.Disconnect(true);
        return mails.Count / clock.Elapsed.TotalSeconds;
    }

    private static (double Enqueue, double Dispatch) Outbox(string host, int port, List<OutboxMessage> mails, string folder)
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        Directory.CreateDirectory(folder);
        var store = new CrmStore(CrmExtensions.Store.Providers.DatabaseProvider.Sqlite, "Data Source=" + Path.Combine(folder, "crm.db"), TimeProvider.System);
        store.Migrate();
        var clock = Stopwatch.StartNew();
        new OutboxStore(store).EnqueueAsync(mails, CancellationToken.None).GetAwaiter().GetResult();
        var enqueue = mails.Count / clock.Elapsed.TotalSeconds;
        var dispatcher = new MailDispatcher(store, new DispatchOptions
        {
            From = "crm@example.ru",
            Smtp = new SmtpSettings { Host = host, Port = port },
            Unsubscribe = new UnsubscribeLinks("https://crm.example.ru", "benchmark-secret-0123456789", TimeProvider.System),
        });
        clock.Restart();
        var summary = dispatcher.RunAsync(once: true, CancellationToken.None).GetAwaiter().GetResult();
        var dispatch = summary.Sent / clock.Elapsed.TotalSeconds;
        if (summary.Sent != mails.Count)
        {
            throw new InvalidOperationException($"only {summary.Sent} of {mails.Count} sent: {summary}");
        }

        return (enqueue, dispatch);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
