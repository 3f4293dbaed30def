using CrmExtensions.Runtime.Isolation;
using CrmExtensions.Runtime.Storage;
using CrmExtensions.Sdk;
using CrmExtensions.Sdk.Facts;
using CrmExtensions.Sdk.Model;
using CrmExtensions.Sdk.Shared;
using CrmExtensions.Sdk.Storage;
using CrmExtensions.Store;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CrmExtensions.Runtime.Loading;

/// <summary>Loads a checked plugin into its own context and runs its startup under guard.</summary>
internal static class PluginLoading
{
    /// <summary>The only types (and so assemblies) a plugin shares with the host: the SDK and the Microsoft.Extensions abstractions.</summary>
    public static Type[] SharedTypes { get; } = [typeof(PluginStartup), typeof(IServiceCollection), typeof(ILogger)];

    public static async Task<(LoadedPlugin? Plugin, string? Problem)> LoadAsync(
        PluginCandidate candidate, CrmStore store, PluginRuntimeOptions options, ILoggerFactory loggers, PluginGuard guard, CancellationToken cancellationToken)
    {
        var manifest = candidate.Manifest;
        Type startupType;
        try
        {
            var assembly = PluginLoadContext.Load(manifest.AssemblyPath, SharedTypes);
            var startups = assembly.GetExportedTypes().Where(t => typeof(PluginStartup).IsAssignableFrom(t) && !t.IsAbstract).ToList();
            if (startups.Count != 1)
            {
                return (null, startups.Count == 0
                    ? $"Plugin '{manifest.Id}' has no public class deriving from PluginStartup in {Path.GetFileName(manifest.AssemblyPath)}; add one."
                    : $"Plugin '{manifest.Id}' has several PluginStartup classes ({string.Join(", ", startups.Select(t => t.Name))}); keep one.");
            }

            startupType = startups[0];
        }
        catch (Exception ex) when (ex is FileLoadException or FileNotFoundException or BadImageFormatException or System.Reflection.ReflectionTypeLoadException or TypeLoadException)
        {
            return (null, $"Plugin '{manifest.Id}' could not be loaded: {ex.Message}");
        }

        var time = store.Time;
        var committed = new StoreState(store);
        var info = new PluginInfo { Id = manifest.Id, Version = manifest.Version, Directory = candidate.Directory };
        var settings = new PluginSettings(options.PluginSettings.FirstOrDefault(s => string.Equals(s.Key, manifest.Id, StringComparison.OrdinalIgnoreCase)).Value);
        var started = await guard.RunAsync(manifest.Id, "startup", options.StartupBudget, _ =>
        {
            var services = new ServiceCollection();
            services.AddSingleton(time);
            services.AddSingleton(info);
            services.AddSingleton<ILoggerFactory>(new PluginLoggerFactory(loggers, manifest.Id));
            services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
            services.AddSingleton<ICrmReader>(new StoreReader(store));
            services.AddSingleton<ICrmFacts>(new StoreFacts(store));
            services.AddSingleton<IPluginSettings>(settings);
            services.AddScoped<WriteUnit>();
            services.AddScoped<ICrmWriter>(sp => sp.GetRequiredService<WriteUnit>().Writes ?? throw NoUnit(manifest.Id));
            services.AddScoped<IPluginStore>(sp => sp.GetRequiredService<WriteUnit>().Writes ?? throw NoUnit(manifest.Id));
            var startup = (PluginStartup)Activator.CreateInstance(startupType)!;
            #pragma warning disable CS0618 // obsolete since SDK 1.2, still called first for the plugins that override it
            startup.ConfigureServices(services);
            #pragma warning restore CS0618
            var registrations = new PluginRegistrations(manifest.Id, services);
            startup.Configure(registrations);
            var templates = registrations.TemplateFolders.Count == 0
                ? TemplateSet.Empty(manifest.Id)
                : TemplateSet.Load(manifest.Id, candidate.Directory, registrations.TemplateFolders);
            var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
            return Task.FromResult((registrations, templates, provider));
        }, cancellationToken).ConfigureAwait(false);

        if (!started.Succeeded)
        {
            // The context stays loaded: an abandoned startup may still be running code from it.
            return (null, "disabled: " + started.Problem);
        }

        var (r, t, p) = started.Value;
        return (new LoadedPlugin(candidate, r, t, p, committed, time), null);
    }

    private static InvalidOperationException NoUnit(string pluginId) => new(
        $"Plugin '{pluginId}' asked for ICrmWriter or IPluginStore outside a call from the host; take them in the constructor of a handler, rule or guard.");

    /// <summary>For callers without logging.</summary>
    public static ILoggerFactory NoLogging => NullLoggerFactory.Instance;
}
