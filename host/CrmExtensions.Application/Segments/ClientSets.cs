using CrmExtensions.Mail.Campaigns;
using CrmExtensions.Store.Clients;

namespace CrmExtensions.Application.Segments;

/// <summary>Segment conditions (<c>KIND=VALUE</c>, <c>segment=NAME</c> included) as the set of clients the client lists and
/// the reports are narrowed to: compiled today by the campaigns' segment compiler, so every face selects the same clients.</summary>
internal static class ClientSets
{
    /// <summary>The clients meeting every condition today; null for no condition.</summary>
    /// <exception cref="Store.CrmException">A condition is not one the host knows, names a missing or circular stored
    /// segment, or needs client tags the store does not have.</exception>
    public static ClientSet? Of(CrmWorkspace workspace, IReadOnlyList<string>? conditions)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        if (conditions is not { Count: > 0 })
        {
            return null;
        }

        var segments = conditions.Select(Segment.Parse).ToList();
        using var connection = workspace.Store.Open();
        return Segment.Set(connection, segments, workspace.Today, workspace.Time.LocalTimeZone, workspace.Store);
    }
}
