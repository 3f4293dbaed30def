using System.Globalization;
using Scriban;
using Scriban.Runtime;
using Scriban.Syntax;

namespace CrmExtensions.Mail.Templates;

/// <summary>The helpers a template sees beside Scriban's builtins; each writes in the render's locale.</summary>
/// <remarks>
/// <c>{{ total | money }}</c> → <c>1 234,56 ₽</c>; <c>{{ due | short_date }}</c> → <c>24.11.2026</c>;
/// <c>{{ due | long_date }}</c> → <c>24 ноября 2026 г.</c>; <c>{{ n | plural "счёт" "счёта" "счетов" }}</c> → the form;
/// <c>{{ n | count "счёт" "счёта" "счетов" }}</c> → <c>5 счетов</c>; <c>{{ html | safe }}</c> writes HTML unescaped.
/// </remarks>
internal static class TemplateFunctions
{
    public static string Money(TemplateContext context, object? amount, string? currency = null) =>
        Locale(context).Money(ToDecimal(amount), currency);

    public static string Number(TemplateContext context, object? value, int decimals = 0) =>
        Locale(context).Number(ToDecimal(value), decimals);

    public static string ShortDate(TemplateContext context, object? date) => date is null ? "" : Locale(context).Date(ToDate(date));

    public static string LongDate(TemplateContext context, object? date) => date is null ? "" : Locale(context).LongDate(ToDate(date));

    public static string Plural(TemplateContext context, object? count, string one, string few, string? many = null) =>
        Locale(context).Plural(ToLong(count), one, few, many);

    public static string Count(TemplateContext context, object? count, string one, string few, string? many = null)
    {
        var n = ToLong(count);
        return Locale(context).Number(n, 0) + "\u00A0" + Locale(context).Plural(n, one, few, many);
    }

    public static SafeHtml Safe(object? html) => new(html switch
    {
        null => "",
        SafeHtml s => s.Html,
        _ => Convert.ToString(html, CultureInfo.InvariantCulture) ?? "",
    });

    /// <summary>Scriban's builtins without what reads the clock, draws random numbers or evaluates text as a template, plus these helpers, all read-only.</summary>
    public static ScriptObject CreateBuiltins()
    {
        var builtins = TemplateContext.GetDefaultBuiltinObject();
        // A mail renders the same for the same model: no clock, no random numbers, no evaluating model text as code.
        if (builtins["date"] is ScriptObject date)
        {
            date.Remove("now");
        }

        if (builtins["math"] is ScriptObject math)
        {
            math.Remove("random");
        }

        if (builtins["object"] is ScriptObject obj)
        {
            obj.Remove("eval");
            obj.Remove("eval_template");
        }

        builtins.Remove("include_join");
        builtins.SetValue("include", new PackInclude(), readOnly: true);

        // Written as custom functions rather than imported delegates: Scriban calls those without reflection.
        builtins.SetValue("money", new Helper("money", 1, 2, (c, a) => Money(c, a[0], a.Count > 1 ? Text(a[1]) : null)), readOnly: true);
        builtins.SetValue("number", new Helper("number", 1, 2, (c, a) => Number(c, a[0], a.Count > 1 ? (int)ToLong(a[1]) : 0)), readOnly: true);
        builtins.SetValue("short_date", new Helper("short_date", 1, 1, (c, a) => ShortDate(c, a[0])), readOnly: true);
        builtins.SetValue("long_date", new Helper("long_date", 1, 1, (c, a) => LongDate(c, a[0])), readOnly: true);
        builtins.SetValue("plural", new Helper("plural", 3, 4, (c, a) => Plural(c, a[0], Text(a[1]), Text(a[2]), a.Count > 3 ? Text(a[3]) : null)), readOnly: true);
        builtins.SetValue("count", new Helper("count", 3, 4, (c, a) => Count(c, a[0], Text(a[1]), Text(a[2]), a.Count > 3 ? Text(a[3]) : null)), readOnly: true);
        builtins.SetValue("safe", new Helper("safe", 1, 1, (_, a) => Safe(a[0])), readOnly: true);
        Freeze(builtins);
        return builtins;
    }

    private static void Freeze(ScriptObject target)
    {
        foreach (var name in target.Keys.ToList())
        {
            target.SetReadOnly(name, true);
            if (target[name] is ScriptObject inner && !ReferenceEquals(inner, target))
            {
                Freeze(inner);
            }
        }

        ((IScriptObject)target).IsReadOnly = true;
    }

    private static string Text(object? value) => value as string ?? Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";

    private static MailLocale Locale(TemplateContext context) => context is SandboxContext sandbox ? sandbox.Locale : MailLocale.Russian;

