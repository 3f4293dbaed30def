using System.Security.Cryptography;
using System.Text;

namespace CrmExtensions.Samples.Tests;

public sealed partial class SampleLedgerTests
{
    [Test]
    public void Generate_SameSeedTwice_SameContent()
    {
        var options = SmallOptions(seed: 42);
        var first = ContentHash(options);
        var second = ContentHash(options);

        Assert.That(second, Is.EqualTo(first));
    }

    [Test]
    public void Generate_OtherSeed_OtherContent()
    {
        Assert.That(ContentHash(SmallOptions(seed: 43)), Is.Not.EqualTo(ContentHash(SmallOptions(seed: 42))));
    }

    /// <summary>Hashes every row of every table (not the file bytes, which carry the SQLite version) plus the truth and the mapping.</summary>
    private static string ContentHash(SampleLedgerOptions options)
    {
        var directory = TestLedger.NewDirectory();
        try
        {
            var result = SampleLedger.Generate(directory, options);
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            foreach (var ledger in result.Ledgers)
            {
                using var connection = TestLedger.OpenReadOnly(ledger.Path);
                var tables = new List<string>();
                using (var list = connection.CreateCommand())
                {
                    list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name";
                    using var reader = list.ExecuteReader();
                    while (reader.Read())
                    {
                        tables.Add(reader.GetString(0));
                    }
                }

                foreach (var table in tables)
                {
                    using var command = connection.CreateCommand();
                    command.CommandText = $"SELECT * FROM \"{table}\" ORDER BY 1";
                    using var reader = command.ExecuteReader();
                    while (reader.Read())
                    {
                        for (var i = 0; i < reader.FieldCount; i++)
                        {
                            hash.AppendData(Encoding.UTF8.GetBytes($"{reader.GetValue(i)}\u001f"));
                        }

                        hash.AppendData("\n"u8);
                    }
                }
            }

            hash.AppendData(File.ReadAllBytes(result.TruthPath));
            hash.AppendData(File.ReadAllBytes(result.MappingPath));
            return Convert.ToHexString(hash.GetHashAndReset());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
