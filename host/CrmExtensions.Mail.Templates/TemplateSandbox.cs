using System.Collections.Concurrent;
using System.Globalization;
using Scriban;
using Scriban.Runtime;
using Scriban.Syntax;

namespace CrmExtensions.Mail.Templates;

/// <summary>
/// Renders the parsed templates of one folder under the sandbox: strict variables, limits that throw, read-only
/// builtins, includes only from the folder (already parsed), HTML escaping for HTML bodies.
/// </summary>
/// <remarks>
/// Thread-safe. Contexts are pooled: each render takes one, pushes the model and a fresh object for the
/// template's own variables and functions, and gives it back reset, so nothing a render defines reaches the next.
/// A context whose render failed is dropped rather than reused. The pool is a queue: a bag's per-thread lists take a lock
/// when nearly empty, as a pool of one context always is, and a profile of a rule rendering 11,000 mails found half of
/// each render's time spinning on it.
/// </remarks>
internal sealed class TemplateSandbox
{
    private static readonly Lazy<ScriptObject> Builtins = new(TemplateFunctions.CreateBuiltins, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly ConcurrentQueue<SandboxContext> _pool = new();
    private readonly PackTemplateLoader _loader;
    private readonly IReadOnlyDictionary<string, Template> _parsed;

    public TemplateSandbox(TemplateFiles files, SandboxLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(files);
        _parsed = files.Parsed;
        _loader = new PackTemplateLoader(files.Sources);
        Limits = limits ?? SandboxLimits.Default;
    }

    public SandboxLimits Limits { get; }

    /// <summary>Renders one template with a model.</summary>
    /// <exception cref="TemplateErrorsException">The render failed: <c>file(line,col): message</c>.</exception>
    public string Render(Template template, TemplateModel model, MailLocale locale, bool html, string folder = "")
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(model);
        if (!_pool.TryDequeue(out var context))
        {
            context = new SandboxContext(Builtins.Value, Limits, _loader, _parsed);
        }

        context.Locale = locale;
        context.EscapeHtml = html;
        context.Folder = folder;
        context.PushGlobal(model.Globals);
        context.PushGlobal(new RenderGlobals(Builtins.Value, model.Globals));
        try
        {
            var text = template.Render(context);
            context.Reset(); // pops the model and the render's own globals, clears the output
            _pool.Enqueue(context);
            return text;
        }
        catch (ScriptRuntimeException ex)
        {
            throw new TemplateErrorsException([Describe(ex.Span, ex.OriginalMessage, template.SourceFilePath)], ex);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidCastException or OverflowException or InvalidOperationException)
        {
            throw new TemplateErrorsException([Describe(context.CurrentNode?.Span ?? default, ex.Message, template.SourceFilePath)], ex);
        }
    }

    /// <summary><c>file(line,col): message</c>, 1-based; the file from the span, else <paramref name="fallbackFile"/>.</summary>
    public static string Describe(Scriban.Parsing.SourceSpan span, string message, string? fallbackFile = null)
    {
        var file = string.IsNullOrEmpty(span.FileName) ? fallbackFile ?? "template" : span.FileName;
        return string.Create(CultureInfo.InvariantCulture, $"{file}({span.Start.Line + 1},{span.Start.Column + 1}): {message}");
    }
}
