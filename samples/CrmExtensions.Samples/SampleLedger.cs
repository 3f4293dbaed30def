using System.Text;
using CrmExtensions.Samples.Internal;

namespace CrmExtensions.Samples;

/// <summary>Generates the sample ledgers: 1C-style SQLite databases of a Russian supplier, their mapping file and the ground truth.</summary>
/// <remarks>See <c>samples/CrmExtensions.Samples/README.md</c> for the schema, the traps and the truth format.</remarks>
public static class SampleLedger
{
    /// <summary>The name of the mapping file written beside the ledgers.</summary>
    public const string MappingFileName = "sample.map.json";

    /// <summary>The name of the ground-truth file written beside the ledgers.</summary>
    public const string TruthFileName = "truth.csv";

    private const string MappingResource = "CrmExtensions.Samples.sample.map.json";

    /// <summary>Writes one <c>&lt;name&gt;.db</c> per ledger, the mapping file and <c>truth.csv</c> into <paramref name="directory"/>.</summary>
    /// <param name="directory">The output folder; created when absent. Existing files of the same names are replaced.</param>
    /// <param name="options">What to generate; the same options give the same rows.</param>
    /// <param name="progress">Receives the stage and the rows done; may be null.</param>
    /// <param name="cancellationToken">Stops the generation; the files begun are deleted.</param>
    /// <returns>The files written and their row counts.</returns>
    /// <exception cref="ArgumentException">The directory is empty, or a ledger name is empty, repeated or not a plain name.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A number or the date in <paramref name="options"/> is out of range.</exception>
    /// <exception cref="OperationCanceledException">The generation was cancelled.</exception>
    public static SampleLedgerResult Generate(
        string directory, SampleLedgerOptions options, IProgress<SampleProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        cancellationToken.ThrowIfCancellationRequested();

        var root = Path.GetFullPath(directory);
        Directory.CreateDirectory(root);
        var paths = options.Ledgers.Select(name => Path.Combine(root, name + ".db")).ToArray();
        var truthPath = Path.Combine(root, TruthFileName);
        var mappingPath = Path.Combine(root, MappingFileName);
        var writers = new List<LedgerWriter>(paths.Length);
        try
        {
            foreach (var path in paths)
            {
                DeleteDatabase(path);
            }

            for (var i = 0; i < paths.Length; i++)
            {
                writers.Add(new LedgerWriter(options.Ledgers[i], paths[i]));
            }

            IReadOnlyList<PlantedPair> planted;
            using (var truth = new StreamWriter(truthPath, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 1 << 16))
            using (var run = new GenerationRun(options, writers, truth, progress))
            {
                run.Run(cancellationToken);
                planted = run.PlantedPairs;
                for (var i = 0; i < writers.Count; i++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    writers[i].Finish();
                    progress?.Report(new SampleProgress("indexes", i + 1, writers.Count));
                }
            }

            WriteMapping(mappingPath);
            var files = writers
                .Select(w => new SampleLedgerFile(w.Name, w.Path, w.Counterparties, w.PostedInvoices, w.Payments, w.Contacts) { InvoiceLines = w.PostedLines })
                .ToArray();
            return new SampleLedgerResult(files, mappingPath, truthPath) { PlantedPairs = planted };
        }
        catch
        {
            foreach (var writer in writers)
            {
                writer.Dispose();
            }

            foreach (var path in paths)
            {
                DeleteDatabase(path);
            }

            File.Delete(truthPath);
            throw;
        }
    }

    /// <summary>Reads the mapping file embedded in this assembly.</summary>
    internal static string ReadMapping()
    {
        using var stream = typeof(SampleLedger).Assembly.GetManifestResourceStream(MappingResource)
            ?? throw new InvalidOperationException($"The embedded resource '{MappingResource}' is missing; rebuild CrmExtensions.Samples.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private static void WriteMapping(string path) => File.WriteAllText(path, ReadMapping(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));

    private static void DeleteDatabase(string path)
    {
        File.Delete(path);
        File.Delete(path + "-journal");
        File.Delete(path + "-wal");
        File.Delete(path + "-shm");
    }

    private static void Validate(SampleLedgerOptions options)
    {
        if (options.Counterparties is < 100 or > 1_000_000)
        {
            throw new ArgumentOutOfRangeException(
                nameof(options), options.Counterparties, $"{nameof(SampleLedgerOptions.Counterparties)} must be between 100 and 1,000,000.");
        }

        if (!double.IsFinite(options.InvoicesPerCounterparty) || options.InvoicesPerCounterparty is < 0 or > 100)
        {
            throw new ArgumentOutOfRangeException(
                nameof(options), options.InvoicesPerCounterparty, $"{nameof(SampleLedgerOptions.InvoicesPerCounterparty)} must be between 0 and 100.");
        }

        if (options.AsOf.Year is < 2005 or > 2099)
        {
            throw new ArgumentOutOfRangeException(
                nameof(options), options.AsOf, $"{nameof(SampleLedgerOptions.AsOf)} must fall in the years 2005 to 2099: OGRN numbers and the three-year history need it.");
        }

        if (options.Ledgers is null || options.Ledgers.Count is 0 or > 50)
        {
            throw new ArgumentException($"{nameof(SampleLedgerOptions.Ledgers)} must name between 1 and 50 ledgers.", nameof(options));
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in options.Ledgers)
        {
            if (string.IsNullOrEmpty(name) || name.Length > 64 || !name.All(c => char.IsLetterOrDigit(c) || c is '-' or '_'))
            {
                throw new ArgumentException(
                    $"Ledger name '{name}' is not usable as a file name: use 1 to 64 letters, digits, '-' or '_'.", nameof(options));
            }

            if (!seen.Add(name))
            {
                throw new ArgumentException($"Ledger name '{name}' appears more than once (names are compared ignoring case).", nameof(options));
            }
        }
    }
}
