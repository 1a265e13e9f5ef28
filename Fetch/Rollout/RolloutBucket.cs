using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Webc.BootSafe.Fetch.Rollout;

/// <summary>
/// A kiosk's place in a rollout: a number in [0, 10000), one per 0.01% of the fleet. Derived from
/// SHA-256 of the machine id rather than from the id itself or a server-assigned number because a
/// cryptographic hash spreads any ids (sequential, clustered, vendor-prefixed) uniformly, gives the
/// same bucket on every boot and every release without state on the medium, and needs no server or
/// coordination: the publisher only states percentages.
/// </summary>
public readonly record struct RolloutBucket
{
    /// <summary>Buckets per fleet: one per basis point, so a wave's percent may have two decimals.</summary>
    public const int Count = 10_000;

    public RolloutBucket(int value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(value, Count);
        Value = value;
    }

    public int Value { get; }

    /// <summary>
    /// The bucket of a machine id (e.g. /etc/machine-id): trimmed and lower-cased first so the same
    /// machine always lands in the same bucket. The first 8 bytes of the digest, big-endian, modulo
    /// 10000: the modulo bias is below 10^-15.
    /// </summary>
    public static RolloutBucket Of(string machineId)
    {
        var id = machineId.Trim().ToLowerInvariant();
        if (id.Length == 0)
        {
            throw new ArgumentException("a machine id is needed for a rollout bucket", nameof(machineId));
        }

        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(id), digest);
        return new RolloutBucket((int)(BinaryPrimitives.ReadUInt64BigEndian(digest) % Count));
    }

    public override string ToString() => $"bucket {Value}";
}
