using CrmExtensions.ApiDocs;
using CrmExtensions.Sdk.Model;
using CrmExtensions.Sdk.Testing;
using CrmExtensions.Testing;

namespace CrmExtensions.Sdk.Tests.ApiDocs;

/// <summary>docs/api is what eng/ApiDocs generates from the SDK and the test kit, and every public member has a summary.</summary>
public sealed class ApiReferenceTests
{
    private static string DocsApi => Path.Combine(TestEnvironment.RepoRoot, "docs", "api");

    [Test]
    public void Write_ComparedWithDocsApi_IsIdentical()
    {
        var temp = Directory.CreateTempSubdirectory("crmx-api-docs-");
        try
        {
            ApiReference.Write(temp.FullName);

            var generated = Directory.GetFiles(temp.FullName).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
            var committed = Directory.Exists(DocsApi)
                ? Directory.GetFiles(DocsApi).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList()
                : [];
            var regenerate = $"docs/api is stale: run `{ApiReference.Command}` from the repository root and commit the result.";
            Assert.That(committed, Is.EqualTo(generated), regenerate);
            foreach (var name in generated)
            {
                var expected = File.ReadAllBytes(Path.Combine(temp.FullName, name!));
                var actual = File.ReadAllBytes(Path.Combine(DocsApi, name!));
                Assert.That(actual.AsSpan().SequenceEqual(expected), Is.True, $"docs/api/{name} differs from what the SDK generates{FirstDifference(expected, actual)}. {regenerate}");
            }
        }
        finally
        {
            temp.Delete(recursive: true);
        }
    }

    [Test]
    public void Undocumented_SdkAndTestKit_IsEmpty()
    {
        Assert.That(ApiReference.Assemblies.Select(a => a.GetName().Name), Is.EquivalentTo(new[] { "CrmExtensions.Sdk", "CrmExtensions.Sdk.Testing" }));
        Assert.That(ApiReference.Types().Sum(t => t.Members.Count), Is.GreaterThan(300), "the check must see the members, not only the types");
        Assert.That(ApiReference.Undocumented(), Is.Empty, "public types and members without a <summary>");
    }

    [Test]
    public void Undocumented_AssemblyWithBareMembers_NamesThem()
    {
        // Tests need no XML docs: this fixture has a summary, its test methods have none.
        var undocumented = ApiReference.Undocumented([typeof(ApiReferenceTests).Assembly]);

        Assert.That(undocumented, Does.Contain("M:" + typeof(ApiReferenceTests).FullName + "." + nameof(Undocumented_AssemblyWithBareMembers_NamesThem)));
        Assert.That(undocumented, Does.Not.Contain("T:" + typeof(ApiReferenceTests).FullName));
    }

    [Test]
    public void Types_TestKit_IsDocumentedToo()
    {
        var types = ApiReference.Types().Select(t => t.Type).ToList();

        Assert.That(types, Does.Contain(typeof(PluginHarness)).And.Contain(typeof(InMemoryCrm)).And.Contain(typeof(ICrmReader)));
    }

    [Test]
    public void Method_NullableGenericReturn_ReadsLikeCSharp()
    {
        var signature = new CSharpSignatures().Method(typeof(ICrmReader).GetMethod(nameof(ICrmReader.GetClientAsync))!);

        Assert.That(signature, Is.EqualTo("Task<Client?> GetClientAsync(string clientId, CancellationToken cancellationToken)"));
    }

    [Test]
    public void Method_Obsolete_ShowsTheAttributeWithItsMessage()
    {
        var signature = new CSharpSignatures().Method(typeof(Sample).GetMethod(nameof(Sample.Old))!);

        Assert.That(signature, Is.EqualTo("[Obsolete(\"Use New.\")]\npublic static int Old(string? name = null, params int[] values)"));
        Assert.That(CSharpSignatures.ObsoleteMessage(typeof(Sample).GetMethod(nameof(Sample.Old))!), Is.EqualTo("Use New."));
    }

    [Test]
    public void Property_RequiredInit_ShowsBoth()
    {
        var signature = new CSharpSignatures().Property(typeof(Client).GetProperty(nameof(Client.ClientId))!);

        Assert.That(signature, Is.EqualTo("public required string ClientId { get; init; }"));
    }

    [Test]
    public void Property_NamedTupleArgument_ShowsTheNames()
    {
        var signature = new CSharpSignatures().Property(typeof(InMemoryCrm).GetProperty(nameof(InMemoryCrm.ClientTags))!);

        Assert.That(signature, Is.EqualTo("public IReadOnlyDictionary<(string Client, string Name), string> ClientTags { get; }"));
    }

    [Test]
    public void Generate_ObsoleteMembers_AreMarkedWithTheirMessage()
    {
        var obsolete = ApiReference.Types().SelectMany(t => t.Members.Prepend(t.Entry)).Where(e => e.Obsolete is not null).ToList();
        var pages = ApiReference.Generate();

        foreach (var entry in obsolete)
        {
            var page = pages[entry.Member is Type type ? type.Namespace + ".md" : entry.Member.DeclaringType!.Namespace + ".md"];
            Assert.That(page, Does.Contain("**Obsolete.** " + (entry.Obsolete!.Length == 0 ? "Do not use in new code." : entry.Obsolete)), entry.DocId);
        }
    }

    [Test]
    public void Generate_ObsoleteMember_ShowsTheAttributeAndTheMessage()
    {
        var page = ApiReference.Generate([typeof(ObsoleteSample).Assembly])[typeof(ObsoleteSample).Namespace + ".md"];

        Assert.That(page, Does.Contain("```csharp\n[Obsolete(\"Use New.\")]\npublic static int Old()\n```\n\n**Obsolete.** Use New.\n"));
        Assert.That(page, Does.Contain("```csharp\npublic static int New()\n```\n\nReturns one.\n"));
    }

    private static string FirstDifference(byte[] expected, byte[] actual)
    {
        var expectedLines = System.Text.Encoding.UTF8.GetString(expected).Split('\n');
        var actualLines = System.Text.Encoding.UTF8.GetString(actual).Split('\n');
        for (var i = 0; i < Math.Max(expectedLines.Length, actualLines.Length); i++)
        {
            var want = i < expectedLines.Length ? expectedLines[i] : "(end of file)";
            var have = i < actualLines.Length ? actualLines[i] : "(end of file)";
            if (want != have)
            {
                return $" from line {i + 1} (generated: \"{want}\", committed: \"{have}\")";
            }
        }

        return " (line endings or encoding)";
    }

    private static class Sample
    {
        [Obsolete("Use New.")]
        public static int Old(string? name = null, params int[] values) => (name?.Length ?? 0) + values.Length;
    }
}

/// <summary>A public type with an obsolete member, for <see cref="ApiReferenceTests"/>.</summary>
public static class ObsoleteSample
{
    /// <summary>Returns one.</summary>
    /// <returns>One.</returns>
    [Obsolete("Use New.")]
    public static int Old() => New();

    /// <summary>Returns one.</summary>
    /// <returns>One.</returns>
    public static int New() => 1;
}
