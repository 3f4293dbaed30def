using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;
using System.Text.Json;
using McMaster.NETCore.Plugins;
using McMaster.NETCore.Plugins.Loader;

namespace CrmExtensions.Runtime.Loading;

/// <summary>A plugin's load context, built as <see cref="PluginLoader.CreateFromAssemblyFile(string, Type[], Action{PluginConfig})"/>
/// builds it, without the reflection-based serializer and the process's module list.</summary>
/// <remarks>
/// The loader reads the additional probing paths of the plugin's runtimeconfig.json, and of every runtimeconfig.json beside
/// the host, with the reflection-based serializer (its converters for every primitive type and the accessors it emits,
/// compiled in every process), and asks for the process's main module (the list of every module mapped) to learn
/// whether it runs under the dotnet muxer. Each plugin worker paid both at its start for nothing the reflection could
/// not read from the same file by hand: the same probing paths are read here with <see cref="JsonDocument"/>, and the
/// muxer is <see cref="Environment.ProcessPath"/>. The context is the loader's own (<see cref="AssemblyLoadContextBuilder"/>):
/// the plugin's deps.json, its private copies of what it ships, the shared assemblies taken from the host.
/// </remarks>
internal static class PluginLoadContext
{
    private const string RuntimeConfig = ".runtimeconfig.json";

    /// <summary>Loads the plugin whose assembly is <paramref name="mainAssemblyPath"/> into a context of its own, sharing
    /// the assemblies of <paramref name="sharedTypes"/> with the host, and returns that assembly.</summary>
    /// <remarks>The context is not collectible, as the loader's is not unless asked: it lives as long as the process, held
    /// by the assembly loaded into it, so there is nothing to dispose.</remarks>
    public static Assembly Load(string mainAssemblyPath, IEnumerable<Type> sharedTypes)
    {
        var builder = new AssemblyLoadContextBuilder();
        builder.SetMainAssemblyPath(mainAssemblyPath);
        // PluginConfig's default: the context the loader's own assembly was loaded into.
        builder.SetDefaultContext(AssemblyLoadContext.GetLoadContext(typeof(PluginLoader).Assembly) ?? AssemblyLoadContext.Default);
        foreach (var assembly in sharedTypes.Select(t => t.Assembly).Distinct())
        {
            builder.PreferDefaultLoadContextAssembly(assembly.GetName());
        }

        var directory = Path.GetDirectoryName(mainAssemblyPath) ?? throw new ArgumentException("not a file path", nameof(mainAssemblyPath));
        AddProbingPaths(builder, Path.Combine(directory, Path.GetFileNameWithoutExtension(mainAssemblyPath) + RuntimeConfig));
        foreach (var hostConfig in Directory.GetFiles(AppContext.BaseDirectory, "*" + RuntimeConfig))
        {
            AddProbingPaths(builder, hostConfig);
        }

        return builder.Build().LoadFromAssemblyPath(mainAssemblyPath);
    }

    /// <summary>What <c>RuntimeConfigExtensions.TryAddAdditionalProbingPathFromRuntimeConfig(builder, path, includeDevConfig: true)</c> adds:
    /// the <c>runtimeOptions.additionalProbingPaths</c> of the file and of its <c>.dev.json</c>, and the muxer's store for
    /// the target framework when the process runs under <c>dotnet</c>; nothing from a file that is missing or does not read.</summary>
    internal static void AddProbingPaths(AssemblyLoadContextBuilder builder, string runtimeConfigPath)
    {
        if (Read(runtimeConfigPath) is not { } config)
        {
            return;
        }

        var dev = Read(runtimeConfigPath[..^".json".Length] + ".dev.json");
        var tfm = config.Tfm ?? dev?.Tfm;
        foreach (var path in config.ProbingPaths.Concat(dev?.ProbingPaths ?? []))
        {
            var probing = path.Replace("|arch|", Architecture, StringComparison.Ordinal);
            if (probing.Contains("|tfm|", StringComparison.Ordinal))
            {
                if (tfm is null)
                {
                    continue;
                }

                probing = probing.Replace("|tfm|", tfm, StringComparison.Ordinal);
            }

            if (!TryAdd(builder, probing))
            {
                return;
            }
        }

        if (tfm is not null && Environment.ProcessPath is { } process
            && string.Equals(Path.GetFileNameWithoutExtension(process), "dotnet", StringComparison.OrdinalIgnoreCase))
        {
            TryAdd(builder, Path.Combine(Path.GetDirectoryName(process)!, "store", Architecture, tfm));
        }
    }

    /// <summary>Adds a probing path; false when the builder refuses it (an empty path), which ends the file's paths as the loader's catch-all did.</summary>
    private static bool TryAdd(AssemblyLoadContextBuilder builder, string path)
    {
        try
        {
            builder.AddProbingPath(path);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static string Architecture => RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant();

    /// <summary>The target framework and probing paths of a runtimeconfig file; null when it is missing or not what the
    /// loader's serializer would read (not JSON, or a member of another type).</summary>
    internal static (string? Tfm, IReadOnlyList<string> ProbingPaths)? Read(string path)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            if (!document.RootElement.TryGetProperty("runtimeOptions", out var options) || options.ValueKind == JsonValueKind.Null)
            {
                return (null, []);
            }

            if (options.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            string? tfm = null;
            if (options.TryGetProperty("tfm", out var tfmValue) && tfmValue.ValueKind != JsonValueKind.Null)
            {
                tfm = tfmValue.GetString();
            }

            var paths = new List<string>();
            if (options.TryGetProperty("additionalProbingPaths", out var probing) && probing.ValueKind != JsonValueKind.Null)
            {
                foreach (var item in probing.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.String)
                    {
                        return null;
                    }

                    paths.Add(item.GetString()!);
                }
            }

            return (tfm, paths);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException or InvalidOperationException)
        {
            return null;
        }
    }
}
