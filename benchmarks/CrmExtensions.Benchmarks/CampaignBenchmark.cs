using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Data.Sqlite;

/// <summary>
/// <c>crmx campaign send</c> of the sample statement pack to every client of a large store (rendered and queued), beside
/// a bare write of as many outbox rows in the same run.
/// </summary>
internal static partial class CampaignBenchmark
{
    public static int Run(int counterparties, int runs, string pack, string work, string crmx)
    {
        // The report benchmark's store: a sample ledger with three invoices per counterparty, synced and unified.
        ReportBenchmark.Prepare(counterparties, work, crmx);

        var source = Path.Combine(ReportBenchmark.Folder(counterparties, work), "crm.db");
        var folder = Path.Combine(work, "campaign-run");
        Directory.CreateDirectory(folder);
        var copy = Path.Combine(folder, "crm.db");
        File.WriteAllText(Path.Combine(folder, "crmx.json"), """
            { "ledgers": [], "store": { "provider": "sqlite", "connectionString": "Data Source=crm.db" },
              "mail": { "from": "sales@example.com", "company": "Bench", "unsubscribe": { "baseUrl": "https://crm.example.com", "secret": "bench-secret-0123456789abcdef" } },
              "marketing": { "holdBackProblems": false } }
            """);

        var bare = new List<(double Seconds, double Cpu)>();
        var send = new List<(double Seconds, double Cpu)>();
        long mails = 0;
        for (var run = 1; run <= runs; run++)
        {
            File.Copy(source, copy, overwrite: true);
            var (rows, bareTime) = BareQueue(copy);
            bare.Add(bareTime);
            File.Copy(source, copy, overwrite: true);
            var cpu = Bench.ChildrenCpuSeconds();
            var clock = Stopwatch.StartNew();
            var output = Bench.Crmx(crmx, folder, "campaign", "send", pack, "--id", "bench", "--holdout", "0");
            send.Add((clock.Elapsed.TotalSeconds, Bench.ChildrenCpuSeconds() - cpu));
            mails = long.Parse(Queued().Match(output).Groups[1].Value.Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);
            if (run == 1)
            {
                Console.Write(output);
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"run {run}: bare read and insert of {rows:N0} outbox rows {bare[^1].Seconds:0.00} s (CPU {bare[^1].Cpu:0.00}); crmx campaign send, {mails:N0} mails rendered and queued {send[^1].Seconds:0.00} s (CPU {send[^1].Cpu:0.00}); load average {ReportBenchmark.LoadAverage()}"));
        }

        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"median of {runs} runs, {counterparties:N0} counterparties, {Environment.ProcessorCount} cores:"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  bare: read each client's head address, insert one row each in one transaction : {Bench.Median(bare.Select(b => b.Seconds)):0.00} s (CPU {Bench.Median(bare.Select(b => b.Cpu)):0.00})"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  crmx campaign send (process start to exit, {mails:N0} mails)                 : {Bench.Median(send.Select(s => s.Seconds)):0.00} s (CPU {Bench.Median(send.Select(s => s.Cpu)):0.00}), target ≤ 30 s for 100,000"));
        return 0;
    }

    /// <summary>The baseline: every live client's head address read in one statement, one outbox row inserted per client
    /// with an address, in one transaction; nothing rendered, no model, no suppression or group bookkeeping.</summary>
    private static (long Rows, (double Seconds, double Cpu) Time) BareQueue(string store)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        using var connection = new SqliteConnection("Data Source=" + store);
        connection.Open();
        var recipients = connection.Query<(long ClientId, string Email)>(
            "SELECT m.client_id, c.email FROM client_members m JOIN clients k ON k.client_id = m.client_id AND k.retired_at IS NULL " +
            "JOIN mirror_counterparties c ON c.ledger = m.ledger AND c.ledger_id = m.ledger_id WHERE m.role = 'head' AND c.email IS NOT NULL AND c.email <> ''").AsList();
        using var tx = connection.BeginTransaction();
        using var insert = connection.CreateCommand();
        insert.Transaction = tx;
        insert.CommandText = "INSERT INTO outbox (business_key, plugin_id, template, to_address, subject, body, status, created_at, category, source, client_id, attempts, next_attempt_at, updated_at) " +
            "VALUES (@key, 'campaign:bare', 'statement', @to, 'Statement', 'Body', 'queued', '2026-06-30T00:00:00Z', 'marketing', 'campaign:bare', @client, 0, '2026-06-30T00:00:00Z', '2026-06-30T00:00:00Z')";
        var key = insert.Parameters.Add("@key", SqliteType.Text);
        var to = insert.Parameters.Add("@to", SqliteType.Text);
        var client = insert.Parameters.Add("@client", SqliteType.Integer);
        insert.Prepare();
        var seen = new HashSet<long>();
        foreach (var (clientId, email) in recipients)
        {
            if (seen.Add(clientId))
            {
                key.Value = "campaign:bare:" + clientId.ToString(CultureInfo.InvariantCulture);
                to.Value = email;
                client.Value = clientId;
                insert.ExecuteNonQuery();
            }
        }

        tx.Commit();
        return (seen.Count, (clock.Elapsed.TotalSeconds, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds));
    }

    [GeneratedRegex(@"Queued ([\d,]+) new mail")]
    private static partial Regex Queued();
}
