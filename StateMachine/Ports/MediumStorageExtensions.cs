namespace Webc.BootSafe.StateMachine.Ports;

/// <summary>Compound writes built from the port's primitives, so their ordering is in one place.</summary>
public static class MediumStorageExtensions
{
    /// <summary>
    /// Replaces <paramref name="path"/> so that after a power cut it holds either the old or the new
    /// content, never a mix: write a temp file, fsync it, rename over, fsync the directory.
    /// </summary>
    public static void ReplaceAtomically(this IMediumStorage storage, string path, ReadOnlySpan<byte> content)
    {
        var directory = Path.GetDirectoryName(path) ?? throw new ArgumentException($"{path} has no directory", nameof(path));
        var temp = Path.Combine(directory, "." + Path.GetFileName(path) + ".tmp");
        storage.WriteNew(temp, content);
        storage.Sync(temp);
        storage.Rename(temp, path);
        storage.SyncDirectory(directory);
    }

    /// <summary>
    /// As above, streaming the content <paramref name="open"/> returns. When reading it throws (a
    /// check at its end failed) the temp file is removed and <paramref name="path"/> is untouched.
    /// </summary>
    public static void ReplaceAtomically(this IMediumStorage storage, string path, Func<Stream> open)
    {
        var directory = Path.GetDirectoryName(path) ?? throw new ArgumentException($"{path} has no directory", nameof(path));
        var temp = Path.Combine(directory, "." + Path.GetFileName(path) + ".tmp");
        try
        {
            using var content = open();
            storage.WriteNew(temp, content);
        }
        catch
        {
            // Best effort: a temp file left behind is pruned by the next update anyway.
            try
            {
                storage.Delete(temp);
            }
            catch (IOException)
            {
            }

            throw;
        }

        storage.Sync(temp);
        storage.Rename(temp, path);
        storage.SyncDirectory(directory);
    }
}
