using Webc.BootSafe.StateMachine.Slots;

namespace Webc.BootSafe.Cli.BootPath;

/// <summary>
/// What the kernel command line says about this boot: <c>git-revision=</c> (the commit this kernel
/// belongs to) and <c>bootsafe.slot=</c> (the extlinux label that booted). When a word repeats, the
/// last one wins, as in the kernel: extlinux appends a boot-once string's extra words at the end.
/// </summary>
public sealed record BootCommandLine(string? RevisionText, string? Slot)
{
    public const string RevisionKey = "git-revision";
    public const string SlotKey = "bootsafe.slot";

    /// <summary>The revision, when <c>git-revision=</c> is a full commit id.</summary>
    public Revision? Revision => StateMachine.Slots.Revision.TryParse(RevisionText, out var r) ? r : null;

    public static BootCommandLine Parse(string text)
    {
        string? revision = null;
        string? slot = null;
        foreach (var word in text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            revision = Value(word, RevisionKey) ?? revision;
            slot = Value(word, SlotKey) ?? slot;
        }

        return new BootCommandLine(revision, slot);
    }

    private static string? Value(string word, string key) =>
        word.Length > key.Length && word.StartsWith(key, StringComparison.Ordinal) && word[key.Length] == '='
            ? word[(key.Length + 1)..]
            : null;
}
