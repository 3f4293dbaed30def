using System.Globalization;
using CrmExtensions.Sdk.Mail;
using Scriban;
using Scriban.Runtime;

namespace CrmExtensions.Sdk.Shared;

/// <summary>A plugin's mail templates: parsed once at load, rendered sandboxed.</summary>
/// <remarks>
/// Strict variables, loop/recursion/string/output limits that throw, no template loader (no includes, so no file
/// access at all), and a fresh context per render so no render leaks state into the next.
/// </remarks>
internal sealed class TemplateSet
{
    public const string Extension = ".scriban";

    private readonly string _pluginId;
    private readonly Dictionary<string, Template> _templates;

    private TemplateSet(string pluginId, Dictionary<string, Template> templates)
    {
        _pluginId = pluginId;
        _templates = templates;
    }

    public static TemplateSet Empty(string pluginId) => new(pluginId, new Dictionary<string, Template>(StringComparer.Ordinal));

    public IReadOnlyCollection<string> Names => _templates.Keys;

    /// <summary>Parses every template of the folders; all errors of all files are reported together.</summary>
    /// <exception cref="TemplateException">A folder is missing, or a template has errors.</exception>
    public static TemplateSet Load(string pluginId, string pluginDirectory, IEnumerable<string> folders)
    {
        var errors = new List<string>();
        var templates = new Dictionary<string, Template>(StringComparer.Ordinal);
        foreach (var folder in folders)
        {
            var path = Path.GetFullPath(Path.Combine(pluginDirectory, folder));
            if (!Directory.Exists(path))
            {
                errors.Add($"{folder}: the template folder does not exist in {pluginDirectory}; ship it with the plugin (CopyToOutputDirectory).");
                continue;
            }

            foreach (var file in Directory.EnumerateFiles(path, "*" + Extension).Order(StringComparer.Ordinal))
            {
                var relative = Path.GetRelativePath(pluginDirectory, file).Replace('\\', '/');
                var template = Template.Parse(File.ReadAllText(file), relative);
                if (template.HasErrors)
                {
                    errors.AddRange(template.Messages.Select(m => string.Create(CultureInfo.InvariantCulture,
                        $"{relative}({m.Span.Start.Line + 1},{m.Span.Start.Column + 1}): {m.Message}")));
                    continue;
                }

                var name = Path.GetFileNameWithoutExtension(file);
                if (!templates.TryAdd(name, template))
                {
                    errors.Add($"{relative}: a template named '{name}' is already loaded from another folder.");
                }
            }
        }

        if (errors.Count > 0)
        {
            throw new TemplateException(pluginId, errors);
        }

        return new TemplateSet(pluginId, templates);
    }

    /// <summary>Renders a mail; the first line <c>Subject: …</c> is the subject, the rest (trimmed) the body.</summary>
    /// <exception cref="TemplateException">The template is unknown, or rendering failed (unknown variable, a limit hit).</exception>
    public RenderedMail Render(OutgoingMail mail)
    {
        ArgumentNullException.ThrowIfNull(mail);
        if (!_templates.TryGetValue(mail.Template, out var template))
        {
            throw new TemplateException(_pluginId, [$"{mail.Template}{Extension}: no such template; the plugin has: {string.Join(", ", _templates.Keys.Order(StringComparer.Ordinal))}."]);
        }

        var globals = new ScriptObject();
        foreach (var (key, value) in mail.Model)
        {
            globals.SetValue(key, value, readOnly: true);
        }

        var context = new TemplateContext
        {
            StrictVariables = true,
            LoopLimit = 1_000,
            RecursiveLimit = 20,
            LimitToString = 10_000,
            OutputLimit = 100_000,
            TemplateLoader = null,
        };
        context.PushGlobal(globals);
        string text;
        try
        {
            text = template.Render(context);
        }
        catch (Exception ex) when (ex is Scriban.Syntax.ScriptRuntimeException or InvalidOperationException or ArgumentException)
        {
            throw new TemplateException(_pluginId, [$"{template.SourceFilePath}: {ex.Message}"]);
        }

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
}
