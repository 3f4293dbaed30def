using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;

namespace CrmExtensions.Mail.Templates;

/// <summary>
/// Resolves <c>include "partials/footer"</c> to a file of the pack's own folder, already read and parsed at load:
/// no path outside the pack (<c>..</c>, absolute, a link pointing out) and no disk access while rendering.
/// </summary>
internal sealed class PackTemplateLoader(IReadOnlyDictionary<string, string> sources) : ITemplateLoader
{
    /// <summary>A name as an include gives it → the pack-relative path of a file (with <c>/</c>), or an error.</summary>
    public static string? Normalize(string name, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(name))
        {
            error = "an include needs a name";
            return null;
        }

        var path = name.Replace('\\', '/');
        if (Path.IsPathRooted(name) || path.StartsWith('/') || path.Contains(':', StringComparison.Ordinal))
        {
            error = $"'{name}' is an absolute path; include files of the pack by their path inside it, e.g. \"partials/footer\"";
            return null;
        }

        if (path.Split('/').Any(part => part is ".." or "." or ""))
        {
            error = $"'{name}' leaves the pack's folder or is not a plain path; include files of the pack by their path inside it";
            return null;
        }

        return path.EndsWith(TemplatePack.Extension, StringComparison.Ordinal) ? path : path + TemplatePack.Extension;
    }

    public string GetPath(TemplateContext context, SourceSpan callerSpan, string templateName)
    {
        var path = Normalize(templateName, out var error) ?? throw new Scriban.Syntax.ScriptRuntimeException(callerSpan, error!);
        // A locale's own partial (ru-RU/partials/footer) comes before the pack's shared one (partials/footer).
        if (context is SandboxContext { Folder.Length: > 0 } sandbox && sources.ContainsKey(sandbox.Folder + path))
        {
            return sandbox.Folder + path;
        }

        if (!sources.ContainsKey(path))
        {
            throw new Scriban.Syntax.ScriptRuntimeException(callerSpan,
                $"no file '{path}' in the template pack; it has: {string.Join(", ", sources.Keys.Order(StringComparer.Ordinal))}");
        }

        return path;
    }

    public string Load(TemplateContext context, SourceSpan callerSpan, string templatePath) => sources[templatePath];

    public ValueTask<string?> LoadAsync(TemplateContext context, SourceSpan callerSpan, string templatePath) => new(sources[templatePath]);
}
