using Webc.BootSafe.Bootloader.Extlinux;
using Webc.BootSafe.Updates.Session;
using Webc.BootSafe.Updates.Staging;

namespace Webc.BootSafe.Updates.Boot;

/// <summary>
/// `bootloader sync`: make extlinux.conf name what the slot record says (a new medium, or after a
/// hand edit), first installing known-good's kernel files when they are given or missing.
/// </summary>
public static class SyncBootloader
{
    /// <param name="Repairs">What changed beyond rewriting the managed block as it was, one line each.</param>
    /// <param name="Changed">Whether extlinux.conf was rewritten.</param>
    public sealed record Result(BootEntries Entries, IReadOnlyList<string> Repairs, bool Changed);

    /// <param name="kernel">Known-good's kernel (with <paramref name="initrd"/>), or null for the repository's.</param>
    /// <param name="repo">The repository to take known-good's kernel files from (null: the medium's).</param>
    public static Result Run(MediumSession session, string? kernel, string? initrd, string? repo)
    {
        var bootloader = session.Bootloader!;
        var layout = bootloader.Layout;
        var before = bootloader.Config.ReadText();
        var document = ExtlinuxConfigDocument.Parse(before);
        document.RequireAcceptable(layout.ExtlinuxConfig);
        var good = session.Record.KnownGood;
        if (kernel is not null || initrd is not null || repo is not null || !bootloader.Kernels.Exist(good))
        {
            var files = RevisionFiles.Read(layout, good.Sha, kernel, initrd, repo);
            bootloader.Kernels.Install(good, files.Images.Kernel, files.Images.Initrd);
        }

        var entries = bootloader.Applier.Reconcile(session.Record);
        var after = bootloader.Config.ReadText();
        return new Result(entries, SyncRepairs.Describe(document, entries, after), before != after);
    }
}
