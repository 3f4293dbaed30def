using CrmExtensions.Runtime.Workspace;
using CrmExtensions.Testing;

namespace CrmExtensions.Runtime.Tests;

/// <summary>SDK 1.2 card panels and pages: the plugin's data call under guard, its template in the sandbox, escaped.</summary>
public sealed partial class PluginRuntimeTests
{
    [Test]
    public async Task RenderClientPanelsAsync_RendersEscaped_HidesNull_AndTurnsFailuresIntoOneLine()
    {
        using var root = new TempDirectory();
        using var store = new TestStore(DatabaseProvider.Sqlite);
        using var runtime = await Load(TestPlugins.Install(root, "Panels"), store);
        Assert.That(Status(runtime, "Panels").Contributes, Does.Contain("client panels: EchoPanel, HiddenPanel, ThrowingPanel, MissingTemplatePanel").And.Contain("pages: SummaryPage"));

        var panels = await runtime.RenderClientPanelsAsync("42");

        Assert.That(panels.Select(p => p.Title), Is.EqualTo(new[] { "Echo", "Throws", "Missing" }), "in registration order; the hidden one is absent");
        Assert.That(panels[0], Is.EqualTo(new PluginView("Test.Panels", "Echo", "<p>Client 42: &lt;b&gt;bold&lt;/b&gt; &amp; co</p>", null)));
        Assert.That(panels[1].Html, Is.Null);
        Assert.That(panels[1].Problem, Is.EqualTo("plugin 'Test.Panels': client panel ThrowingPanel threw InvalidOperationException: the warehouse system did not answer"));
        Assert.That(panels[2].Problem, Does.Contain("nowhere.scriban: no such template").And.Contain("echo, summary"));
    }

    [Test]
    public async Task RenderPageAsync_KnownPage_IsRendered_UnknownIsNull()
    {
        using var root = new TempDirectory();
        using var store = new TestStore(DatabaseProvider.Sqlite);
        using var runtime = await Load(TestPlugins.Install(root, "Panels"), store);

        Assert.That(await runtime.ListPagesAsync(), Is.EqualTo(new[] { new PluginPageInfo("Test.Panels", "summary", "Summary") }));
        var page = await runtime.RenderPageAsync("test.panels", "summary");
        Assert.That(page, Is.EqualTo(new PluginView("Test.Panels", "Summary", "<ol><li>один</li><li>two</li></ol>", null)));
        Assert.That(await runtime.RenderPageAsync("Test.Panels", "elsewhere"), Is.Null);
        Assert.That(await runtime.RenderPageAsync("Nobody", "summary"), Is.Null);
    }
}
