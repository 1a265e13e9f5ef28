namespace Webc.BootSafe.Bootloader.Applying;

/// <summary>
/// The ADV's BOOTONCE entry: a command line whose first word is the label the next boot runs once.
/// Kept behind this seam so the applier's ordering can be checked without an ldlinux.sys.
/// </summary>
public interface IBootOnce
{
    string? Read();

    /// <summary>Sets (or, with null, clears) BOOTONCE, durably, before returning.</summary>
    void Write(string? commandLine);

    /// <summary>
    /// Throws, writing nothing, when <see cref="Write"/> could not succeed (no boot image, no valid
    /// ADV copy): a use case checks this before its first write.
    /// </summary>
    void RequireWritable() => Read();
}
