using System.Reflection;
using CrmExtensions.Sdk.Testing;

namespace CrmExtensions.Sdk.Tests;

/// <summary>Rules every public type of the SDK and its test kit keeps, checked instead of reviewed.</summary>
public sealed class ConventionTests
{
    private static readonly Assembly[] Assemblies = [typeof(PluginStartup).Assembly, typeof(PluginHarness).Assembly];

    private static IEnumerable<Type> PublicTypes => Assemblies.SelectMany(a => a.GetExportedTypes());

    private static IEnumerable<MethodInfo> PublicAsyncMethods => PublicTypes
        .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
        .Where(m => typeof(Task).IsAssignableFrom(m.ReturnType) || m.ReturnType.Name.StartsWith("ValueTask", StringComparison.Ordinal));

    [Test]
    public void PublicClasses_AreSealedAbstractOrStatic()
    {
        var open = PublicTypes.Where(t => t.IsClass && !t.IsSealed && !t.IsAbstract && !typeof(Delegate).IsAssignableFrom(t)).Select(t => t.FullName);

        Assert.That(open, Is.Empty);
    }

    [Test]
    public void PublicAsyncMethods_TakeACancellationTokenLast()
    {
        var offenders = PublicAsyncMethods
            .Where(m => m.GetParameters() is var p && (p.Length == 0 || p[^1].ParameterType != typeof(CancellationToken)))
            .Select(m => m.DeclaringType!.Name + "." + m.Name);

        Assert.That(PublicAsyncMethods.Count(), Is.GreaterThan(10), "the rule must look at the SDK's async methods");
        Assert.That(offenders, Is.Empty);
    }

    [Test]
    public void Exceptions_DeriveFromPluginException()
    {
        var exceptions = PublicTypes.Where(t => typeof(Exception).IsAssignableFrom(t)).ToList();

        Assert.That(exceptions, Has.Count.GreaterThan(1));
        Assert.That(exceptions.Where(t => t != typeof(PluginException) && !t.IsSubclassOf(typeof(PluginException))).Select(t => t.FullName), Is.Empty);
    }

    [Test]
    public void Sdk_DependsOnlyOnTheRuntimeAndMicrosoftExtensionsAbstractions()
    {
        var references = typeof(PluginStartup).Assembly.GetReferencedAssemblies().Select(a => a.Name!);

        Assert.That(references.Where(n => n != "System.Runtime" && !n.StartsWith("System.", StringComparison.Ordinal)
            && !(n.StartsWith("Microsoft.Extensions.", StringComparison.Ordinal) && n.EndsWith(".Abstractions", StringComparison.Ordinal))), Is.Empty);
    }

    [Test]
    public void Sdk_HasNoTypeThatCouldWriteALedger()
    {
        var names = typeof(PluginStartup).Assembly.GetExportedTypes().Select(t => t.Name);

        // The only ledger type is the key that names a row; every writer writes the CRM's own store.
        Assert.That(names.Where(n => n.Contains("Ledger")), Is.EqualTo(new[] { "LedgerKey" }));
        Assert.That(names, Has.None.Contains("Connection").And.None.Contains("Sql").And.None.Contains("Command"));
        Assert.That(names.Where(n => n.EndsWith("Writer")), Is.EqualTo(new[] { "ICrmWriter" }));
        Assert.That(typeof(PluginStartup).Assembly.GetReferencedAssemblies().Select(a => a.Name), Has.None.Contains("Data"));
    }

    [Test]
    public void PublicMembers_AreDocumented()
    {
        var xml = Path.ChangeExtension(typeof(PluginStartup).Assembly.Location, ".xml");
        var documented = System.Xml.Linq.XDocument.Load(xml).Descendants("member").Select(m => (string)m.Attribute("name")!).ToHashSet();

        var missing = typeof(PluginStartup).Assembly.GetExportedTypes().Where(t => !documented.Contains("T:" + t.FullName)).Select(t => t.FullName);

        Assert.That(documented, Has.Count.GreaterThan(100));
        Assert.That(missing, Is.Empty);
    }
}
