namespace CrmExtensions.Runtime.Loading;

/// <summary>A plugin folder whose manifest passed every check, ready to load.</summary>
internal sealed record PluginCandidate(string Directory, PluginManifest Manifest);

/// <summary>A plugin folder the host will not load, and why (a message that says what to do).</summary>
internal sealed record PluginRefusal(string Directory, PluginManifest? Manifest, string Reason);

/// <summary>Finds plugin folders, reads their manifests, refuses what cannot work, and orders the rest by dependencies.</summary>
/// <remarks>Everything here reads metadata only: no plugin code runs before every plugin has been checked.</remarks>
internal static class PluginDiscovery
{
    /// <summary>The assemblies the host shares with every plugin: a plugin must not need a newer one than the host has.</summary>
    public static IReadOnlyDictionary<string, Version> SharedAssemblies { get; } =
        PluginLoading.SharedTypes.Select(t => t.Assembly.GetName())
            .DistinctBy(n => n.Name)
            .ToDictionary(n => n.Name!, n => n.Version!, StringComparer.OrdinalIgnoreCase);

    public static (IReadOnlyList<PluginCandidate> Ordered, IReadOnlyList<PluginRefusal> Refused) Discover(string pluginsDirectory)
    {
        var refused = new List<PluginRefusal>();
        var candidates = new List<PluginCandidate>();
        if (!Directory.Exists(pluginsDirectory))
        {
            return (candidates, refused);
        }

        foreach (var folder in Directory.EnumerateDirectories(pluginsDirectory).Order(StringComparer.Ordinal))
        {
            var (manifest, problem) = FindManifest(folder);
            if (manifest is null && Mail.Templates.TemplatePack.IsPack(folder))
            {
                // A standalone template pack installed beside the plugins: campaigns find it by name; it is no plugin.
                continue;
            }

            if (manifest is null)
            {
                refused.Add(new PluginRefusal(folder, null, problem!));
                continue;
            }

            var incompatible = CheckReferences(manifest);
            if (incompatible is not null)
            {
                refused.Add(new PluginRefusal(folder, manifest, incompatible));
                continue;
            }

            candidates.Add(new PluginCandidate(folder, manifest));
        }

        foreach (var duplicate in candidates.GroupBy(c => c.Manifest.Id, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).ToList())
        {
            var folders = string.Join(", ", duplicate.Select(c => Path.GetFileName(c.Directory)));
            foreach (var candidate in duplicate)
            {
                refused.Add(new PluginRefusal(candidate.Directory, candidate.Manifest,
                    $"Plugin id '{candidate.Manifest.Id}' is declared by several folders ({folders}); none of them is loaded. Keep one folder per plugin id."));
                candidates.Remove(candidate);
            }
        }

        // A refusal can strand the plugins that depend on it, so repeat until nothing changes.
        bool changed;
        do
        {
            changed = false;
            var present = candidates.Select(c => c.Manifest.Id).ToHashSet(StringComparer.OrdinalIgnoreCase);
            foreach (var candidate in candidates.ToList())
            {
                var missing = candidate.Manifest.Dependencies.Where(d => !present.Contains(d)).ToList();
                if (missing.Count == 0)
                {
                    continue;
                }

                var why = missing.Select(d => refused.FirstOrDefault(r => string.Equals(r.Manifest?.Id, d, StringComparison.OrdinalIgnoreCase)) is { } r
                    ? $"'{d}' (refused: {r.Reason})"
                    : $"'{d}' (not in {pluginsDirectory})");
                refused.Add(new PluginRefusal(candidate.Directory, candidate.Manifest,
                    $"Plugin '{candidate.Manifest.Id}' depends on {string.Join(", ", why)}. Install the missing plugin in its own folder, or remove this one."));
                candidates.Remove(candidate);
                changed = true;
            }
        }
        while (changed);

        return (Order(candidates, refused), refused);
    }

    private static (PluginManifest? Manifest, string? Problem) FindManifest(string folder)
    {
        var name = Path.GetFileName(folder);
        var conventional = Path.Combine(folder, name + ".dll");
        if (File.Exists(conventional) && ManifestReader.Read(conventional) is { } manifest)
        {
            return (manifest, null);
        }

        var found = Directory.EnumerateFiles(folder, "*.dll").Order(StringComparer.Ordinal)
            .Select(ManifestReader.Read).OfType<PluginManifest>().ToList();
        return found.Count switch
        {
            1 => (found[0], null),
            0 => (null, $"No plugin manifest in '{name}': no assembly in the folder carries [assembly: CrmPlugin(\"Id\", \"Version\")]. " +
                "Add the attribute to the plugin's main assembly and copy its 'dotnet publish' output into the folder."),
            _ => (null, $"Several assemblies in '{name}' carry [assembly: CrmPlugin] ({string.Join(", ", found.Select(m => Path.GetFileName(m.AssemblyPath)))}); " +
                "put each plugin in its own folder."),
        };
    }

    /// <summary>Refuses a plugin built against an SDK or shared abstraction the host cannot honour.</summary>
    /// <remarks>The loader would quietly give such a plugin its own copy, whose types the host does not know.</remarks>
    private static string? CheckReferences(PluginManifest manifest)
    {
        var host = SdkAssembly.Version;
        if (manifest.SdkVersion is not { } sdk)
        {
            return $"Plugin '{manifest.Id}' does not reference {SdkAssembly.Name}; a plugin's startup class must derive from its PluginStartup.";
        }

        if (sdk.Major != host.Major || sdk > host)
        {
            var older = sdk.Major < host.Major;
            return $"Plugin '{manifest.Id}' was built against {SdkAssembly.Name} {sdk.ToString(3)}; this host provides {host.ToString(3)}. " +
                (older
                    ? $"Rebuild the plugin against {SdkAssembly.Name} {host.Major}.x."
                    : $"Rebuild the plugin against {SdkAssembly.Name} {host.Major}.{host.Minor} or earlier {host.Major}.x, or upgrade the host.");
        }

        foreach (var (name, version) in manifest.References)
        {
            if (name != SdkAssembly.Name && SharedAssemblies.TryGetValue(name, out var provided) && version > provided)
            {
                return $"Plugin '{manifest.Id}' references {name} {version.ToString(3)}; this host shares {provided.ToString(3)} with plugins. " +
                    $"Reference {name} {provided.Major}.{provided.Minor} or earlier, or upgrade the host.";
            }
        }

        return null;
    }

    private static List<PluginCandidate> Order(List<PluginCandidate> candidates, List<PluginRefusal> refused)
    {
        var ordered = new List<PluginCandidate>();
        var done = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var remaining = candidates.OrderBy(c => c.Manifest.Id, StringComparer.Ordinal).ToList();
        while (remaining.Count > 0)
        {
            var ready = remaining.FirstOrDefault(c => c.Manifest.Dependencies.All(done.Contains));
            if (ready is null)
            {
                foreach (var c in remaining)
                {
                    refused.Add(new PluginRefusal(c.Directory, c.Manifest,
                        $"Plugin '{c.Manifest.Id}' is in a dependency cycle ({string.Join(", ", remaining.Select(r => r.Manifest.Id))}); break the cycle."));
                }

                break;
            }

            ordered.Add(ready);
            done.Add(ready.Manifest.Id);
            remaining.Remove(ready);
        }

        return ordered;
    }
}
