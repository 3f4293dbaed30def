namespace CrmExtensions.Runtime.Loading;

/// <summary>A plugin's identity and references, read from its main assembly's metadata without loading it.</summary>
internal sealed record PluginManifest(
    string Id,
    string Version,
    string Description,
    IReadOnlyList<string> Dependencies,
    string AssemblyPath,
    IReadOnlyDictionary<string, Version> References)
{
    public Version? SdkVersion => References.GetValueOrDefault(SdkAssembly.Name);
}

/// <summary>The SDK assembly as the host has it.</summary>
internal static class SdkAssembly
{
    public const string Name = "CrmExtensions.Sdk";

    public static Version Version { get; } = typeof(Sdk.PluginStartup).Assembly.GetName().Version!;
}
