namespace Webc.BootSafe.StateMachine.Slots;

/// <summary>
/// The one owner of the boot arguments BootSafe puts on each extlinux label's kernel command line
/// and reads back at boot: <c>git-revision=</c> (the commit this kernel belongs to) and
/// <c>bootsafe.slot=</c> (the label that booted). The Bootloader formats them, the selector, confirm,
/// the boot parameters and the ldlinux model parse them, and dist/initramfs-tools/scripts/webc-bootsafe
/// names this file where it reads them. When a word repeats, the last one wins, as in the kernel:
/// extlinux appends a boot-once string's extra words at the end.
/// </summary>
public sealed record BootArguments(string? RevisionText, string? Slot)
{
    public const string RevisionKey = "git-revision";
    public const string SlotKey = "bootsafe.slot";

    /// <summary>The revision, when <c>git-revision=</c> is a full commit id.</summary>
    public Revision? Revision => Slots.Revision.TryParse(RevisionText, out var r) ? r : null;

    /// <summary>The words a label's APPEND carries after the base command line.</summary>
    public static string Format(Revision revision, SlotLabel label) =>
        $"{RevisionKey}={revision.Sha} {SlotKey}={label.Name()}";

    public static BootArguments Parse(string? commandLine) =>
        new(Parameter(commandLine, RevisionKey), Parameter(commandLine, SlotKey));

    /// <summary>True for a word BootSafe owns (so an operator's base command line may not set it).</summary>
    public static bool IsOwned(string word) =>
        IsKey(word, RevisionKey) || IsKey(word, SlotKey);

    /// <summary>The last <c>key=value</c> word's value on a kernel command line, or null.</summary>
    public static string? Parameter(string? commandLine, string key)
    {
        string? found = null;
        foreach (var word in (commandLine ?? string.Empty).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            if (IsKey(word, key))
            {
                found = word[(key.Length + 1)..];
            }
        }

        return found;
    }

    private static bool IsKey(string word, string key) =>
        word.Length > key.Length && word.StartsWith(key, StringComparison.Ordinal) && word[key.Length] == '=';
}
