using LibGit2Sharp;
using Webc.BootSafe.StateMachine.Ports;
using Webc.BootSafe.StateMachine.Slots;
using GitObjectId = Webc.BootSafe.Git.ObjectId;

namespace Webc.BootSafe.Fetch.Git;

/// <summary>
/// Refs that keep the machine's revisions reachable: gc never prunes them, and a fetch advertises
/// them as "have", so negotiation only transfers what is new. They are derived from the record, so
/// one that a power cut or an edit damaged is rewritten, never trusted and never fatal: libgit2
/// fails every call that reads a damaged loose ref, a fetch included.
/// </summary>
public static class KeptRefs
{
    public const string KnownGood = "refs/bootsafe/known-good";
    public const string Trial = "refs/bootsafe/trial";
    public const string Previous = "refs/bootsafe/previous";
    public const string Fetched = "refs/bootsafe/fetched";

    /// <summary>Points the refs at the record's revisions (those present), and removes the ones it lacks.</summary>
    public static void Sync(Repository repository, IMediumStorage storage, SlotRecord record)
    {
        Set(repository, storage, KnownGood, record.KnownGood);
        Set(repository, storage, Trial, record.Trial);
        Set(repository, storage, Previous, record.Previous);
    }

    public static void Set(Repository repository, IMediumStorage storage, string name, Revision? revision)
    {
        var path = Path.Combine(repository.Info.Path, name);
        var loose = LooseRef.Read(storage, path);
        if (revision is { } wanted && repository.Lookup<Commit>(wanted.Sha) is not null)
        {
            GitObjectId.TryParse(wanted.Sha, out var id);
            var current = loose switch
            {
                LooseRefContent.Points p => p.Id.ToString(),
                LooseRefContent.AbsentRef => Packed(repository, name),
                _ => null,
            };
            if (current != wanted.Sha)
            {
                LooseRef.Write(storage, path, id);
            }

            return;
        }

        // A ref naming anything but the record's revision is stale: gone with it (the revision is
        // not in this repository to point at).
        LooseRef.Delete(storage, path);
        if (Packed(repository, name) is not null)
        {
            // Only after an operator's `git pack-refs`: libgit2 rewrites packed-refs (lock and rename).
            repository.Refs.Remove(name);
        }
    }

    // With no loose file, libgit2 reads the ref from packed-refs; a damaged packed-refs counts as no
    // entry, so the loose file written instead takes precedence over it.
    private static string? Packed(Repository repository, string name)
    {
        try
        {
            return repository.Refs[name]?.TargetIdentifier;
        }
        catch (LibGit2SharpException)
        {
            return null;
        }
    }
}
