using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CrmExtensions.Mail.Campaigns;

/// <summary>The control group of a campaign: a share of its segment drawn by a hash of the campaign and the client, not by a random generator.</summary>
/// <remarks>
/// SHA-256 of <c>{campaign}\n{client id}</c>, its first eight bytes read as a fraction of 2^64: the client is in the control
/// group when that fraction is below the share. The same campaign and client always fall the same way, on every machine
/// and every run; clients of one campaign are spread independently of their ids, and another campaign draws another group.
/// </remarks>
internal static class Holdout
{
    /// <summary>The share of the segment kept back by default, in percent.</summary>
    public const double DefaultPercent = 10;

    /// <summary>Where the client falls in [0, 1) for the campaign.</summary>
    public static double Draw(string campaign, long clientId)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(campaign + "\n" + clientId.ToString(CultureInfo.InvariantCulture)), hash);
        return BinaryPrimitives.ReadUInt64BigEndian(hash) / 18446744073709551616.0;
    }

    /// <summary>Whether the client is in the campaign's control group of <paramref name="percent"/> % (0 keeps no one back).</summary>
    public static bool IsControl(string campaign, long clientId, double percent) => percent > 0 && Draw(campaign, clientId) * 100 < percent;
}
