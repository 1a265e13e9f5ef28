using Webc.BootSafe.Git;

namespace Webc.BootSafe.Fetch.Verification;

/// <summary>
/// Fetch's integrity check, whose cost follows the update and not the repository: walks the
/// candidate (commits, trees, blobs) down to the objects the medium's repository already keeps, and
/// re-hashes every object on the way that it does not keep, which is what arrived in the quarantine.
/// A corrupt or wrongly typed object that arrived is refused, and so is one that is missing
/// (the connectivity check: the candidate must be whole on top of what is kept). Objects already
/// kept were verified when they arrived (by this check, or by install's full check) and are not
/// read again; re-hashing everything on the medium is `scrub`'s job (<see cref="ObjectScrub"/>).
/// </summary>
/// <param name="quarantine">The quarantine repository (its alternates reach <paramref name="kept"/>).</param>
/// <param name="kept">The medium's repository.</param>
public sealed class ArrivedObjects(string quarantine, string kept)
{
    /// <summary>What the candidate brings onto the medium (every object hashed); null until <see cref="Check"/> passed.</summary>
    public IReadOnlySet<ObjectId>? Needed { get; private set; }

    /// <summary>Returns how many objects were re-hashed; throws <see cref="VerificationFailedException"/>.</summary>
    /// <param name="quarantineObjects">
    /// The quarantine's objects as the tree rules just read them, so the bases their delta chains
    /// left cached serve this walk too; null opens the quarantine's.
    /// </param>
    public long Check(ObjectId candidate, ObjectDatabase? quarantineObjects = null)
    {
        // No pack rescan on a miss here: a miss in the kept store is the normal case (a new object).
        using var own = quarantineObjects is null ? ObjectDatabase.Open(GitDirectory.Open(quarantine), rescanOnMiss: false) : null;
        var all = quarantineObjects ?? own!;
        using var keptObjects = ObjectDatabase.Open(GitDirectory.Open(kept), baseCacheBytes: 0, rescanOnMiss: false);
        var needed = new HashSet<ObjectId>();
        var pending = new Stack<(ObjectId Id, ObjectType Type, string Where)>();
        pending.Push((candidate, ObjectType.Commit, "candidate"));
        while (pending.TryPop(out var item))
        {
            var (id, type, where) = item;
            if (needed.Contains(id) || keptObjects.Contains(id))
            {
                continue; // kept: verified when it arrived, and its history and tree with it
            }

            needed.Add(id);
            byte[]? data;
            try
            {
                data = ObjectScrub.Rehash(all, id, type);
            }
            catch (Exception e) when (e is CorruptRepositoryException or InvalidDataException or IOException or ArgumentException or FormatException)
            {
                throw new VerificationFailedException(
                    $"commit {candidate}: {type.ToString().ToLowerInvariant()} {id} ({where}) that arrived is missing or corrupt: {e.Message.ReplaceLineEndings(" ")}", e);
            }

            if (data is not null)
            {
                foreach (var next in ObjectScrub.Links(id, type, data, where))
                {
                    pending.Push(next);
                }
            }
        }

        Needed = needed;
        return needed.Count;
    }
}
