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
        if (builtins["include"] is IScriptCustomFunction include)
        {
            builtins.SetValue("include", new SafeInclude(include), readOnly: true);
        }

        builtins.Import("money", new Func<TemplateContext, object?, string?, string>(Money));
        builtins.Import("number", new Func<TemplateContext, object?, int, string>(Number));
        builtins.Import("short_date", new Func<TemplateContext, object?, string>(ShortDate));
        builtins.Import("long_date", new Func<TemplateContext, object?, string>(LongDate));
        builtins.Import("plural", new Func<TemplateContext, object?, string, string, string?, string>(Plural));
        builtins.Import("count", new Func<TemplateContext, object?, string, string, string?, string>(Count));
        builtins.Import("safe", new Func<object?, SafeHtml>(Safe));
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

    /// <summary>
    /// Scriban's <c>include</c>, whose result is marked safe: the included template's own expressions were already
    /// escaped as it rendered, so escaping its output again would escape its markup.
    /// </summary>
    private sealed class SafeInclude(IScriptCustomFunction inner) : IScriptCustomFunction
    {
        public int RequiredParameterCount => inner.RequiredParameterCount;

        public int ParameterCount => inner.ParameterCount;

        public ScriptVarParamKind VarParamKind => inner.VarParamKind;

        public Type ReturnType => typeof(object);

        public ScriptParameterInfo GetParameterInfo(int index) => inner.GetParameterInfo(index);

        public object? Invoke(TemplateContext context, ScriptNode? callerContext, ScriptArray arguments, ScriptBlockStatement? blockStatement)
        {
            var result = inner.Invoke(context, callerContext, arguments, blockStatement);
            return result is string text ? new SafeHtml(text) : result;
        }

        public async ValueTask<object?> InvokeAsync(TemplateContext context, ScriptNode? callerContext, ScriptArray arguments, ScriptBlockStatement? blockStatement)
        {
            var result = await inner.InvokeAsync(context, callerContext, arguments, blockStatement);
            return result is string text ? new SafeHtml(text) : result;
        }
    }
}
