namespace CrmExtensions.Unification;

internal static class AssemblyMarker;
