using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace CrmExtensions.ApiDocs;

/// <summary>Renders types and members as C# declarations, with nullable annotations and short type names.</summary>
/// <remarks>Not thread-safe: one instance per generation (it holds a <see cref="NullabilityInfoContext"/>).</remarks>
internal sealed class CSharpSignatures
{
    private static readonly Dictionary<Type, string> Keywords = new()
    {
        [typeof(bool)] = "bool", [typeof(byte)] = "byte", [typeof(sbyte)] = "sbyte", [typeof(char)] = "char",
        [typeof(decimal)] = "decimal", [typeof(double)] = "double", [typeof(float)] = "float", [typeof(int)] = "int",
        [typeof(uint)] = "uint", [typeof(long)] = "long", [typeof(ulong)] = "ulong", [typeof(short)] = "short",
        [typeof(ushort)] = "ushort", [typeof(object)] = "object", [typeof(string)] = "string", [typeof(void)] = "void",
        [typeof(nint)] = "nint", [typeof(nuint)] = "nuint",
    };

    private static readonly Dictionary<string, string> Operators = new(StringComparer.Ordinal)
    {
        ["op_Equality"] = "==", ["op_Inequality"] = "!=", ["op_LessThan"] = "<", ["op_GreaterThan"] = ">",
        ["op_LessThanOrEqual"] = "<=", ["op_GreaterThanOrEqual"] = ">=", ["op_Addition"] = "+", ["op_Subtraction"] = "-",
        ["op_Multiply"] = "*", ["op_Division"] = "/", ["op_UnaryNegation"] = "-", ["op_UnaryPlus"] = "+",
    };

    private readonly NullabilityInfoContext _nullability = new();

    /// <summary>The short C# name of a type: <c>IReadOnlyList&lt;Invoice&gt;</c>, <c>int?</c>, <c>PluginHarness</c>.</summary>
    public static string TypeName(Type type) => TypeName(type, null, null);

    public static bool IsRecord(Type type) =>
        type.GetMethod("PrintMembers", BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic, [typeof(System.Text.StringBuilder)]) is { } m
        && m.IsDefined(typeof(CompilerGeneratedAttribute));

    public string Declaration(Type type)
    {
        if (type.IsSubclassOf(typeof(MulticastDelegate)))
        {
            var invoke = type.GetMethod("Invoke")!;
            return Obsolete(type) + "public delegate " + ReturnType(invoke) + " " + NameWithParameters(type) + "(" + Parameters(invoke) + ")";
        }

        var words = new List<string> { "public" };
        if (type.IsInterface)
        {
            words.Add("interface");
        }
        else if (type.IsEnum)
        {
            words.Add("enum");
        }
        else if (type.IsValueType)
        {
            if (type.IsDefined(typeof(IsReadOnlyAttribute)))
            {
                words.Add("readonly");
            }

            words.Add(IsRecord(type) ? "record struct" : "struct");
        }
        else
        {
            words.Add(type is { IsAbstract: true, IsSealed: true } ? "static" : type.IsAbstract ? "abstract" : type.IsSealed ? "sealed" : "");
            words.Add(IsRecord(type) ? "record" : "class");
        }

        var bases = new List<string>();
        if (type.IsEnum && Enum.GetUnderlyingType(type) != typeof(int))
        {
            bases.Add(TypeName(Enum.GetUnderlyingType(type)));
        }
        else if (!type.IsEnum && type.BaseType is { } baseType && baseType != typeof(object) && baseType != typeof(ValueType))
        {
            bases.Add(TypeName(baseType));
        }

        if (!type.IsEnum)
        {
            var inherited = type.BaseType?.GetInterfaces() ?? [];
            var own = type.GetInterfaces().Where(i => !inherited.Contains(i)).ToList();
            // Only the interfaces named in the declaration: not those another listed interface brings along.
            own = own.Where(i => !own.Any(o => o != i && o.GetInterfaces().Contains(i))).ToList();
            if (IsRecord(type))
            {
                own.Remove(typeof(IEquatable<>).MakeGenericType(type));
            }

            bases.AddRange(own.Select(TypeName).Order(StringComparer.Ordinal));
        }

        words.Add(NameWithParameters(type) + (bases.Count == 0 ? "" : " : " + string.Join(", ", bases)) + Constraints(type.IsGenericTypeDefinition ? type.GetGenericArguments() : []));
        return Obsolete(type) + string.Join(" ", words.Where(w => w.Length > 0));
    }

