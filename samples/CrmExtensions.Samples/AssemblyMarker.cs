namespace CrmExtensions.Samples;

internal static class AssemblyMarker;
