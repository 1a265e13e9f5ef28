using Webc.BootSafe.Bootloader.Adv;
using Webc.BootSafe.Bootloader.Applying;
using Webc.BootSafe.Medium.Errors;
using Webc.BootSafe.StateMachine.Slots;

namespace Webc.BootSafe.Updates.Staging;

/// <summary>
/// Everything a stage needs that the medium may lack, checked before its first byte
/// (docs/crash-safety.md, step 1): boot-once can be armed (ldlinux.sys there, a valid ADV copy), the
/// medium is mounted writable, extlinux.conf has no refused operator line, the kernel files are in
/// hand and can be installed, and the file system has room for them plus <see cref="Margin"/>.
/// Each failure throws with nothing written.
/// </summary>
public static class StagePreconditions
{
    /// <summary>
    /// Room kept beyond the kernel files: the rewritten extlinux.conf, state.yaml, state.yaml.prev and
    /// a history line (each a few KiB, written as temp file then renamed), rounded up generously.
    /// </summary>
    public const long Margin = 1024 * 1024;

    public static void Check(BootloaderApplier applier, Revision revision, KernelImages images)
    {
        var layout = applier.Layout;
        applier.BootOnce.RequireWritable();
        var space = applier.Storage.Space(layout.Root);
        if (space.ReadOnly)
        {
            throw new OperationFailedException(
                $"{layout.Root} is mounted read-only, so {Path.Combine(layout.ExtlinuxDirectory, ExtlinuxAdvFile.BootImageName)} and extlinux.conf cannot be written; nothing was written");
        }

        applier.Config.ReadDocument().RequireAcceptable(applier.Config.Path);
        var needed = applier.Kernels.RequireInstallable(revision, images.Kernel, images.Initrd);
        if (needed > 0 && space.AvailableBytes - Margin < needed)
        {
            throw new OperationFailedException(
                $"{layout.Root} has {space.AvailableBytes} bytes free; the kernel and initrd of {revision.Short} need {needed} plus a margin of {Margin}; nothing was written");
        }
    }
}
