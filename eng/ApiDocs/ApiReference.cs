using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;
using System.Xml.Linq;
using CrmExtensions.Sdk;
using CrmExtensions.Sdk.Testing;

namespace CrmExtensions.ApiDocs;

/// <summary>One public type or member with its declaration and XML doc.</summary>
internal sealed record ApiEntry(MemberInfo Member, string DocId, string Heading, string Signature, XElement? Doc, string? Obsolete);

/// <summary>A public type with its public and protected members, in page order.</summary>
internal sealed record ApiType(Type Type, ApiEntry Entry, IReadOnlyList<ApiEntry> Members);

/// <summary>The SDK's API reference: one Markdown page per namespace of <c>CrmExtensions.Sdk</c> and
/// <c>CrmExtensions.Sdk.Testing</c>, and an index, from the assemblies' public types and their XML doc files.</summary>
/// <remarks>The output depends only on the assemblies: types and members are sorted, lines end in <c>\n</c>, files are
/// UTF-8 without a byte order mark, so a test can compare it with <c>docs/api</c> byte for byte.</remarks>
internal static class ApiReference
{
    /// <summary>The command that regenerates <c>docs/api</c>, run from the repository root.</summary>
    public const string Command = "dotnet run --project eng/ApiDocs -- docs/api";

    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>The assemblies documented.</summary>
    public static IReadOnlyList<Assembly> Assemblies { get; } = [typeof(PluginStartup).Assembly, typeof(PluginHarness).Assembly];

    /// <summary>Writes the pages into a folder, deleting Markdown files there that are no longer generated.</summary>
    /// <param name="folder">The folder, created if missing.</param>
    /// <returns>How many pages were written.</returns>
    public static int Write(string folder)
    {
        var pages = Generate();
        Directory.CreateDirectory(folder);
        foreach (var stale in Directory.GetFiles(folder, "*.md").Where(f => !pages.ContainsKey(Path.GetFileName(f))))
        {
            File.Delete(stale);
        }

        foreach (var (name, text) in pages)
        {
            File.WriteAllText(Path.Combine(folder, name), text, Utf8);
        }

        return pages.Count;
    }

    /// <summary>Generates the pages: file name to content.</summary>
    /// <param name="assemblies">The assemblies to document; <see cref="Assemblies"/> when null.</param>
    public static SortedDictionary<string, string> Generate(IReadOnlyList<Assembly>? assemblies = null)
    {
        assemblies ??= Assemblies;
        var types = Types(assemblies);
        var anchors = types.ToDictionary(t => t.Entry.DocId, t => Page(t.Type) + "#" + Slug(t.Entry.Heading), StringComparer.Ordinal);
        var markdown = new XmlDocMarkdown(cref => Link(cref, anchors));
        var pages = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var group in types.GroupBy(t => t.Type.Namespace!))
        {
            pages.Add(Page(group.First().Type), NamespacePage(group.Key, [.. group], markdown));
        }