    private static decimal ToDecimal(object? value) => value switch
    {
        null => 0m,
        decimal d => d,
        string s => decimal.Parse(s, NumberStyles.Number, CultureInfo.InvariantCulture),
        _ => Convert.ToDecimal(value, CultureInfo.InvariantCulture),
    };

    private static long ToLong(object? value) => value switch
    {
        null => 0,
        long l => l,
        int i => i,
        _ => decimal.ToInt64(decimal.Truncate(ToDecimal(value))),
    };

    private static DateOnly ToDate(object value) => value switch
    {
        DateOnly d => d,
        DateTime t => DateOnly.FromDateTime(t),
        DateTimeOffset o => DateOnly.FromDateTime(o.Date),
        string s => DateOnly.ParseExact(s.Length > 10 ? s[..10] : s, "yyyy-MM-dd", CultureInfo.InvariantCulture),
        _ => throw new ArgumentException($"'{value}' is not a date."),
    };

    /// <summary>A helper taking its arguments as Scriban evaluated them; a wrong number of them is an error at the call.</summary>
    private sealed class Helper(string name, int required, int max, Func<TemplateContext, ScriptArray, object> body) : IScriptCustomFunction
    {
        public int RequiredParameterCount => required;

        public int ParameterCount => max;

        public ScriptVarParamKind VarParamKind => ScriptVarParamKind.None;

        public Type ReturnType => typeof(object);

        public ScriptParameterInfo GetParameterInfo(int index) => new(typeof(object), "arg" + index.ToString(CultureInfo.InvariantCulture));

        public object? Invoke(TemplateContext context, ScriptNode? callerContext, ScriptArray arguments, ScriptBlockStatement? blockStatement)
        {
            if (arguments.Count < required || arguments.Count > max)
            {
                throw new ScriptRuntimeException(callerContext?.Span ?? default,
                    $"`{name}` takes {(required == max ? required.ToString(CultureInfo.InvariantCulture) : $"{required} to {max}")} arguments, not {arguments.Count}.");
            }

            try
            {
                return body(context, arguments);
            }
            catch (Exception ex) when (ex is FormatException or InvalidCastException or OverflowException or ArgumentException)
            {
                throw new ScriptRuntimeException(callerContext?.Span ?? default, $"`{name}`: {ex.Message}");
            }
        }

        public ValueTask<object?> InvokeAsync(TemplateContext context, ScriptNode? callerContext, ScriptArray arguments, ScriptBlockStatement? blockStatement) =>
            new(Invoke(context, callerContext, arguments, blockStatement));
    }

    /// <summary>
    /// <c>include "partials/footer"</c>: renders a template of the same folder, parsed at load, in place. Its own
    /// expressions are escaped as they are written (in an HTML body), so its markup is not escaped again.
    /// </summary>
    /// <remarks>
    /// Scriban's own include renders into a temporary output and reuses a parse cache that does not outlive a
    /// render; evaluating the parsed page in place is several times cheaper and reads nothing from disk.
    /// </remarks>
    private sealed class PackInclude : IScriptCustomFunction
    {
        public int RequiredParameterCount => 1;

        public int ParameterCount => 1;

        public ScriptVarParamKind VarParamKind => ScriptVarParamKind.None;

        public Type ReturnType => typeof(object);

        public ScriptParameterInfo GetParameterInfo(int index) => new(typeof(string), "name");

        public object? Invoke(TemplateContext context, ScriptNode? callerContext, ScriptArray arguments, ScriptBlockStatement? blockStatement)
        {
            var span = callerContext?.Span ?? default;
            if (arguments.Count != 1 || arguments[0] is not string name)
            {
                throw new ScriptRuntimeException(span, "`include` takes the path of a template of the pack, e.g. include \"partials/footer\".");
            }

            if (context is not SandboxContext sandbox || context.TemplateLoader is not { } loader)
            {
                throw new ScriptRuntimeException(span, "`include` is not available here.");
            }

            var path = loader.GetPath(context, span, name);
            if (path is null || !sandbox.Parsed.TryGetValue(path, out var template) || template.Page is null)
            {
                throw new ScriptRuntimeException(span, $"no template '{name}' in the pack.");
            }

            ScriptNode node = callerContext ?? template.Page;
            context.EnterRecursive(node);
            try
            {
                context.Evaluate(template.Page);
            }
            finally
            {
                context.ExitRecursive(node);
            }

            return null;
        }

        public ValueTask<object?> InvokeAsync(TemplateContext context, ScriptNode? callerContext, ScriptArray arguments, ScriptBlockStatement? blockStatement) =>
            new(Invoke(context, callerContext, arguments, blockStatement));
    }
}
