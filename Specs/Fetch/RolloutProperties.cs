using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Webc.BootSafe.Fetch.Rollout;
using Webc.BootSafe.Medium.Errors;

namespace Webc.BootSafe.Specs.Fetch;

/// <summary>
/// Rollout waves: buckets from SHA-256 of machine ids split a fleet as the publisher's percentages
/// say, wider waves never evict an admitted kiosk, a halted policy admits none, and the file parses
/// back to what was written.
/// </summary>
public sealed class RolloutProperties
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);

    /// <summary>A fleet of 100,000 machine ids shaped like /etc/machine-id (32 lower-case hex), from a seed.</summary>
    private static RolloutBucket[] Fleet(int seed)
    {
        var random = new Random(seed);
        var id = new byte[16];
        var buckets = new RolloutBucket[100_000];
        for (var i = 0; i < buckets.Length; i++)
        {
            random.NextBytes(id);
            buckets[i] = RolloutBucket.Of(Convert.ToHexStringLower(id));
        }

        return buckets;
    }

    /// <summary>1 to 6 waves, percent (basis points) and not-before both non-decreasing.</summary>
    private static Gen<RolloutPolicy> Policies { get; } =
        from steps in Gen.Choose(0, 3000).Zip(Gen.Choose(0, 72 * 60)).ArrayOf().Where(a => a.Length is > 0 and <= 6)
        select new RolloutPolicy(Accumulate(steps));

    private static List<RolloutWave> Accumulate((int Points, int Minutes)[] steps)
    {
        var (points, time) = (0, Start);
        var waves = new List<RolloutWave>();
        foreach (var (p, m) in steps)
        {
            points = Math.Min(RolloutBucket.Count, points + p);
            time = time.AddMinutes(m);
            waves.Add(new RolloutWave(points, time));
        }

        return waves;
    }

    /// <summary>A policy and a widening of it: each wave no narrower and no later, still in order.</summary>
    private static Gen<(RolloutPolicy Narrow, RolloutPolicy Wide)> Widenings { get; } =
        from narrow in Policies
        from widen in Gen.Choose(0, 2000).Zip(Gen.Choose(0, 48 * 60)).ArrayOf(narrow.Waves.Count)
        select (narrow, Widen(narrow, widen));

    private static RolloutPolicy Widen(RolloutPolicy narrow, (int Points, int Minutes)[] by)
    {
        var waves = new List<RolloutWave>();
        for (var i = 0; i < by.Length; i++)
        {
            var w = narrow.Waves[i];
            var points = Math.Min(RolloutBucket.Count, w.BasisPoints + by[i].Points);
            var time = w.NotBefore.AddMinutes(-by[i].Minutes);
            if (waves.Count > 0)
            {
                // Earlier waves may have widened past this one: keep the order (still no narrower, no later).
                points = Math.Max(points, waves[^1].BasisPoints);
                time = time < waves[^1].NotBefore ? waves[^1].NotBefore : time;
            }

            waves.Add(new RolloutWave(points, time));
        }

        return new RolloutPolicy(waves);
    }

    /// <summary>The moments that matter for a policy: each not-before, just before it, and a week later.</summary>
    private static IEnumerable<DateTimeOffset> Moments(params RolloutPolicy[] policies) =>
        policies.SelectMany(p => p.Waves)
            .SelectMany(w => new[] { w.NotBefore.AddSeconds(-1), w.NotBefore, w.NotBefore.AddMinutes(7) })
            .Append(Start.AddDays(-1)).Append(Start.AddDays(30));

    private static string Yaml(RolloutPolicy policy)
    {
        var text = new StringBuilder("# written by RolloutProperties\nwaves:\n");
        foreach (var w in policy.Waves)
        {
            text.Append(CultureInfo.InvariantCulture, $"  - percent: {w.Percent.ToString("0.##", CultureInfo.InvariantCulture)}\n");
            text.Append(CultureInfo.InvariantCulture, $"    not-before: {w.NotBefore.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}\n");
        }

        return text.ToString();
    }

    [Property(MaxTest = 8)]
    public Property Over_100000_machine_ids_each_wave_admits_its_percent_within_one_point() => Prop.ForAll(
        Policies.ToArbitrary(), Gen.Choose(0, int.MaxValue).ToArbitrary(), (policy, seed) =>
        {
            var fleet = Fleet(seed);
            var previous = 0;
            foreach (var wave in policy.Waves)
            {
                var now = wave.NotBefore;
                var admitted = fleet.Count(b => policy.IsOpenFor(b, now)) * 100.0 / fleet.Length;
                var thisWave = fleet.Count(b => policy.IsOpenFor(b, now) && b.Value >= previous) * 100.0 / fleet.Length;
                Assert.InRange(admitted, (double)wave.Percent - 1, (double)wave.Percent + 1);
                Assert.InRange(thisWave, (wave.BasisPoints - previous) / 100.0 - 1, (wave.BasisPoints - previous) / 100.0 + 1);
                previous = wave.BasisPoints;
            }
        });

    [Fact]
    public void The_documented_waves_split_a_fleet_of_100000_as_1_10_50_100_percent()
    {
        var policy = RolloutPolicyFile.Parse("""
            waves:
              - percent: 1
                not-before: 2026-12-01T08:00:00Z
              - percent: 10
                not-before: 2026-12-02T08:00:00Z
              - percent: 50
                not-before: 2026-12-03T08:00:00Z
              - percent: 100
                not-before: 2026-12-04T08:00:00Z
            """);
        var fleet = Fleet(18);
        var shares = policy.Waves.Select(w => fleet.Count(b => policy.IsOpenFor(b, w.NotBefore)) * 100.0 / fleet.Length).ToList();

        Assert.Equal(0, fleet.Count(b => policy.IsOpenFor(b, Start.AddSeconds(-1))));
        Assert.InRange(shares[0], 0.5, 1.5);
        Assert.InRange(shares[1], 9, 11);
        Assert.InRange(shares[2], 49, 51);
        Assert.Equal(100, shares[3]);
    }

    [Property(MaxTest = 300)]
    public Property A_kiosk_never_leaves_a_wave_it_entered_when_waves_widen_or_time_passes() => Prop.ForAll(
        Widenings.ToArbitrary(), pair =>
        {
            var (narrow, wide) = pair;
            var moments = Moments(narrow, wide).Order().ToList();
            for (var bucket = 0; bucket < RolloutBucket.Count; bucket += 13)
            {
                var b = new RolloutBucket(bucket);
                var wasOpen = false;
                foreach (var now in moments)
                {
                    var open = narrow.IsOpenFor(b, now);
                    if (wasOpen && !open)
                    {
                        Assert.Fail($"{b} left {narrow} at {now:O}");
                    }

                    if (open && !wide.IsOpenFor(b, now))
                    {
                        Assert.Fail($"{b} admitted by {narrow} but not by the wider {wide} at {now:O}");
                    }

                    wasOpen = open;
                }
            }
        });

    [Property(MaxTest = 100)]
    public Property A_halted_policy_admits_no_kiosk() => Prop.ForAll(
        Policies.ToArbitrary(), Gen.Choose(1, 3650).ToArbitrary(), (policy, days) =>
        {
            var zero = new RolloutPolicy(policy.Waves.Select(w => new RolloutWave(0, w.NotBefore)).ToList());
            var future = new RolloutPolicy(policy.Waves.Select(w => new RolloutWave(w.BasisPoints, w.NotBefore.AddDays(3650 + 90))).ToList());
            var now = Start.AddDays(days);
            foreach (var bucket in Enumerable.Range(0, RolloutBucket.Count).Select(b => new RolloutBucket(b)))
            {
                Assert.False(zero.IsOpenFor(bucket, now));
                Assert.False(future.IsOpenFor(bucket, now));
            }
        });

    [Property(MaxTest = 300)]
    public Property A_written_policy_parses_back_to_itself() => Prop.ForAll(
        Policies.ToArbitrary(), policy => Assert.Equal(policy, RolloutPolicyFile.Parse(Yaml(policy))));

    // Pinned with `printf %s ID | sha256sum`: first 16 hex digits as an unsigned number, mod 10000.
    // Changing the derivation would reshuffle every fleet's waves, so these must never change.
    [Theory]
    [InlineData("0123456789abcdef0123456789abcdef", 4022)]
    [InlineData(" 0123456789ABCDEF0123456789ABCDEF\n", 4022)]
    [InlineData("ffffffffffffffffffffffffffffffff", 1648)]
    [InlineData("5f1c0e8a7b3d4e2f9a6b8c7d0e1f2a3b", 6147)]
    public void The_bucket_is_sha256_of_the_trimmed_lower_case_machine_id_mod_10000(string machineId, int bucket) =>
        Assert.Equal(bucket, RolloutBucket.Of(machineId).Value);

    [Fact]
    public void The_default_policy_admits_everyone_and_a_parsed_fraction_keeps_basis_points()
    {
        Assert.True(RolloutPolicy.Everyone.IsOpenFor(new RolloutBucket(RolloutBucket.Count - 1), Start));
        var policy = RolloutPolicyFile.Parse("version: 1\nwaves:\n  - percent: 0.25\n    not-before: 2026-12-01T08:00Z\n");
        Assert.Equal(25, policy.OpenBasisPoints(Start));
        Assert.True(policy.IsOpenFor(new RolloutBucket(24), Start));
        Assert.False(policy.IsOpenFor(new RolloutBucket(25), Start));
    }

    [Theory]
    [InlineData("waves:\n  - percent: 10\n    not-before: 2026-12-01T08:00:00Z\n  - percent: 5\n    not-before: 2026-12-02T08:00:00Z\n", 4, "waves only widen")]
    [InlineData("waves:\n  - percent: 10\n    not-before: 2026-12-02T08:00:00Z\n  - percent: 50\n    not-before: 2026-12-01T08:00:00Z\n", 4, "in time order")]
    [InlineData("waves:\n  - percent: 101\n    not-before: 2026-12-01T08:00:00Z\n", 2, "percent '101'")]
    [InlineData("waves:\n  - percent: 1.005\n    not-before: 2026-12-01T08:00:00Z\n", 2, "two decimals")]
    [InlineData("waves:\n  - percent: 10\n    not-before: 2026-12-01 08:00:00+02:00\n", 3, "UTC time")]
    [InlineData("waves:\n  - percent: 10\n", 2, "no 'not-before'")]
    [InlineData("waves:\n  - not-before: 2026-12-01T08:00:00Z\n", 2, "no 'percent'")]
    [InlineData("waves:\n  - percent: 10\n    not-before: 2026-12-01T08:00:00Z\n    colour: red\n", 4, "unknown key 'colour'")]
    [InlineData("wave:\n  - percent: 10\n", 1, "unknown key 'wave'")]
    [InlineData("waves: []\n", 1, "at least one wave")]
    [InlineData("version: 2\nwaves: []\n", 1, "only version 1")]
    [InlineData("waves: [\n", 2, "not valid YAML")]
    [InlineData("- 1\n", 1, "expected one mapping")]
    public void Bad_content_is_an_error_naming_the_file_and_line(string yaml, int line, string detail)
    {
        var e = Assert.Throws<BadInputException>(() => RolloutPolicyFile.Parse(yaml));
        Assert.Contains($".bootsafe/rollout.yaml line {line}", e.Message, StringComparison.Ordinal);
        Assert.Contains(detail, e.Message, StringComparison.Ordinal);
    }
}