    public string Constructor(ConstructorInfo constructor) =>
        Obsolete(constructor) + Modifiers(constructor) + TypeName(constructor.DeclaringType!).Split('<')[0] + "(" + Parameters(constructor) + ")";

    public string Method(MethodInfo method)
    {
        var name = Operators.TryGetValue(method.Name, out var symbol) ? "operator " + symbol
            : method.Name == "op_Implicit" ? "implicit operator"
            : method.Name == "op_Explicit" ? "explicit operator"
            : method.Name;
        var generic = method.IsGenericMethodDefinition ? "<" + string.Join(", ", method.GetGenericArguments().Select(a => a.Name)) + ">" : "";
        var head = method.Name is "op_Implicit" or "op_Explicit"
            ? name + " " + ReturnType(method)
            : ReturnType(method) + " " + name + generic;
        var extension = method.IsDefined(typeof(ExtensionAttribute)) ? "this " : "";
        return Obsolete(method) + Modifiers(method) + head + "(" + extension + Parameters(method) + ")"
            + Constraints(method.IsGenericMethodDefinition ? method.GetGenericArguments() : []);
    }

    public string Property(PropertyInfo property)
    {
        var getter = Visible(property.GetMethod) ? property.GetMethod : null;
        var setter = Visible(property.SetMethod) ? property.SetMethod : null;
        var main = getter ?? setter!;
        var accessors = new List<string>();
        if (getter is not null)
        {
            accessors.Add(Access(getter) == Access(main) ? "get;" : Access(getter) + " get;");
        }

        if (setter is not null)
        {
            var init = setter.ReturnParameter.GetRequiredCustomModifiers().Contains(typeof(IsExternalInit));
            accessors.Add((Access(setter) == Access(main) ? "" : Access(setter) + " ") + (init ? "init;" : "set;"));
        }

        var required = property.IsDefined(typeof(RequiredMemberAttribute)) ? "required " : "";
        var indexer = property.GetIndexParameters();
        var name = indexer.Length == 0 ? property.Name : "this[" + string.Join(", ", indexer.Select(Parameter)) + "]";
        return Obsolete(property) + Modifiers(main) + required + TypeName(property.PropertyType, _nullability.Create(property), TupleNames.Of(property.GetCustomAttribute<TupleElementNamesAttribute>())) + " " + name
            + " { " + string.Join(" ", accessors) + " }";
    }

    public string Field(FieldInfo field)
    {
        if (field.DeclaringType!.IsEnum)
        {
            return Obsolete(field) + field.Name + " = " + Convert.ToString(field.GetRawConstantValue(), CultureInfo.InvariantCulture);
        }

        var modifiers = "public " + (field.IsLiteral ? "const " : (field.IsStatic ? "static " : "") + (field.IsInitOnly ? "readonly " : ""));
        var value = field.IsLiteral ? " = " + Literal(field.GetRawConstantValue(), field.FieldType) : "";
        return Obsolete(field) + modifiers + TypeName(field.FieldType, _nullability.Create(field), TupleNames.Of(field.GetCustomAttribute<TupleElementNamesAttribute>())) + " " + field.Name + value;
    }

    public string Event(EventInfo @event) =>
        Obsolete(@event) + Modifiers(@event.AddMethod!) + "event " + TypeName(@event.EventHandlerType!, _nullability.Create(@event), null) + " " + @event.Name;

