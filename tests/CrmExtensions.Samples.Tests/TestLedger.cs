using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace CrmExtensions.Samples.Tests;

/// <summary>A counterparty row as the emitted mapping yields it, keys trimmed as the host trims them.</summary>
internal sealed record MappedCounterparty(
    string Ledger, string LedgerId, string Name, string? TaxId, string? BranchCode, string? RegistrationNumber,
    string? ParentLedgerId, string? Phone, string? Email);

/// <summary>One row of truth.csv.</summary>
internal sealed record TruthRow(string Ledger, string LedgerId, string LegalEntity, string Client, string Role, bool InnValid);

/// <summary>Reads what the generator wrote, only through the emitted mapping and the truth file.</summary>
internal static class TestLedger
{
    public static readonly JsonDocumentOptions JsonOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    public static string NewDirectory() => Path.Combine(Path.GetTempPath(), "crmx-samples-tests", Guid.NewGuid().ToString("N"));

    public static SqliteConnection OpenReadOnly(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    public static IReadOnlyDictionary<string, string> Queries(string mappingPath)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(mappingPath), JsonOptions);
        return document.RootElement.EnumerateObject().ToDictionary(kind => kind.Name, kind => kind.Value.GetProperty("query").GetString()!);
    }

    public static List<TruthRow> ReadTruth(string truthPath)
    {
        var lines = File.ReadAllLines(truthPath);
        Assert.That(lines[0], Is.EqualTo("ledger,ledger_id,legal_entity,client,role,inn_valid"));
        return lines.Skip(1).Select(line =>
        {
            var f = line.Split(',');
            return new TruthRow(f[0], f[1], f[2], f[3], f[4], bool.Parse(f[5]));
        }).ToList();
    }

    public static List<MappedCounterparty> ReadCounterparties(SampleLedgerResult result)
    {
        var query = Queries(result.MappingPath)["counterparties"];
        var rows = new List<MappedCounterparty>();
        foreach (var ledger in result.Ledgers)
        {
            using var connection = OpenReadOnly(ledger.Path);
            using var command = connection.CreateCommand();
            command.CommandText = query;
            using var reader = command.ExecuteReader();
            string? Text(string column) => reader[column] is string s ? s : null;
            while (reader.Read())
            {
                rows.Add(new MappedCounterparty(
                    ledger.Name, Text("ledger_id")!.Trim(), Text("name")!, Text("tax_id"), Text("branch_code"),
                    Text("registration_number"), Text("parent_ledger_id")?.Trim(), Text("phone"), Text("email")));
            }
        }

        return rows;
    }

    /// <summary>Contacts per (ledger, counterparty id): full name and phone digits.</summary>
    public static ILookup<(string Ledger, string Id), (string Name, string? Phone)> ReadContacts(SampleLedgerResult result)
    {
        var query = Queries(result.MappingPath)["contacts"];
        var rows = new List<((string, string) Key, (string, string?) Value)>();
        foreach (var ledger in result.Ledgers)
        {
            using var connection = OpenReadOnly(ledger.Path);
            using var command = connection.CreateCommand();
            command.CommandText = query;
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var phone = reader["phone"] is string p ? PhoneDigits(p) : null;
                rows.Add(((ledger.Name, ((string)reader["counterparty_id"]).Trim()), ((string)reader["full_name"], phone)));
            }
        }

        return rows.ToLookup(r => r.Key, r => r.Value);
    }

    /// <summary>The number without its country prefix and without an extension, so that formats compare.</summary>
    public static string PhoneDigits(string phone)
    {
        var main = phone.Split("доб", StringSplitOptions.None)[0];
        var digits = new string(main.Where(char.IsAsciiDigit).ToArray());
        return digits.Length == 11 && digits[0] is '7' or '8' ? digits[1..] : digits;
    }

    public static string? PrivateDomain(string? email)
    {
        if (email is null)
        {
            return null;
        }

        var domain = email.Split('@')[1].Trim().ToLowerInvariant();
        return domain is "mail.ru" or "yandex.ru" or "gmail.com" or "bk.ru" or "list.ru" or "inbox.ru" or "rambler.ru" or "ya.ru" ? null : domain;
    }

    /// <summary>Walks up from the test binaries to the folder holding the solution.</summary>
    public static string? RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CrmExtensions.sln")))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}
