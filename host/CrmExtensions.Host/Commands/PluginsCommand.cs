using CrmExtensions.Application.Plugins;
using CrmExtensions.Host.Cli;
using CrmExtensions.Host.Rendering;

namespace CrmExtensions.Host.Commands;

/// <summary><c>crmx plugins</c>: what the plugins folder holds.</summary>
internal static class PluginsCommand
{
    public static CrmxCommand Create(CommandContext context)
    {
        var list = new CrmxCommand("list", "List every plugin folder: id, version, SDK version, contributions, or the reason it was refused.")
        {
            Details = """
                Every sub-folder of the configured plugins directory ('plugins:directory', default 'plugins') is one plugin:
                its 'dotnet publish' output. Each is checked from its metadata first (manifest, SDK version, duplicate ids,
                dependencies), then started in a worker process of its own ('plugins:isolation' "process", the default) and
                loaded in its own context. A plugin whose startup ends or hangs its worker is DISABLED with that failure; one
                quarantined for failing too often is QUARANTINED with the time and the reason ('crmx plugins enable ID').
                Exits 0 even when some plugins are refused.
                """,
        }.Runs(context, async (run, cancellationToken) =>
        {
            var plugins = run.Service<PluginService>();
            PluginText.Print(run.Out, plugins.Directory, await plugins.ListAsync(cancellationToken).ConfigureAwait(false));
            return 0;
        });
        var id = Opt.One("ID");
        var enable = new CrmxCommand("enable", "Enable a quarantined plugin again.")
        {
            Details = """
                In process isolation ('plugins:isolation', default "process") a plugin whose worker exits, aborts, overruns
                its budget or runs out of memory 'plugins:quarantineAfter' times (default 3) within
                'plugins:quarantineWindowMinutes' (default 60) is quarantined:
                'crmx plugins list' shows it with the reason and the time, and every command skips it. This ends the
                quarantine and forgets its failures; commands run it again from their next start.
                """,
        }.With(id).Runs(context, (run, _) =>
        {
            var enabled = run.Service<PluginService>().Enable(run.Get(id));
            run.Out.WriteLine($"Plugin '{enabled}' is enabled again; it runs from the next command (a running 'crmx run' picks it up when restarted).");
            return Task.FromResult(0);
        });
        return new CrmxCommand("plugins", "Loaded plugins, what each contributes, and why any was refused or quarantined.").With(list, enable);
    }

}
