using CrmExtensions.Formats;
using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;

namespace CrmExtensions.Mail.Templates;

/// <summary>
/// A render context of the sandbox: knows the mail's locale for the helpers, and in an HTML body escapes every
/// <c>{{ expr }}</c> it writes unless the value is <see cref="SafeHtml"/>.
/// </summary>
internal sealed class SandboxContext : TemplateContext
{
    public SandboxContext(ScriptObject builtins, SandboxLimits limits, ITemplateLoader loader, IReadOnlyDictionary<string, Template>? parsed = null)
        : base(builtins, StringComparer.Ordinal)
    {
        Parsed = parsed ?? new Dictionary<string, Template>();
        StrictVariables = true;
        LoopLimit = limits.LoopLimit;
        LoopLimitQueryable = limits.LoopLimit;
        RecursiveLimit = limits.RecursiveLimit;
        LimitToString = limits.StringLimit;
        OutputLimit = limits.OutputLimit;
        OnStringLimit = ScriptLimitBehavior.Throw;
        OnOutputLimit = ScriptLimitBehavior.Throw;
        TryGetMember = UnknownMember;
        ObjectRecursionLimit = 20;
        RegexTimeOut = TimeSpan.FromMilliseconds(100);
        TemplateLoader = loader;
        NewLine = "\n";
    }

    /// <summary>The templates of the folder parsed at load, by path inside it: what includes render.</summary>
    public IReadOnlyDictionary<string, Template> Parsed { get; }

    /// <summary>The locale the money, date and plural helpers write in.</summary>
    public MailLocale Locale { get; set; } = MailLocale.Russian;

    /// <summary>The folder of the locale being rendered inside the pack (<c>ru-RU/</c>), searched first by includes; empty for none.</summary>
    public string Folder { get; set; } = "";

    /// <summary>Whether expression output is HTML-escaped (an HTML body).</summary>
    public bool EscapeHtml { get; set; }

    public override TemplateContext Write(SourceSpan span, object? textAsObject)
    {
        if (!EscapeHtml || textAsObject is null)
        {
            return base.Write(span, textAsObject);
        }

        return textAsObject is SafeHtml safe
            ? base.Write(span, safe.Html)
            : base.Write(span, Html.Escape(ObjectToString(textAsObject) ?? ""));
    }

    /// <summary>Strict members as well as strict variables: <c>client.nmae</c> is an error, not an empty string.</summary>
    private static bool UnknownMember(TemplateContext context, SourceSpan span, object target, string member, out object value) =>
        throw new Scriban.Syntax.ScriptRuntimeException(span, $"`{member}` is not a member of this object; it has: {Members(context, span, target)}");

    private static string Members(TemplateContext context, SourceSpan span, object target)
    {
        var members = context.GetMemberAccessor(target).GetMembers(context, span, target).Order(StringComparer.Ordinal).ToList();
        return members.Count == 0 ? "no members" : string.Join(", ", members.Take(12)) + (members.Count > 12 ? ", …" : "");
    }

    /// <summary>Text of a value; a number that is not finite is an error: Scriban's <c>1 / 0</c> is Infinity, and a mail
    /// saying "you owe Infinity" is a wrong answer, not a render.</summary>
    public override string? ObjectToString(object? value, bool nested = false) => value switch
    {
        SafeHtml safe => safe.Html,
        double d when !double.IsFinite(d) => throw NotFinite(),
        float f when !float.IsFinite(f) => throw NotFinite(),
        _ => base.ObjectToString(value, nested),
    };

    private static InvalidOperationException NotFinite() =>
        new("the value is not a finite number (a division by zero?); check the divisor first: {{ if n != 0 }}…{{ end }}");

    /// <summary>The model's arrays (read-only objects) refuse <c>invoices[0] = 1</c>: Scriban's read-only flag guards
    /// members, not list items, and a write in the subject would show in the bodies of the same mail.</summary>
    protected override IListAccessor? GetListAccessorImpl(object target, Type type)
    {
        var accessor = base.GetListAccessorImpl(target, type);
        return accessor is not null && target is IScriptObject { IsReadOnly: true } ? new ReadOnlyListAccessor(accessor) : accessor;
    }

    private sealed class ReadOnlyListAccessor(IListAccessor inner) : IListAccessor
    {
        public int GetLength(TemplateContext context, SourceSpan span, object target) => inner.GetLength(context, span, target);

        public object? GetValue(TemplateContext context, SourceSpan span, object target, int index) => inner.GetValue(context, span, target, index);

        public void SetValue(TemplateContext context, SourceSpan span, object target, int index, object? value) =>
            throw new Scriban.Syntax.ScriptRuntimeException(span, "the template model is read-only: copy the list into a variable of your own to change it");
    }
}

/// <summary>The limits a render runs under; each one, when hit, stops the render with an error.</summary>
/// <param name="LoopLimit">Iterations of all loops of one render.</param>
/// <param name="RecursiveLimit">Depth of nested function calls and includes.</param>
/// <param name="StringLimit">Characters of one value converted to text.</param>
/// <param name="OutputLimit">Characters of one rendered part (subject or body).</param>
internal sealed record SandboxLimits(int LoopLimit = 10_000, int RecursiveLimit = 20, int StringLimit = 100_000, int OutputLimit = 1_000_000)
{
    public static SandboxLimits Default { get; } = new();
}
