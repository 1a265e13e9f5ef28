using System.Text;
using Webc.BootSafe.Git;
using Webc.BootSafe.StateMachine.Ports;

namespace Webc.BootSafe.Fetch.Git;

/// <summary>
/// One loose ref file (<c>refs/…</c> under a git directory), read and written through the medium
/// port. libgit2 writes a ref to a lock file and renames it without fsync, so a power cut soon
/// after can leave the ref empty (on ext4, a new file renamed into place has no data yet): every
/// later libgit2 call that reads it fails ("corrupted loose reference file"). Here a write survives
/// a power cut whole, and a damaged file is reported as such, for its owner to rewrite.
/// </summary>
public static class LooseRef
{
    // Longer than any ref git writes ("ref: " and a long name), so a file this size is not one.
    private const int MaxLength = 4096;

    public static LooseRefContent Read(IMediumStorage storage, string path)
    {
        if (!storage.FileExists(path))
        {
            return LooseRefContent.Absent;
        }

        if (storage.Length(path) > MaxLength)
        {
            return new LooseRefContent.Damaged($"{storage.Length(path)} bytes");
        }

        var bytes = storage.ReadAllBytes(path);

        // Exactly what git and libgit2 write for a direct ref; anything else (empty, torn, a flipped
        // byte, a symbolic ref) is not what its owner wrote.
        if (bytes.Length == ObjectId.HexSize + 1 && bytes[^1] == (byte)'\n'
            && IsLowerHex(bytes.AsSpan(0, ObjectId.HexSize))
            && ObjectId.TryParse(Encoding.ASCII.GetString(bytes, 0, ObjectId.HexSize), out var id))
        {
            return new LooseRefContent.Points(id);
        }

        return new LooseRefContent.Damaged(bytes.Length == 0 ? "empty" : $"{bytes.Length} bytes, not a 40-hex object name and a newline");
    }

    /// <summary>
    /// Points the ref at <paramref name="id"/>: written to <c>NAME.lock</c> (the name git itself
    /// locks a ref with, which neither git nor libgit2 lists as a ref), fsynced, renamed over
    /// <paramref name="path"/>, and the directory fsynced. A power cut leaves the old file or the new.
    /// </summary>
    public static void Write(IMediumStorage storage, string path, ObjectId id)
    {
        var directory = Path.GetDirectoryName(path) ?? throw new ArgumentException($"{path} has no directory", nameof(path));
        storage.CreateDirectory(directory);
        var temp = path + ".lock";
        storage.WriteNew(temp, Encoding.ASCII.GetBytes(id + "\n"));
        storage.Sync(temp);
        storage.Rename(temp, path);
        storage.SyncDirectory(directory);
    }

    /// <summary>
    /// Removes the loose file durably, and the lock file a write that a crash interrupted left (it
    /// would make libgit2 refuse to touch the ref, a packed entry of the same name included; that
    /// entry is the caller's).
    /// </summary>
    public static void Delete(IMediumStorage storage, string path)
    {
        var removed = false;
        foreach (var file in new[] { path + ".lock", path })
        {
            if (storage.FileExists(file))
            {
                storage.Delete(file);
                removed = true;
            }
        }

        if (removed)
        {
            storage.SyncDirectory(Path.GetDirectoryName(path)!);
        }
    }

    private static bool IsLowerHex(ReadOnlySpan<byte> s)
    {
        foreach (var b in s)
        {
            if (b is not ((>= (byte)'0' and <= (byte)'9') or (>= (byte)'a' and <= (byte)'f')))
            {
                return false;
            }
        }

        return true;
    }
}
