using System.Globalization;

namespace Webc.BootSafe.Fetch.Rollout;

/// <summary>
/// One wave: from <see cref="NotBefore"/> (UTC) on, the first <see cref="BasisPoints"/> of the
/// 10000 buckets may take the release. The share is cumulative (1, 10, 50, 100 percent), not an increment.
/// </summary>
public sealed record RolloutWave
{
    public RolloutWave(int basisPoints, DateTimeOffset notBefore)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(basisPoints);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(basisPoints, RolloutBucket.Count);
        BasisPoints = basisPoints;
        NotBefore = notBefore;
    }

    public int BasisPoints { get; }

    public DateTimeOffset NotBefore { get; }

    public decimal Percent => BasisPoints / 100m;

    public override string ToString() =>
        $"{Percent.ToString("0.##", CultureInfo.InvariantCulture)}% not before {NotBefore.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}";
}
