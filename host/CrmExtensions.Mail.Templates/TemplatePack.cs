using Scriban;

namespace CrmExtensions.Mail.Templates;

/// <summary>
/// A template pack: a folder with <c>pack.json</c> and, per locale, <c>subject.scriban</c>, <c>body.html.scriban</c>
/// and/or <c>body.txt.scriban</c>, plus any partials they include. Parsed once at load, rendered sandboxed.
/// </summary>
/// <remarks>
/// A pack of one locale keeps its files at the top of the folder or in a folder named after the locale; a pack of
/// several locales has one folder per locale (<c>ru-RU/</c>, <c>en/</c>). Includes name files by their path inside
/// the pack (<c>{{ include "partials/footer" }}</c>). Thread-safe once loaded.
/// </remarks>
internal sealed class TemplatePack
{
    public const string Extension = ".scriban";
    public const string SubjectFile = "subject" + Extension;
    public const string HtmlFile = "body.html" + Extension;
    public const string TextFile = "body.txt" + Extension;

    private readonly Dictionary<string, Variant> _variants;
    private readonly TemplateSandbox _sandbox;

    private TemplatePack(string directory, PackManifest manifest, Dictionary<string, Variant> variants, TemplateSandbox sandbox)
    {
        Directory = directory;
        Manifest = manifest;
        _variants = variants;
        _sandbox = sandbox;
    }

    /// <summary>The pack's name from its manifest.</summary>
    public string Name => Manifest.Name!;

    /// <summary>The pack's folder.</summary>
    public string Directory { get; }

    public PackManifest Manifest { get; }

    /// <summary>The locales, the default first.</summary>
    public IReadOnlyList<string> Locales => Manifest.AllLocales;

    /// <summary>Whether <paramref name="directory"/> holds a pack (has a manifest).</summary>
    public static bool IsPack(string directory) => File.Exists(Path.Combine(directory, PackManifest.FileName));

    /// <summary>Loads a pack: reads the manifest, parses every template, checks what the pack needs.</summary>
    /// <param name="directory">The pack's folder.</param>
    /// <param name="knownVariables">The variables the model offers; a need outside them is an error. Null: not checked.</param>
    /// <param name="limits">The sandbox's limits; null for the defaults.</param>
    /// <exception cref="TemplateErrorsException">Every problem of the manifest and the templates.</exception>
    public static TemplatePack Load(string directory, IReadOnlyCollection<string>? knownVariables = null, SandboxLimits? limits = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var root = Path.GetFullPath(directory);
        var prefix = Path.GetFileName(root.TrimEnd(Path.DirectorySeparatorChar));
        var errors = new List<string>();
        if (!System.IO.Directory.Exists(root))
        {
            throw new TemplateErrorsException([$"{directory}: no such template pack folder."]);
        }

        if (!IsPack(root))
        {
            throw new TemplateErrorsException([$"{prefix}/{PackManifest.FileName}: missing; a template pack needs a manifest with its name and locale."]);
        }

        var manifest = PackManifest.Read(Path.Combine(root, PackManifest.FileName), $"{prefix}/{PackManifest.FileName}", errors);
        var files = TemplateFiles.Load(root, prefix, recursive: true, errors);
        var variants = new Dictionary<string, Variant>(StringComparer.OrdinalIgnoreCase);
        if (manifest is not null)
        {
            foreach (var name in manifest.AllLocales)
            {
                MailLocale.TryFind(name, out var locale);
                var folder = files.Sources.Keys.Any(k => k.StartsWith(name + "/", StringComparison.Ordinal)) ? name + "/" : "";
                if (folder.Length == 0 && manifest.AllLocales.Count > 1)
                {
                    errors.Add($"{prefix}/{name}/: missing; a pack of several locales keeps each locale's templates in a folder named after it.");
                    continue;
                }

                files.Parsed.TryGetValue(folder + SubjectFile, out var subject);
                files.Parsed.TryGetValue(folder + HtmlFile, out var html);
                files.Parsed.TryGetValue(folder + TextFile, out var text);
                if (!files.Exists(folder + SubjectFile))
                {
                    errors.Add($"{prefix}/{folder}{SubjectFile}: missing; every locale needs a subject.");
                }

                if (!files.Exists(folder + HtmlFile) && !files.Exists(folder + TextFile))
                {
                    errors.Add($"{prefix}/{folder}{HtmlFile}: missing; give an HTML body, a text body ({TextFile}) or both.");
                }

                if (subject is not null && (html is not null || text is not null))
                {
                    variants[name] = new Variant(locale, folder, subject, html, text);
                }
            }

            if (knownVariables is not null)
            {
                foreach (var need in manifest.Needs ?? [])
                {
                    if (!knownVariables.Contains(need))
                    {
                        errors.Add($"{prefix}/{PackManifest.FileName}: needs '{need}', which the mail model does not offer; it offers: {string.Join(", ", knownVariables.Order(StringComparer.Ordinal))}.");
                    }
                }
            }
        }

        if (errors.Count > 0)
        {
            throw new TemplateErrorsException(errors);
        }

        return new TemplatePack(root, manifest!, variants, new TemplateSandbox(files, limits));
    }

    /// <summary>Renders the pack's mail for a model in a locale (the default when null or not in the pack).</summary>
    /// <exception cref="TemplateErrorsException">The model lacks what the pack needs, or a render failed.</exception>
    public RenderedTemplate Render(TemplateModel model, string? locale = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var missing = (Manifest.Needs ?? []).Where(n => !model.Contains(n)).ToList();
        if (missing.Count > 0)
        {
            throw new TemplateErrorsException([$"{Name}/{PackManifest.FileName}: the pack needs {string.Join(", ", missing)}, which this model does not have."]);
        }

        var variant = locale is not null && _variants.TryGetValue(locale, out var chosen) ? chosen : _variants[Locales[0]];
        var subject = _sandbox.Render(variant.Subject, model, variant.Locale, html: false, variant.Folder);
        var html = variant.Html is null ? null : _sandbox.Render(variant.Html, model, variant.Locale, html: true, variant.Folder);
        var text = variant.Text is null ? null : _sandbox.Render(variant.Text, model, variant.Locale, html: false, variant.Folder);
        return new RenderedTemplate(OneLine(subject), html, text);
    }

    /// <summary>A subject on one line: line breaks and runs of white space become one space.</summary>
    public static string OneLine(string text) => string.Join(' ', text.Split([' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries));

    private sealed record Variant(MailLocale Locale, string Folder, Template Subject, Template? Html, Template? Text);
}

/// <summary>A rendered mail: the subject on one line, and the HTML and/or text body.</summary>
internal sealed record RenderedTemplate(string Subject, string? Html, string? Text);
