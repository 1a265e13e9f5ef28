namespace Webc.BootSafe.Git;

/// <summary>
/// Which kernel and initrd a commit boots, the same for fetch, stage and install: exactly one
/// <c>boot/vmlinuz-*</c> and exactly one <c>boot/initrd.img-*</c> (ending in <c>-FLAVOUR</c> when
/// kernel-flavour is set), each a regular file. Webconverger copied whatever the glob matched, a
/// directory listing included, when none did; taking "the last one" would let two readers of one
/// commit disagree about what boots.
/// </summary>
public static class KernelPairRule
{
    public const string KernelPrefix = "vmlinuz-";
    public const string InitrdPrefix = "initrd.img-";

    /// <param name="root">The commit's root tree entries.</param>
    /// <param name="boot">Reads the boot/ tree's entries.</param>
    public static KernelPair Find(ObjectId commit, IReadOnlyList<TreeEntry> root, Func<ObjectId, IReadOnlyList<TreeEntry>> boot, string? flavour)
    {
        var dir = root.Where(e => e.Name == "boot").ToList();
        if (dir is not [{ IsDirectory: true } only])
        {
            throw new TreeRuleException($"commit {commit}: the tree has no boot/ directory, so no kernel");
        }

        var entries = boot(only.Id);
        var kernel = One(entries, KernelPrefix, flavour, "kernel", commit);
        var initrd = One(entries, InitrdPrefix, flavour, "initrd", commit);
        return new KernelPair("boot/" + kernel.Name, kernel.Id, "boot/" + initrd.Name, initrd.Id);
    }

    private static TreeEntry One(IReadOnlyList<TreeEntry> entries, string prefix, string? flavour, string what, ObjectId commit)
    {
        var suffix = flavour is null ? "" : "-" + flavour;
        var matches = entries
            .Where(e => e.Name.StartsWith(prefix, StringComparison.Ordinal) && e.Name.Length > prefix.Length
                        && e.Name.EndsWith(suffix, StringComparison.Ordinal))
            .ToList();
        var pattern = $"boot/{prefix}*{suffix}";
        return matches switch
        {
            [] => throw new TreeRuleException($"commit {commit}: no {what} matching {pattern} in the tree"),
            [var one] when one.Mode is 0x81A4 or 0x81ED => one,
            [var one] => throw new TreeRuleException($"commit {commit}: {what} boot/{one.Name} is not a regular file (mode {Convert.ToString(one.Mode, 8)})"),
            _ => throw new TreeRuleException(
                $"commit {commit}: {matches.Count} files match {pattern} ({string.Join(", ", matches.Select(m => m.Name))}); expected exactly one {what}"),
        };
    }
}
