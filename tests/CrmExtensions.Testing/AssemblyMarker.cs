namespace CrmExtensions.Testing;

internal static class AssemblyMarker;
