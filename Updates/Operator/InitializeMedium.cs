using Webc.BootSafe.Medium.Errors;
using Webc.BootSafe.Medium.Storage;
using Webc.BootSafe.StateMachine.Ports;
using Webc.BootSafe.StateMachine.Slots;
using Webc.BootSafe.Updates.Session;

namespace Webc.BootSafe.Updates.Operator;

/// <summary>
/// Use case "init": give a medium its first slot record (Stable, known-good = the revision it boots
/// now), under the medium lock. `init` and `install` both come through here.
/// </summary>
public static class InitializeMedium
{
    public static SlotRecord Run(MediumLayout layout, IMediumStorage storage, Revision knownGood, int maxTrialBoots, bool replace, DateTimeOffset now)
    {
        if (maxTrialBoots < 1)
        {
            throw new BadInputException($"--max-trial-boots {maxTrialBoots} must be at least 1");
        }

        storage.CreateDirectory(layout.BootSafe);
        using var held = MediumLock.Acquire(layout.LockFile, MediumSession.DefaultLockTimeout);
        var store = new YamlSlotStore(storage, layout);
        if (store.Exists && !replace)
        {
            throw new OperationFailedException($"{layout.StateFile} already exists: this medium is initialized (use --force to start a new record)");
        }

        var record = SlotRecord.Initial(knownGood, maxTrialBoots);
        store.Initialize(record, now);

        // The refs follow the new record as they follow every transition (a stale trial or previous
        // from an earlier record goes).
        new RepositoryRefs(layout.Repository, storage).Follow(record);
        return record;
    }
}
