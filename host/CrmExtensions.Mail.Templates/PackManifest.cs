using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CrmExtensions.Mail.Templates;

/// <summary>
/// <c>pack.json</c>: a template pack's name, its locales (the first is the default), whether its mail is marketing
/// or transactional, and the model variables it needs.
/// </summary>
/// <remarks>
/// <code>
/// { "name": "spring-sale", "description": "…", "locales": ["ru-RU", "en"], "category": "marketing",
///   "needs": ["client", "contact", "invoices", "sender", "unsubscribe_url"] }
/// </code>
/// </remarks>
internal sealed class PackManifest
{
    public const string FileName = "pack.json";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    [JsonPropertyName("name")]
    public string? Name { get; init; }

    [JsonPropertyName("description")]
    public string? Description { get; init; }

    [JsonPropertyName("locale")]
    public string? Locale { get; init; }

    [JsonPropertyName("locales")]
    public IReadOnlyList<string>? Locales { get; init; }

    [JsonPropertyName("category")]
    public string? Category { get; init; }

    [JsonPropertyName("needs")]
    public IReadOnlyList<string>? Needs { get; init; }

    /// <summary>The locales, the default first.</summary>
    [JsonIgnore]
    public IReadOnlyList<string> AllLocales => Locales is { Count: > 0 } ? Locales : Locale is null ? [] : [Locale];

    /// <summary>Whether the pack's mail is marketing (the default) rather than transactional.</summary>
    [JsonIgnore]
    public bool IsMarketing => !string.Equals(Category, "transactional", StringComparison.OrdinalIgnoreCase);

    /// <summary>Reads a manifest; problems are added to <paramref name="errors"/> as <c>file(line,col): message</c>.</summary>
    public static PackManifest? Read(string path, string display, List<string> errors)
    {
        PackManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<PackManifest>(File.ReadAllText(path), Json);
        }
        catch (JsonException ex)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture,
                $"{display}({(ex.LineNumber ?? 0) + 1},{(ex.BytePositionInLine ?? 0) + 1}): {FirstSentence(ex.Message)}"));
            return null;
        }

        if (manifest is null)
        {
            errors.Add($"{display}: is empty; give at least {{ \"name\": \"…\", \"locale\": \"ru-RU\" }}.");
            return null;
        }

        var before = errors.Count;
        if (string.IsNullOrWhiteSpace(manifest.Name))
        {
            errors.Add($"{display}: 'name' is missing.");
        }

        if (manifest.AllLocales.Count == 0)
        {
            errors.Add($"{display}: give 'locale' or 'locales'; supported: {MailLocale.Supported}.");
        }

        foreach (var locale in manifest.AllLocales)
        {
            if (!MailLocale.TryFind(locale, out _))
            {
                errors.Add($"{display}: locale '{locale}' is not supported; use {MailLocale.Supported}.");
            }
        }

        if (manifest.Category is not null && !manifest.Category.Equals("marketing", StringComparison.OrdinalIgnoreCase)
            && !manifest.Category.Equals("transactional", StringComparison.OrdinalIgnoreCase))
        {
            errors.Add($"{display}: category '{manifest.Category}' is neither 'marketing' nor 'transactional'.");
        }

        return errors.Count == before ? manifest : null;
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(" Path:", StringComparison.Ordinal);
        return end < 0 ? message : message[..end];
    }
}
