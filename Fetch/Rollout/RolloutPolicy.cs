namespace Webc.BootSafe.Fetch.Rollout;

/// <summary>
/// The publisher's rollout of one release: waves that only widen (percent and not-before both
/// non-decreasing; <see cref="RolloutPolicyFile"/> enforces it). A kiosk takes the release when the
/// widest wave whose not-before has passed covers its bucket. Halting is a new policy whose open
/// share is 0 (percent 0, or a not-before far in the future).
/// </summary>
public sealed record RolloutPolicy
{
    public RolloutPolicy(IReadOnlyList<RolloutWave> waves)
    {
        ArgumentOutOfRangeException.ThrowIfZero(waves.Count, nameof(waves));
        for (var i = 1; i < waves.Count; i++)
        {
            if (waves[i].BasisPoints < waves[i - 1].BasisPoints || waves[i].NotBefore < waves[i - 1].NotBefore)
            {
                throw new ArgumentException($"wave {i + 1} ({waves[i]}) narrows or precedes wave {i} ({waves[i - 1]})", nameof(waves));
            }
        }

        Waves = waves;
    }

    /// <summary>A release without a rollout file: open to every kiosk at once (today's behaviour).</summary>
    public static RolloutPolicy Everyone { get; } = new([new RolloutWave(RolloutBucket.Count, DateTimeOffset.MinValue)]);

    public IReadOnlyList<RolloutWave> Waves { get; }

    /// <summary>How many of the 10000 buckets are admitted at <paramref name="now"/>.</summary>
    public int OpenBasisPoints(DateTimeOffset now)
    {
        var open = 0;
        foreach (var wave in Waves)
        {
            if (wave.NotBefore <= now)
            {
                open = Math.Max(open, wave.BasisPoints);
            }
        }

        return open;
    }

    /// <summary>Buckets 0 .. open-1 are admitted: wider waves keep every bucket a narrower one admitted.</summary>
    public bool IsOpenFor(RolloutBucket bucket, DateTimeOffset now) => bucket.Value < OpenBasisPoints(now);

    public bool Equals(RolloutPolicy? other) => other is not null && Waves.SequenceEqual(other.Waves);

    public override int GetHashCode() => Waves.Aggregate(0, (h, w) => HashCode.Combine(h, w));

    public override string ToString() => string.Join(", ", Waves);
}
