namespace CrmExtensions.Store;

internal static class AssemblyMarker;
