using System.Reflection;
using System.Text;

namespace CrmExtensions.ApiDocs;

/// <summary>The ids the C# compiler gives members in XML doc files (<c>T:</c>, <c>M:</c>, <c>P:</c>, <c>F:</c>, <c>E:</c>).</summary>
internal static class DocIds
{
    public static string Of(Type type) => "T:" + TypeName(type);

    public static string Of(MemberInfo member) => member switch
    {
        Type type => Of(type),
        MethodBase method => "M:" + TypeName(method.DeclaringType!) + "." + method.Name.Replace('.', '#')
            + (method.IsGenericMethodDefinition ? "``" + method.GetGenericArguments().Length : "")
            + Parameters(method.GetParameters())
            + (method.Name is "op_Implicit" or "op_Explicit" ? "~" + Encode(((MethodInfo)method).ReturnType) : ""),
        PropertyInfo property => "P:" + TypeName(property.DeclaringType!) + "." + property.Name + Parameters(property.GetIndexParameters()),
        FieldInfo field => "F:" + TypeName(field.DeclaringType!) + "." + field.Name,
        EventInfo @event => "E:" + TypeName(@event.DeclaringType!) + "." + @event.Name,
        _ => throw new ArgumentException($"No doc id for {member.MemberType} {member.Name}.", nameof(member)),
    };

    private static string TypeName(Type type) => type.FullName!.Replace('+', '.');

    private static string Parameters(ParameterInfo[] parameters) =>
        parameters.Length == 0 ? "" : "(" + string.Join(",", parameters.Select(p => Encode(p.ParameterType))) + ")";

    private static string Encode(Type type)
    {
        if (type.IsByRef)
        {
            return Encode(type.GetElementType()!) + "@";
        }

        if (type.IsPointer)
        {
            return Encode(type.GetElementType()!) + "*";
        }

        if (type.IsArray)
        {
            var rank = type.GetArrayRank();
            return Encode(type.GetElementType()!) + (rank == 1 ? "[]" : "[" + string.Join(",", Enumerable.Repeat("0:", rank)) + "]");
        }

        if (type.IsGenericParameter)
        {
            return (type.DeclaringMethod is null ? "`" : "``") + type.GenericParameterPosition;
        }

        if (!type.IsGenericType)
        {
            return TypeName(type);
        }

        var definition = type.GetGenericTypeDefinition().FullName!;
        var name = new StringBuilder(definition[..definition.IndexOf('`', StringComparison.Ordinal)].Replace('+', '.'));
        name.Append('{').AppendJoin(",", type.GetGenericArguments().Select(Encode)).Append('}');
        return name.ToString();
    }
}
