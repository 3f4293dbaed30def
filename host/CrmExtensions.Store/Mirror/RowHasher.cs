using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace CrmExtensions.Store.Mirror;

/// <summary>A 64-bit content hash of a converted row, to tell changed rows from unchanged ones without comparing columns.</summary>
public static class RowHasher
{
    private static ReadOnlySpan<byte> NullMarker => [0xFF, 0x00];

    private static ReadOnlySpan<byte> Separator => [0xFF, 0x01];

    /// <summary>Hashes the values of one row (strings, longs and nulls), in column order.</summary>
    public static long Hash(ReadOnlySpan<object?> values)
    {
        var hasher = new XxHash3();
        Span<byte> number = stackalloc byte[8];
        foreach (var value in values)
        {
            switch (value)
            {
                case null:
                    hasher.Append(NullMarker);
                    break;
                case string s:
                    hasher.Append(MemoryMarshal.AsBytes(s.AsSpan()));
                    break;
                case long l:
                    BitConverter.TryWriteBytes(number, l);
                    hasher.Append(number);
                    break;
                default:
                    throw new ArgumentException($"Mirror values are strings or longs, not {value.GetType().Name}.", nameof(values));
            }

            hasher.Append(Separator);
        }

        return (long)hasher.GetCurrentHashAsUInt64();
    }
}
