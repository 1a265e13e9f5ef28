namespace Webc.BootSafe.StateMachine.Ports;

/// <summary>
/// The one port through which every write to the boot medium goes (state, history, kernel files,
/// extlinux.conf, the ADV). Operations are the POSIX primitives and nothing more, so a recording
/// implementation can reproduce the disk as it would be after a power cut between any two of them:
/// a write is durable only after <see cref="Sync"/>; a rename or create only after
/// <see cref="SyncDirectory"/> of its directory. Paths are absolute.
/// </summary>
public interface IMediumStorage
{
    bool FileExists(string path);

    bool DirectoryExists(string path);

    byte[] ReadAllBytes(string path);

    long Length(string path);

    /// <summary>Names (not paths) of the regular files directly in <paramref name="directory"/>.</summary>
    IReadOnlyList<string> ListFiles(string directory);

    /// <summary>Creates the directory and any missing parents, each made durable in its parent.</summary>
    void CreateDirectory(string path);

    /// <summary>Creates or truncates <paramref name="path"/> and writes <paramref name="content"/> (not yet durable).</summary>
    void WriteNew(string path, ReadOnlySpan<byte> content);

    /// <summary>Appends to <paramref name="path"/>, creating it if needed (not yet durable).</summary>
    void Append(string path, ReadOnlySpan<byte> content);

    /// <summary>
    /// Overwrites bytes at <paramref name="offset"/> without changing the file's size or inode (the
    /// ADV: the boot code addresses its sectors directly). Until <see cref="Sync"/>, a power cut may
    /// leave any prefix of whole 512-byte sectors written.
    /// </summary>
    void WriteInPlace(string path, long offset, ReadOnlySpan<byte> content);

    /// <summary>fsync(2) of the file's data and metadata.</summary>
    void Sync(string path);

    /// <summary>rename(2): atomic replacement of <paramref name="to"/>; durable after <see cref="SyncDirectory"/>.</summary>
    void Rename(string from, string to);

    /// <summary>fsync(2) of a directory, making creates, renames and deletes in it durable.</summary>
    void SyncDirectory(string directory);

    /// <summary>unlink(2); no error when the file is already gone (re-running an interrupted command).</summary>
    void Delete(string path);

    /// <summary>
    /// statvfs(2) of the file system holding <paramref name="path"/>: a use case checks it before its
    /// first write, so a full or read-only medium refuses with nothing written. Storages that cannot
    /// tell report <see cref="MediumSpace.Unknown"/>.
    /// </summary>
    MediumSpace Space(string path) => MediumSpace.Unknown;

    /// <summary>Opens <paramref name="path"/> for reading; a real storage streams it (a kernel file may be hundreds of MB).</summary>
    Stream OpenRead(string path) => new MemoryStream(ReadAllBytes(path), writable: false);

    /// <summary>
    /// As <see cref="WriteNew(string, ReadOnlySpan{byte})"/>, with <paramref name="content"/> read to its
    /// end. A real storage streams it (a large file never sits in memory whole); an in-memory one,
    /// which holds the file anyway, buffers it and records one write.
    /// </summary>
    void WriteNew(string path, Stream content)
    {
        using var buffer = new MemoryStream();
        content.CopyTo(buffer);
        WriteNew(path, buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    }
}