        pages.Add("README.md", Index(assemblies, types, markdown));
        return pages;
    }

    /// <summary>The doc ids of public types and members whose summary is missing or empty.</summary>
    /// <param name="assemblies">The assemblies to check; the documented ones when null.</param>
    public static IReadOnlyList<string> Undocumented(IEnumerable<Assembly>? assemblies = null)
    {
        var markdown = new XmlDocMarkdown(_ => null);
        return Types(assemblies).SelectMany(t => t.Members.Prepend(t.Entry))
            .Where(e => markdown.Line(e.Doc?.Element("summary")).Length == 0)
            .Select(e => e.DocId)
            .ToList();
    }

    /// <summary>Every public type of some assemblies with its members, sorted by namespace and name.</summary>
    /// <param name="assemblies">The assemblies; the documented ones when null.</param>
    public static IReadOnlyList<ApiType> Types(IEnumerable<Assembly>? assemblies = null)
    {
        var signatures = new CSharpSignatures();
        var result = new List<ApiType>();
        foreach (var assembly in assemblies ?? Assemblies)
        {
            var docs = LoadDocs(assembly);
            foreach (var type in assembly.GetExportedTypes())
            {
                var heading = CSharpSignatures.TypeName(type);
                var entry = new ApiEntry(type, DocIds.Of(type), heading, signatures.Declaration(type), Doc(docs, type, type), CSharpSignatures.ObsoleteMessage(type));
                var members = Members(type)
                    .Select(m => new ApiEntry(m, DocIds.Of(m), MemberHeading(type, m), Signature(signatures, m), Doc(docs, m, type), CSharpSignatures.ObsoleteMessage(m)))
                    .OrderBy(e => KindOrder(e.Member))
                    .ThenBy(e => e.Member is FieldInfo { DeclaringType.IsEnum: true } f ? Convert.ToInt64(f.GetRawConstantValue(), System.Globalization.CultureInfo.InvariantCulture) : 0)
                    .ThenBy(e => e.Heading, StringComparer.Ordinal)
                    .ThenBy(e => e.Signature, StringComparer.Ordinal)
                    .ToList();
                result.Add(new ApiType(type, entry, members));
            }
        }

        return [.. result.OrderBy(t => t.Type.Namespace, StringComparer.Ordinal).ThenBy(t => t.Entry.Heading, StringComparer.Ordinal)];
    }

    private static IEnumerable<MemberInfo> Members(Type type)
    {
        if (type.IsSubclassOf(typeof(MulticastDelegate)))
        {
            yield break;
        }

        foreach (var member in type.GetMembers(Declared))
        {
            if (member.IsDefined(typeof(CompilerGeneratedAttribute)))
            {
                continue;
            }

            var visible = member switch
            {
                ConstructorInfo c => CSharpSignatures.Visible(c) && !c.IsStatic,
                MethodInfo m => CSharpSignatures.Visible(m) && (!m.IsSpecialName || m.Name.StartsWith("op_", StringComparison.Ordinal)),
                PropertyInfo p => CSharpSignatures.Visible(p.GetMethod) || CSharpSignatures.Visible(p.SetMethod),
                EventInfo e => CSharpSignatures.Visible(e.AddMethod),
                FieldInfo f => (f.IsPublic || f.IsFamily || f.IsFamilyOrAssembly) && !f.IsSpecialName,
                _ => false,
            };
            if (visible)
            {
                yield return member;
            }
        }
    }

    private static string Signature(CSharpSignatures signatures, MemberInfo member) => member switch
    {
        ConstructorInfo c => signatures.Constructor(c),
        MethodInfo m => signatures.Method(m),
        PropertyInfo p => signatures.Property(p),
        FieldInfo f => signatures.Field(f),
        EventInfo e => signatures.Event(e),
        _ => throw new ArgumentException($"No signature for {member.MemberType}.", nameof(member)),
    };

    private static int KindOrder(MemberInfo member) => member switch
    {
        FieldInfo => 0,
        ConstructorInfo => 1,
        PropertyInfo => 2,
        EventInfo => 3,
        MethodInfo { IsSpecialName: true } => 5,
        _ => 4,
    };

    private static string MemberHeading(Type type, MemberInfo member)
    {
        var typeName = CSharpSignatures.TypeName(type).Split('<')[0];
        return member switch
        {
            ConstructorInfo => typeName + " constructor",
            MethodInfo { IsSpecialName: true } m => typeName + "." + m.Name,
            _ => typeName + "." + member.Name,
        };
    }

    private static Dictionary<string, XElement> LoadDocs(Assembly assembly)
    {
        var path = Path.ChangeExtension(assembly.Location, ".xml");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"{assembly.GetName().Name} has no XML doc file beside it ({Path.GetFileName(path)}); build it with GenerateDocumentationFile.", path);
        }

        return XDocument.Load(path).Descendants("member")
            .GroupBy(m => (string)m.Attribute("name")!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
    }

    /// <summary>The XML doc of a member, following <c>inheritdoc</c>; a positional record's property takes the record's <c>param</c>.</summary>
    private static XElement? Doc(Dictionary<string, XElement> docs, MemberInfo member, Type type)
    {
        var doc = docs.GetValueOrDefault(DocIds.Of(member));
        if (doc?.Element("inheritdoc") is { } inheritdoc)
        {
            return (string?)inheritdoc.Attribute("cref") is { } cref ? docs.GetValueOrDefault(cref) : Inherited(docs, member) ?? doc;
        }

        // The constructor the compiler adds to a class that declares none has no doc comment to carry.
        if (doc is null && member is ConstructorInfo { IsStatic: false } constructor && constructor.GetParameters().Length == 0)
        {
            return new XElement("member", new XElement("summary", "Creates an instance."));
        }

        if (doc is null && member is PropertyInfo property && docs.GetValueOrDefault(DocIds.Of(type)) is { } typeDoc
            && typeDoc.Elements("param").FirstOrDefault(p => (string?)p.Attribute("name") == property.Name) is { } param)
        {
            return new XElement("member", new XElement("summary", param.Nodes()));
        }

        return doc;
    }

    private static XElement? Inherited(Dictionary<string, XElement> docs, MemberInfo member)
    {
        if (member is not MethodInfo method)
        {
            var accessor = member is PropertyInfo p ? p.GetMethod ?? p.SetMethod : null;
            var inheritedAccessor = accessor is null ? null : InheritedMethods(accessor).FirstOrDefault();
            var property = inheritedAccessor?.DeclaringType!.GetProperties(Declared).FirstOrDefault(q => q.GetMethod == inheritedAccessor || q.SetMethod == inheritedAccessor);
            return property is null ? null : InheritedDoc(docs, property);
        }

        return InheritedMethods(method).Select(m => InheritedDoc(docs, m)).FirstOrDefault(d => d is not null);
    }

    private static XElement? InheritedDoc(Dictionary<string, XElement> docs, MemberInfo member)
    {
        var assemblyDocs = Assemblies.Contains(member.Module.Assembly) ? LoadDocs(member.Module.Assembly) : docs;
        return assemblyDocs.GetValueOrDefault(DocIds.Of(member));
    }

    private static IEnumerable<MethodInfo> InheritedMethods(MethodInfo method)
    {
        var type = method.DeclaringType!;
        if (method.GetBaseDefinition() is var baseMethod && baseMethod != method)
        {
            yield return baseMethod;
        }

        if (type.IsInterface)
        {
            yield break;
        }

        foreach (var face in type.GetInterfaces().OrderBy(i => i.FullName, StringComparer.Ordinal))
        {
            var map = type.GetInterfaceMap(face);
            var index = Array.IndexOf(map.TargetMethods, method);
            if (index >= 0)
            {
                yield return map.InterfaceMethods[index];
            }
        }
    }

    private static string? Link(string cref, Dictionary<string, string> anchors)
    {
        if (anchors.TryGetValue(cref, out var target))
        {
            return target;
        }

        // A member links to its type's section.
        if (cref.Length < 2 || cref[1] != ':' || cref[0] == 'T')
        {
            return null;
        }

        var body = cref[2..];
        var parenthesis = body.IndexOf('(', StringComparison.Ordinal);
        body = parenthesis < 0 ? body : body[..parenthesis];
        var dot = body.LastIndexOf('.');
        return dot < 0 ? null : anchors.GetValueOrDefault("T:" + body[..dot]);
    }

    private static string Page(Type type) => type.Namespace + ".md";

    /// <summary>GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens.</summary>
    private static string Slug(string heading) =>
        new(heading.ToLowerInvariant().Where(c => char.IsLetterOrDigit(c) || c is '-' or '_' or ' ').Select(c => c == ' ' ? '-' : c).ToArray());

    private static string Index(IReadOnlyList<Assembly> assemblies, IReadOnlyList<ApiType> types, XmlDocMarkdown markdown)
    {
        var text = new StringBuilder();
        text.Append("# API reference\n\n");
        text.Append("The public types of `CrmExtensions.Sdk` (what a plugin compiles against) and `CrmExtensions.Sdk.Testing` ")
            .Append("(the test kit), one page per namespace, generated from the assemblies and their XML docs. Do not edit these pages: ")
            .Append("change the XML docs and run, from the repository root,\n\n")
            .Append("```sh\n").Append(Command).Append("\n```\n\n")
            .Append("`ApiReferenceTests` fails when a page is stale or a public member has no summary. See [plugins.md](../plugins.md).\n");
        foreach (var assembly in assemblies)
        {
            text.Append("\n## ").Append(assembly.GetName().Name).Append('\n');
            foreach (var group in types.Where(t => t.Type.Assembly == assembly).GroupBy(t => t.Type.Namespace!))
            {
                text.Append("\n### [").Append(group.Key).Append("](").Append(Page(group.First().Type)).Append(")\n\n");
                foreach (var type in group)
                {
                    text.Append("- [`").Append(type.Entry.Heading).Append("`](").Append(Page(type.Type)).Append('#').Append(Slug(type.Entry.Heading)).Append(')');
                    var summary = markdown.Line(type.Entry.Doc?.Element("summary"));
                    text.Append(summary.Length == 0 ? "" : ": " + summary).Append(type.Entry.Obsolete is null ? "" : " *(obsolete)*").Append('\n');
                }
            }
        }

        return text.ToString();
    }

    private static string NamespacePage(string ns, IReadOnlyList<ApiType> types, XmlDocMarkdown markdown)
    {
        var text = new StringBuilder();
        var assemblies = string.Join(", ", types.Select(t => t.Type.Assembly.GetName().Name).Distinct().Select(a => "`" + a + "`"));
        text.Append("# ").Append(ns).Append("\n\n")
            .Append("Assembly ").Append(assemblies).Append(". [All namespaces](README.md). Generated by `").Append(Command).Append("`; do not edit.\n");
        foreach (var type in types)
        {
            text.Append("\n## ").Append(type.Entry.Heading.Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal)).Append("\n\n");
            Entry(text, type.Entry, markdown);
            foreach (var member in type.Members)
            {
                text.Append("\n### ").Append(member.Heading).Append("\n\n");
                Entry(text, member, markdown);
            }
        }

        return text.ToString();
    }

    private static void Entry(StringBuilder text, ApiEntry entry, XmlDocMarkdown markdown)
    {
        text.Append("```csharp\n").Append(entry.Signature).Append("\n```\n");
        if (entry.Obsolete is not null)
        {
            text.Append("\n**Obsolete.** ").Append(entry.Obsolete.Length == 0 ? "Do not use in new code." : entry.Obsolete).Append('\n');
        }

        var doc = entry.Doc;
        Section(text, "", markdown.Blocks(doc?.Element("summary")));
        List(text, "Type parameters", doc?.Elements("typeparam"), "name", markdown);
        List(text, "Parameters", doc?.Elements("param").Where(_ => entry.Member is not Type || CSharpSignatures.IsRecord((Type)entry.Member)), "name", markdown);
        Section(text, "**Returns:** ", markdown.Blocks(doc?.Element("returns")));
        Section(text, "**Value:** ", markdown.Blocks(doc?.Element("value")));
        List(text, "Exceptions", doc?.Elements("exception"), "cref", markdown);
        Section(text, "**Remarks:** ", markdown.Blocks(doc?.Element("remarks")));
        foreach (var example in doc?.Elements("example") ?? [])
        {
            Section(text, "**Example:**\n\n", markdown.Blocks(example));
        }
    }

    private static void Section(StringBuilder text, string label, string body)
    {
        if (body.Length > 0)
        {
            text.Append('\n').Append(label).Append(body).Append('\n');
        }
    }

    private static void List(StringBuilder text, string label, IEnumerable<XElement>? items, string key, XmlDocMarkdown markdown)
    {
        var list = items?.ToList() ?? [];
        if (list.Count == 0)
        {
            return;
        }

        text.Append("\n**").Append(label).Append(":**\n\n");
        foreach (var item in list)
        {
            var name = (string?)item.Attribute(key) ?? "";
            var shown = key == "cref" ? markdown.Cref(name) : "`" + name + "`";
            text.Append("- ").Append(shown).Append(": ").Append(markdown.Line(item)).Append('\n');
        }
    }
}