    public static bool Visible(MethodBase? method) => method is not null && (method.IsPublic || method.IsFamily || method.IsFamilyOrAssembly);

    /// <summary>The message of <see cref="ObsoleteAttribute"/> on a member, "" when it has none, null when it is not obsolete.</summary>
    /// <remarks>The compiler marks the constructors of types with required members obsolete for old compilers; that is not the API's.</remarks>
    public static string? ObsoleteMessage(MemberInfo member) =>
        member.GetCustomAttribute<ObsoleteAttribute>() is { } obsolete && !member.IsDefined(typeof(CompilerFeatureRequiredAttribute))
            ? obsolete.Message ?? ""
            : null;

    private static string Obsolete(MemberInfo member) => ObsoleteMessage(member) switch
    {
        null => "",
        "" => "[Obsolete]\n",
        var message => "[Obsolete(" + Literal(message, typeof(string)) + ")]\n",
    };

    private static string Access(MethodBase method) =>
        method.IsPublic ? "public" : method.IsFamilyOrAssembly ? "protected internal" : "protected";

    private static string Modifiers(MethodBase method)
    {
        var type = method.DeclaringType!;
        var words = new List<string>();
        if (!type.IsInterface)
        {
            words.Add(Access(method));
        }

        if (method.IsStatic)
        {
            words.Add("static");
            if (type.IsInterface && method.IsAbstract)
            {
                words.Add("abstract");
            }
        }
        else if (!type.IsInterface && method is MethodInfo info)
        {
            var isOverride = info.GetBaseDefinition().DeclaringType != type;
            words.Add(info.IsAbstract ? "abstract"
                : isOverride ? (info.IsFinal ? "sealed override" : "override")
                : info.IsVirtual && !info.IsFinal ? "virtual" : "");
        }

        var text = string.Join(" ", words.Where(w => w.Length > 0));
        return text.Length == 0 ? "" : text + " ";
    }

    private static string NameWithParameters(Type type)
    {
        var name = type.Name;
        var tick = name.IndexOf('`', StringComparison.Ordinal);
        var outer = type.IsNested ? NameWithParameters(type.DeclaringType!) + "." : "";
        if (tick < 0)
        {
            return outer + name;
        }

        var own = type.GetGenericArguments().Skip(type.DeclaringType?.GetGenericArguments().Length ?? 0);
        return outer + name[..tick] + "<" + string.Join(", ", own.Select(a => a.Name)) + ">";
    }

    private static string Constraints(Type[] parameters)
    {
        var clauses = new List<string>();
        foreach (var parameter in parameters)
        {
            var attributes = parameter.GenericParameterAttributes;
            var items = new List<string>();
            var isStruct = attributes.HasFlag(GenericParameterAttributes.NotNullableValueTypeConstraint);
            if (attributes.HasFlag(GenericParameterAttributes.ReferenceTypeConstraint))
            {
                items.Add("class");
            }

            if (isStruct)
            {
                items.Add("struct");
            }

            items.AddRange(parameter.GetGenericParameterConstraints().Where(c => !(isStruct && c == typeof(ValueType))).Select(TypeName));
            if (attributes.HasFlag(GenericParameterAttributes.DefaultConstructorConstraint) && !isStruct)
            {
                items.Add("new()");
            }

            if (items.Count > 0)
            {
                clauses.Add(" where " + parameter.Name + " : " + string.Join(", ", items));
            }
        }

        return string.Concat(clauses);
    }

    private string ReturnType(MethodInfo method) =>
        TypeName(method.ReturnType, _nullability.Create(method.ReturnParameter), TupleNames.Of(method.ReturnParameter.GetCustomAttribute<TupleElementNamesAttribute>()));

    private string Parameters(MethodBase method) => string.Join(", ", method.GetParameters().Select(Parameter));

