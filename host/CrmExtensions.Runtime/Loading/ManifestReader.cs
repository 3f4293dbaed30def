using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace CrmExtensions.Runtime.Loading;

/// <summary>Reads <c>[assembly: CrmPlugin]</c>, <c>[assembly: CrmPluginDependency]</c> and assembly references from metadata.</summary>
/// <remarks>Nothing is loaded or run: a plugin built against a newer SDK must be refused before the loader sees it.</remarks>
internal static class ManifestReader
{
    private const string SdkNamespace = "CrmExtensions.Sdk";

    /// <summary>Reads the manifest, or returns null when the file is not a .NET assembly or carries no <c>CrmPlugin</c> attribute.</summary>
    public static PluginManifest? Read(string assemblyPath)
    {
        try
        {
            using var stream = File.OpenRead(assemblyPath);
            using var pe = new PEReader(stream);
            if (!pe.HasMetadata)
            {
                return null;
            }

            var md = pe.GetMetadataReader();
            if (!md.IsAssembly)
            {
                return null;
            }

            string? id = null;
            string? version = null;
            var description = "";
            var dependencies = new List<string>();
            foreach (var handle in md.GetAssemblyDefinition().GetCustomAttributes())
            {
                var attribute = md.GetCustomAttribute(handle);
                var (ns, name) = AttributeType(md, attribute);
                if (ns != SdkNamespace)
                {
                    continue;
                }

                if (name == "CrmPluginAttribute")
                {
                    var value = attribute.DecodeValue(NameOnlyTypeProvider.Instance);
                    id = value.FixedArguments.Length > 0 ? value.FixedArguments[0].Value as string : null;
                    version = value.FixedArguments.Length > 1 ? value.FixedArguments[1].Value as string : null;
                    description = value.NamedArguments.FirstOrDefault(a => a.Name == "Description").Value as string ?? "";
                }
                else if (name == "CrmPluginDependencyAttribute")
                {
                    var value = attribute.DecodeValue(NameOnlyTypeProvider.Instance);
                    if (value.FixedArguments.Length > 0 && value.FixedArguments[0].Value is string dependency)
                    {
                        dependencies.Add(dependency);
                    }
                }
            }

            if (id is null)
            {
                return null;
            }

            var references = new Dictionary<string, Version>(StringComparer.OrdinalIgnoreCase);
            foreach (var handle in md.AssemblyReferences)
            {
                var reference = md.GetAssemblyReference(handle);
                references[md.GetString(reference.Name)] = reference.Version;
            }

            return new PluginManifest(id, version ?? "", description, dependencies, assemblyPath, references);
        }
        catch (BadImageFormatException)
        {
            return null;
        }
    }

    private static (string Namespace, string Name) AttributeType(MetadataReader md, CustomAttribute attribute)
    {
        switch (attribute.Constructor.Kind)
        {
            case HandleKind.MemberReference:
                var member = md.GetMemberReference((MemberReferenceHandle)attribute.Constructor);
                if (member.Parent.Kind == HandleKind.TypeReference)
                {
                    var type = md.GetTypeReference((TypeReferenceHandle)member.Parent);
                    return (md.GetString(type.Namespace), md.GetString(type.Name));
                }

                return ("", "");
            case HandleKind.MethodDefinition:
                var method = md.GetMethodDefinition((MethodDefinitionHandle)attribute.Constructor);
                var definition = md.GetTypeDefinition(method.GetDeclaringType());
                return (md.GetString(definition.Namespace), md.GetString(definition.Name));
            default:
                return ("", "");
        }
    }

    /// <summary>Decodes attribute arguments of primitive and string types; the plugin attributes use nothing else.</summary>
    private sealed class NameOnlyTypeProvider : ICustomAttributeTypeProvider<string>
    {
        public static readonly NameOnlyTypeProvider Instance = new();

        public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode.ToString();

        public string GetSystemType() => "System.Type";

        public string GetSZArrayType(string elementType) => elementType + "[]";

        public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) =>
            reader.GetString(reader.GetTypeDefinition(handle).Name);

        public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) =>
            reader.GetString(reader.GetTypeReference(handle).Name);

        public string GetTypeFromSerializedName(string name) => name;

        // Enum-typed arguments are not used by the plugin attributes; treating them as int32 keeps decoding total.
        public PrimitiveTypeCode GetUnderlyingEnumType(string type) => PrimitiveTypeCode.Int32;

        public bool IsSystemType(string type) => type == "System.Type";
    }
}
