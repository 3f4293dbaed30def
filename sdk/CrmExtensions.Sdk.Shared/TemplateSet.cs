using CrmExtensions.Mail.Templates;
using CrmExtensions.Sdk.Mail;
using Scriban;

namespace CrmExtensions.Sdk.Shared;

/// <summary>A plugin's mail templates: parsed once at load, rendered in the mail sandbox.</summary>
/// <remarks>
/// The sandbox is the campaign packs' (the CrmExtensions.Mail.Templates project): strict variables
/// and members, loop/recursion/string/output limits that throw, read-only builtins, a fresh scope per render, includes
/// only from the template folder. A folder holds single-file templates (<c>name.scriban</c>: a first line
/// <c>Subject: …</c>, then the body, as in SDK 1.0) and/or template packs (a sub-folder with <c>pack.json</c>, named by
/// the manifest: subject, and a text or HTML body).
/// </remarks>
internal sealed class TemplateSet
{
    public const string Extension = TemplatePack.Extension;

    private readonly string _pluginId;
    private readonly Dictionary<string, (Template Template, TemplateSandbox Sandbox)> _templates;
    private readonly Dictionary<string, TemplatePack> _packs;

    private TemplateSet(string pluginId, Dictionary<string, (Template, TemplateSandbox)> templates, Dictionary<string, TemplatePack> packs)
    {
        _pluginId = pluginId;
        _templates = templates;
        _packs = packs;
    }

    public static TemplateSet Empty(string pluginId) => new(pluginId, new(StringComparer.Ordinal), new(StringComparer.Ordinal));

    public IReadOnlyCollection<string> Names => _templates.Keys.Concat(_packs.Keys).Order(StringComparer.Ordinal).ToList();

    /// <summary>Parses every template and pack of the folders; all errors of all files are reported together.</summary>
    /// <exception cref="TemplateException">A folder is missing, or a template has errors.</exception>
    public static TemplateSet Load(string pluginId, string pluginDirectory, IEnumerable<string> folders)
    {
        var errors = new List<string>();
        var templates = new Dictionary<string, (Template, TemplateSandbox)>(StringComparer.Ordinal);
        var packs = new Dictionary<string, TemplatePack>(StringComparer.Ordinal);
        foreach (var folder in folders)
        {
            var path = Path.GetFullPath(Path.Combine(pluginDirectory, folder));
            if (!Directory.Exists(path))
            {
                errors.Add($"{folder}: the template folder does not exist in {pluginDirectory}; ship it with the plugin (CopyToOutputDirectory).");
                continue;
            }

            var prefix = Path.GetRelativePath(pluginDirectory, path).Replace('\\', '/');
            var files = TemplateFiles.Load(path, prefix, recursive: false, errors);
            var sandbox = new TemplateSandbox(files);
            foreach (var (file, template) in files.Parsed)
            {
                var name = Path.GetFileNameWithoutExtension(file);
                if (!templates.TryAdd(name, (template, sandbox)))
                {
                    errors.Add($"{prefix}/{file}: a template named '{name}' is already loaded from another folder.");
                }
            }

            foreach (var packDirectory in Directory.EnumerateDirectories(path).Where(TemplatePack.IsPack).Order(StringComparer.Ordinal))
            {
                try
                {
                    var pack = TemplatePack.Load(packDirectory);
                    if (templates.ContainsKey(pack.Name) || !packs.TryAdd(pack.Name, pack))
                    {
                        errors.Add($"{prefix}/{Path.GetFileName(packDirectory)}: a template named '{pack.Name}' is already loaded.");
                    }
                }
                catch (TemplateErrorsException ex)
                {
                    errors.AddRange(ex.Errors.Select(e => prefix + "/" + e));
                }
            }
        }

        if (errors.Count > 0)
        {
            throw new TemplateException(pluginId, errors);
        }

        return new TemplateSet(pluginId, templates, packs);
    }

    /// <summary>
    /// Renders a mail. A single-file template's first line <c>Subject: …</c> is the subject and the rest (trimmed) the
    /// body; a pack gives its subject and its text body (else its HTML body).
    /// </summary>
    /// <exception cref="TemplateException">The template is unknown, or rendering failed (unknown variable, a limit hit).</exception>
    public RenderedMail Render(OutgoingMail mail)
    {
        ArgumentNullException.ThrowIfNull(mail);
        try
        {
            var model = TemplateModel.From(mail.Model);
            if (_packs.TryGetValue(mail.Template, out var pack))
            {
                var rendered = pack.Render(model);
                return new RenderedMail { Key = mail.Key, To = mail.To, Subject = rendered.Subject, Body = (rendered.Text ?? rendered.Html ?? "").Trim() + "\n" };
            }

            if (!_templates.TryGetValue(mail.Template, out var entry))
            {
                throw new TemplateException(_pluginId, [$"{mail.Template}{Extension}: no such template; the plugin has: {string.Join(", ", Names)}."]);
            }

            var text = entry.Sandbox.Render(entry.Template, model, MailLocale.Russian, html: false);
            var subject = "";
            var body = text;
            if (text.StartsWith("Subject:", StringComparison.Ordinal))
            {
                var end = text.IndexOf('\n', StringComparison.Ordinal);
                subject = (end < 0 ? text[8..] : text[8..end]).Trim();
                body = end < 0 ? "" : text[(end + 1)..];
            }

            return new RenderedMail { Key = mail.Key, To = mail.To, Subject = subject, Body = body.Trim() + "\n" };
        }
        catch (TemplateErrorsException ex)
        {
            throw new TemplateException(_pluginId, ex.Errors);
        }
        catch (InvalidOperationException ex)
        {
            throw new TemplateException(_pluginId, [$"{mail.Template}: {ex.Message}"]);
        }
    }

    /// <summary>
    /// Renders a single-file template as HTML for the web workspace (a plugin's card panel or page): every value the
    /// model holds is HTML-escaped, and the sandbox's limits hold as for mail.
    /// </summary>
    /// <exception cref="TemplateException">The template is unknown (or a mail pack), or rendering failed.</exception>
    public string RenderHtml(string template, IReadOnlyDictionary<string, object?> model)
    {
        ArgumentException.ThrowIfNullOrEmpty(template);
        ArgumentNullException.ThrowIfNull(model);
        if (!_templates.TryGetValue(template, out var entry))
        {
            throw new TemplateException(_pluginId, [$"{template}{Extension}: no such template; the plugin has: {string.Join(", ", _templates.Keys.Order(StringComparer.Ordinal))}."]);
        }

        try
        {
            return entry.Sandbox.Render(entry.Template, TemplateModel.From(model), MailLocale.Russian, html: true).Trim();
        }
        catch (TemplateErrorsException ex)
        {
            throw new TemplateException(_pluginId, ex.Errors);
        }
        catch (InvalidOperationException ex)
        {
            throw new TemplateException(_pluginId, [$"{template}: {ex.Message}"]);
        }
    }
}
