using System.Globalization;
using System.Text;
using Webc.BootSafe.Fetch.Rollout;
using Webc.BootSafe.Fetch.Verification;
using Webc.BootSafe.Git;
using Webc.BootSafe.Medium.Errors;
using Webc.BootSafe.StateMachine.Ports;
using Webc.BootSafe.StateMachine.Slots;

namespace Webc.BootSafe.Updates.Fleet;

/// <summary>
/// Rollout waves (docs/fleet.md): a verified release carries its policy in
/// <see cref="RolloutPolicyFile.PathInTree"/>, inside the signed commit, so only the publisher sets it
/// and a newer release's policy can halt or widen the rollout. The kiosk's place is
/// <see cref="RolloutBucket.Of"/> its machine id; it takes the release only once its wave is open.
/// </summary>
public sealed class RolloutGate(MediumLayout layout)
{
    public const string DefaultMachineIdFile = "/etc/machine-id";

    /// <summary>Where the machine id is read (an option of `fetch`, so a spec can give its own).</summary>
    public string MachineIdFile { get; init; } = DefaultMachineIdFile;

    /// <summary>The rollout clock (injectable for specs).</summary>
    public Func<DateTimeOffset> Clock { get; init; } = () => DateTimeOffset.UtcNow;

    /// <summary>
    /// Null when <paramref name="candidate"/> may be taken now (no policy in its tree, or this kiosk's
    /// wave is open); otherwise the "not yet" line saying which wave and when it opens. A policy that
    /// does not parse refuses the release: the publisher's mistake must not open it to everyone.
    /// </summary>
    public string? NotYet(Revision candidate)
    {
        RolloutPolicy policy;
        using (var reader = CommitReader.Open(layout.Repository))
        {
            var commit = reader.Lookup(Id(candidate));
            if (reader.Find(commit, RolloutPolicyFile.PathInTree) is not { } entry)
            {
                return null;
            }

            var where = $"{candidate.Short}:{RolloutPolicyFile.PathInTree}";
            try
            {
                policy = entry.IsDirectory ? throw new BadInputException($"{where} is a directory")
                    : RolloutPolicyFile.Parse(Encoding.UTF8.GetString(reader.ReadBlob(entry.Id)), where);
            }
            catch (BadInputException e)
            {
                throw new VerificationFailedException($"release {candidate.Short} refused: its rollout policy is invalid: {e.Message}", e);
            }
        }

        var (bucket, whose) = Bucket();
        var now = Clock();
        if (policy.IsOpenFor(bucket, now))
        {
            return null;
        }

        for (var i = 0; i < policy.Waves.Count; i++)
        {
            var wave = policy.Waves[i];
            if (bucket.Value < wave.BasisPoints && wave.NotBefore > now)
            {
                return $"not yet: {candidate.Short} is rolling out in waves and this kiosk ({whose}, {bucket}) is in wave {i + 1} ({wave}), which opens at {Time(wave.NotBefore)}; nothing staged";
            }
        }

        return $"not yet: {candidate.Short} is halted for this kiosk ({whose}, {bucket}): no wave of its rollout policy ({policy}) covers it; nothing staged";
    }

    // A kiosk without a readable machine id takes the last bucket: it waits for the 100% wave, never
    // jumps ahead of the fleet.
    private (RolloutBucket Bucket, string Whose) Bucket()
    {
        try
        {
            var id = File.ReadAllText(MachineIdFile).Trim();
            if (id.Length > 0)
            {
                return (RolloutBucket.Of(id), $"machine id from {MachineIdFile}");
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }

        return (new RolloutBucket(RolloutBucket.Count - 1), $"no machine id in {MachineIdFile}: last bucket");
    }

    private static ObjectId Id(Revision revision) =>
        ObjectId.TryParse(revision.Sha, out var id) ? id : throw new InvalidOperationException($"{revision} is not an object id");

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
