using LibGit2Sharp;
using Webc.BootSafe.Fetch.Git;
using Webc.BootSafe.StateMachine.Ports;
using Webc.BootSafe.StateMachine.Slots;

namespace Webc.BootSafe.Updates.Session;

/// <summary>
/// The record's refs in the medium's <c>live/filesystem.git</c> (<see cref="KeptRefs"/>). Each ref
/// is replaced durably (<see cref="LooseRef"/>), and the refs are written after the record is
/// committed: a crash in between leaves them one transition behind until the next transition or
/// fetch re-derives all of them from the record.
/// </summary>
public sealed class RepositoryRefs(string repositoryPath, IMediumStorage storage) : IRevisionRefs
{
    public void Follow(SlotRecord record)
    {
        if (!Directory.Exists(repositoryPath) || !Repository.IsValid(repositoryPath))
        {
            // A medium without a repository (kernel files staged by hand) has no refs to keep.
            return;
        }

        using var repository = new Repository(repositoryPath);
        KeptRefs.Sync(repository, storage, record);
    }
}
