using Webc.BootSafe.Bootloader;
using Webc.BootSafe.Medium.Errors;
using Webc.BootSafe.Medium.Storage;
using Webc.BootSafe.Updates.Session;

namespace Webc.BootSafe.Updates.Boot;

/// <summary>
/// `bootloader once`: the operator's boot-once by hand, outside the slot machine (`stage` arms it for
/// a trial), under the medium lock so it never interleaves with a transition's ADV write.
/// </summary>
public static class ManualBootOnce
{
    /// <param name="line">A label and words appended to its APPEND; null clears the entry (the next boot runs DEFAULT).</param>
    public static void Write(MediumBootloader bootloader, string? line)
    {
        var layout = bootloader.Layout;
        if (line is not null && bootloader.Config.Read() is var config && config.Find(line.Split(' ')[0]) is null)
        {
            throw new BadInputException($"label '{line.Split(' ')[0]}' is not in {layout.ExtlinuxConfig} (labels: {string.Join(", ", config.Labels.Select(l => l.Name))})");
        }

        bootloader.Storage.CreateDirectory(layout.BootSafe);
        using var held = MediumLock.Acquire(layout.LockFile, MediumSession.DefaultLockTimeout);
        bootloader.BootOnce.Write(line);
    }
}
