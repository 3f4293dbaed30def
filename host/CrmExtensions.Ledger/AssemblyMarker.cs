namespace CrmExtensions.Ledger;

internal static class AssemblyMarker;