    private string Parameter(ParameterInfo parameter)
    {
        var type = parameter.ParameterType;
        var prefix = "";
        if (type.IsByRef)
        {
            prefix = parameter.IsOut ? "out " : parameter.IsIn ? "in " : "ref ";
        }
        else if (parameter.IsDefined(typeof(ParamArrayAttribute)))
        {
            prefix = "params ";
        }

        var text = prefix + TypeName(type, _nullability.Create(parameter), TupleNames.Of(parameter.GetCustomAttribute<TupleElementNamesAttribute>())) + " " + parameter.Name;
        return parameter.HasDefaultValue ? text + " = " + Literal(parameter.DefaultValue, type) : text;
    }

    private static string Literal(object? value, Type type) => value switch
    {
        null => type.IsValueType && Nullable.GetUnderlyingType(type) is null ? "default" : "null",
        string text => "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"",
        bool flag => flag ? "true" : "false",
        char c => "'" + c + "'",
        _ when type.IsEnum => Enum.GetName(type, value) is { } name ? TypeName(type) + "." + name : "(" + TypeName(type) + ")" + Convert.ToString(value, CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    private static string TypeName(Type type, NullabilityInfo? nullability, TupleNames? tupleNames)
    {
        if (type.IsByRef)
        {
            return TypeName(type.GetElementType()!, nullability, tupleNames);
        }

        if (type.IsArray)
        {
            return TypeName(type.GetElementType()!, nullability?.ElementType, tupleNames) + "[" + new string(',', type.GetArrayRank() - 1) + "]"
                + NullableMark(type, nullability);
        }

        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            return TypeName(underlying, nullability?.GenericTypeArguments.FirstOrDefault(), tupleNames) + "?";
        }

        if (Keywords.TryGetValue(type, out var keyword))
        {
            return keyword + NullableMark(type, nullability);
        }

        if (type.IsGenericParameter)
        {
            return type.Name + NullableMark(type, nullability);
        }

        var name = type.IsNested && !type.IsGenericParameter ? TypeName(type.DeclaringType!, null, null).Split('<')[0] + "." + type.Name : type.Name;
        var tick = name.IndexOf('`', StringComparison.Ordinal);
        if (tick >= 0)
        {
            var arguments = type.GetGenericArguments();
            // The compiler lists tuple element names depth first, a tuple's own names before those of tuples inside it.
            var isTuple = type.IsValueType && type.Namespace == "System" && name.StartsWith("ValueTuple`", StringComparison.Ordinal) && arguments.Length < 8;
            var elementNames = isTuple ? tupleNames?.Take(arguments.Length) : null;
            var names = arguments.Select((a, i) => TypeName(a, nullability is { } n && i < n.GenericTypeArguments.Length ? n.GenericTypeArguments[i] : null, tupleNames)
                + (elementNames?[i] is { } element ? " " + element : "")).ToList();
            name = isTuple ? "(" + string.Join(", ", names) + ")" : name[..tick] + "<" + string.Join(", ", names) + ">";
        }

        return name + NullableMark(type, nullability);
    }

    private static string NullableMark(Type type, NullabilityInfo? nullability) =>
        !type.IsValueType && nullability is { } n
        && (n.ReadState == NullabilityState.Nullable || n.ReadState == NullabilityState.Unknown && n.WriteState == NullabilityState.Nullable) ? "?" : "";

    /// <summary>The element names of the tuples in one declared type, taken in the compiler's order.</summary>
    private sealed class TupleNames(IList<string?> names)
    {
        private int _next;

        public static TupleNames? Of(TupleElementNamesAttribute? attribute) => attribute is null ? null : new(attribute.TransformNames);

        public string?[] Take(int count)
        {
            var taken = Enumerable.Range(_next, count).Select(i => i < names.Count ? names[i] : null).ToArray();
            _next += count;
            return taken;
        }
    }
}
