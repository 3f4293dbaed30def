using System.Text.Json;
using CrmExtensions.Store.Mirror;

namespace CrmExtensions.Ledger.Mapping;

/// <summary>Reads mapping files (JSON with comments) and reports every problem in them at once.</summary>
public static class MappingLoader
{
    private static readonly JsonDocumentOptions JsonOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>Loads a mapping file.</summary>
    /// <param name="ledger">The ledger it belongs to, for messages.</param>
    /// <param name="path">The file.</param>
    /// <param name="problems">Receives every problem found; the mapping is null when any was.</param>
    public static LedgerMapping? Load(string ledger, string path, ICollection<LedgerProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        if (!File.Exists(path))
        {
            problems.Add(new LedgerProblem(ledger, $"mapping file not found: {path}") { MappingFile = path });
            return null;
        }

        return Parse(ledger, path, File.ReadAllText(path), problems);
    }

    /// <summary>Parses mapping text; <paramref name="path"/> is only used in messages.</summary>
    public static LedgerMapping? Parse(string ledger, string path, string json, ICollection<LedgerProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        var before = problems.Count;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, JsonOptions);
        }
        catch (JsonException ex)
        {
            var where = $"{Path.GetFileName(path)}({(ex.LineNumber ?? 0) + 1},{(ex.BytePositionInLine ?? 0) + 1})";
            problems.Add(new LedgerProblem(ledger, $"{where}: not valid JSON: {FirstSentence(ex.Message)}") { MappingFile = path });
            return null;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                problems.Add(Problem(ledger, path, null, "the mapping must be a JSON object with one property per kind (counterparties, invoices, payments, contacts, …) and optionally \"currency\""));
                return null;
            }

            var kinds = new List<KindMapping>();
            string? currency = null;
            foreach (var property in root.EnumerateObject())
            {
                if (property.Name == "currency")
                {
                    if (property.Value.ValueKind != JsonValueKind.String || !Currency.TryNormalize(property.Value.GetString(), out currency) || currency is null)
                    {
                        problems.Add(Problem(ledger, path, null,
                            $"\"currency\" must name the ledger's currency as an ISO 4217 code such as \"RUB\", \"USD\" or \"EUR\"; found {property.Value.GetRawText()}"));
                    }

                    continue;
                }

                var kind = MirrorSchema.Find(property.Name);
                if (kind is null)
                {
                    var hint = Suggest.Closest(property.Name, MirrorSchema.Kinds.Select(k => k.Name));
                    problems.Add(Problem(ledger, path, null,
                        $"unknown kind '{property.Name}'{(hint is null ? "" : $" (did you mean '{hint}'?)")}; kinds are: {string.Join(", ", MirrorSchema.Kinds)}"));
                    continue;
                }

                if (ReadKind(ledger, path, kind, property.Value, problems) is { } mapping)
                {
                    kinds.Add(mapping);
                }
            }

            if (!root.TryGetProperty(MirrorSchema.Counterparties.Name, out _))
            {
                problems.Add(Problem(ledger, path, null, "the kind 'counterparties' is required and missing"));
            }

            return problems.Count > before
                ? null
                : new LedgerMapping(path, MirrorSchema.Kinds.Select(k => kinds.Find(m => m.Kind == k)).OfType<KindMapping>().ToList(), currency);
        }
    }

    private static KindMapping? ReadKind(string ledger, string path, MirrorKind kind, JsonElement element, ICollection<LedgerProblem> problems)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            problems.Add(Problem(ledger, path, kind.Name, "must be an object with a \"query\" (and optionally a \"watermark\")"));
            return null;
        }

        string? query = null;
        string? watermark = null;
        var ok = true;
        foreach (var property in element.EnumerateObject())
        {
            switch (property.Name)
            {
                case "query" when property.Value.ValueKind == JsonValueKind.String:
                    query = property.Value.GetString();
                    break;
                case "watermark" when property.Value.ValueKind is JsonValueKind.String or JsonValueKind.Null:
                    watermark = property.Value.GetString();
                    break;
                case "query" or "watermark":
                    problems.Add(Problem(ledger, path, kind.Name, $"\"{property.Name}\" must be a string"));
                    ok = false;
                    break;
                default:
                    problems.Add(Problem(ledger, path, kind.Name, $"unknown property \"{property.Name}\"; a kind has \"query\" and \"watermark\""));
                    ok = false;
                    break;
            }
        }

        if (string.IsNullOrWhiteSpace(query))
        {
            problems.Add(Problem(ledger, path, kind.Name, "\"query\" is missing or empty"));
            return null;
        }

        if (watermark is not null && kind.Ordinal(watermark) < 0)
        {
            problems.Add(Problem(ledger, path, kind.Name,
                $"watermark '{watermark}' is not a column of {kind.Name}; name one of the query's canonical columns, e.g. updated_at") with
            { Column = watermark });
            ok = false;
        }

        return ok ? new KindMapping(kind, query.Trim(), string.IsNullOrWhiteSpace(watermark) ? null : watermark) : null;
    }

    private static LedgerProblem Problem(string ledger, string path, string? kind, string message) =>
        new(ledger, message) { Kind = kind, MappingFile = path };

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
