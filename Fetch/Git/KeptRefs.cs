using LibGit2Sharp;
using Webc.BootSafe.StateMachine.Slots;

namespace Webc.BootSafe.Fetch.Git;

/// <summary>
/// Refs that keep the machine's revisions reachable: gc never prunes them, and a fetch advertises
/// them as "have", so negotiation only transfers what is new.
/// </summary>
public static class KeptRefs
{
    public const string KnownGood = "refs/bootsafe/known-good";
    public const string Trial = "refs/bootsafe/trial";
    public const string Previous = "refs/bootsafe/previous";
    public const string Fetched = "refs/bootsafe/fetched";

    /// <summary>Points the refs at the record's revisions (those present), and removes the ones it lacks.</summary>
    public static void Sync(Repository repository, SlotRecord record)
    {
        Set(repository, KnownGood, record.KnownGood);
        Set(repository, Trial, record.Trial);
        Set(repository, Previous, record.Previous);
    }

    public static void Set(Repository repository, string name, Revision? revision)
    {
        var existing = repository.Refs[name];
        if (revision is null || repository.Lookup<Commit>(revision.Value.Sha) is null)
        {
            // A ref naming anything but the record's revision is stale: gone with it (the revision is
            // not in this repository to point at).
            if (existing is not null)
            {
                repository.Refs.Remove(existing);
            }

            return;
        }

        if (existing?.TargetIdentifier != revision.Value.Sha)
        {
            repository.Refs.Add(name, new ObjectId(revision.Value.Sha), "webc-bootsafe", allowOverwrite: true);
        }
    }
}
