using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;
using System.Text;
using Scriban.Runtime;

namespace CrmExtensions.Mail.Templates;

/// <summary>
/// The variables a template sees, converted once into read-only Scriban objects: a render can read them and
/// cannot change them, so one model serves the subject, the bodies and any number of renders.
/// </summary>
/// <remarks>
/// Objects become objects with snake_case members (<c>DueOn</c> → <c>due_on</c>), sequences become arrays,
/// numbers, text, booleans and dates stay as they are.
/// </remarks>
internal sealed class TemplateModel
{
    private static readonly ConcurrentDictionary<Type, (string Name, PropertyInfo Property)[]> Properties = new();

    private TemplateModel(ScriptObject globals) => Globals = globals;

    public ScriptObject Globals { get; }

    public bool Contains(string name) => Globals.ContainsKey(name);

    public IEnumerable<string> Names => Globals.Keys;

    public static TemplateModel From(IEnumerable<KeyValuePair<string, object?>> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        var globals = new ScriptObject(StringComparer.Ordinal);
        foreach (var (name, value) in variables)
        {
            globals.SetValue(name, Convert(value, 0), readOnly: true);
        }

        ((IScriptObject)globals).IsReadOnly = true;
        return new TemplateModel(globals);
    }

    private static object? Convert(object? value, int depth)
    {
        if (depth > 16)
        {
            throw new InvalidOperationException("The template model nests deeper than 16 levels; is there a cycle?");
        }

        switch (value)
        {
            case null or string or bool or char or Enum:
                return value is Enum e ? e.ToString() : value;
            case byte or sbyte or short or ushort or int or uint or long or ulong or float or double or decimal:
            case DateOnly or DateTime or DateTimeOffset or TimeOnly or TimeSpan:
            case SafeHtml:
                return value;
            case ScriptObject or ScriptArray:
                return value;
            case IDictionary dictionary:
            {
                var result = new ScriptObject(StringComparer.Ordinal);
                foreach (DictionaryEntry entry in dictionary)
                {
                    result.SetValue(System.Convert.ToString(entry.Key, System.Globalization.CultureInfo.InvariantCulture) ?? "", Convert(entry.Value, depth + 1), readOnly: true);
                }

                ((IScriptObject)result).IsReadOnly = true;
                return result;
            }

            case IEnumerable sequence:
            {
                var array = new ScriptArray();
                foreach (var item in sequence)
                {
                    array.Add(Convert(item, depth + 1));
                }

                ((IScriptObject)array).IsReadOnly = true;
                return array;
            }

            default:
            {
                var properties = Properties.GetOrAdd(value.GetType(), static type => type
                    .GetProperties(BindingFlags.Public | BindingFlags.Instance)
                    .Where(p => p.GetIndexParameters().Length == 0 && p.CanRead && p.Name != "EqualityContract")
                    .Select(p => (SnakeCase(p.Name), p))
                    .ToArray());
                var result = new ScriptObject(properties.Length, StringComparer.Ordinal);
                foreach (var (name, property) in properties)
                {
                    result.SetValue(name, Convert(property.GetValue(value), depth + 1), readOnly: true);
                }

                ((IScriptObject)result).IsReadOnly = true;
                return result;
            }
        }
    }

    private static string SnakeCase(string name)
    {
        var builder = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                if (i > 0 && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]))))
                {
                    builder.Append('_');
                }

                builder.Append(char.ToLowerInvariant(c));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
