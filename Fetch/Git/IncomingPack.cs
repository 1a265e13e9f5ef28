namespace Webc.BootSafe.Fetch.Git;

/// <summary>
/// Follows the pack libgit2 is writing into the quarantine (objects/pack/pack_git2_*) and feeds
/// each new byte to <see cref="PackEntryLimit"/>. libgit2 reports progress after appending each
/// received chunk and only resolves deltas once the whole pack is in, so judging the file on every
/// report judges every entry before any delta is rebuilt. The handle stays open when libgit2
/// renames or deletes the file.
/// </summary>
internal sealed class IncomingPack(string quarantine, long maxObjectBytes) : IDisposable
{
    private readonly PackEntryLimit _limit = new(maxObjectBytes);
    private readonly byte[] _buffer = new byte[64 * 1024];
    private readonly string _packDir = Path.Combine(quarantine, "objects", "pack");
    private FileStream? _file;

    /// <summary>Reads what arrived since the last call; returns why the pack is refused, or null.</summary>
    public string? Poll()
    {
        if (_limit.Refusal is { } refused)
        {
            return refused;
        }

        _file ??= Open();
        if (_file is null)
        {
            return null;
        }

        _file.Position = _limit.Position;
        int n;
        while (_limit.Refusal is null && (n = _file.Read(_buffer)) > 0)
        {
            _limit.Push(_buffer.AsSpan(0, n));
        }

        return _limit.Refusal;
    }

    private FileStream? Open()
    {
        if (!Directory.Exists(_packDir))
        {
            return null;
        }

        var writing = Directory.EnumerateFiles(_packDir, "pack_git2_*").FirstOrDefault();
        return writing is null
            ? null
            : new FileStream(writing, new FileStreamOptions { Mode = FileMode.Open, Access = FileAccess.Read, Share = FileShare.ReadWrite | FileShare.Delete, BufferSize = 0 });
    }

    public void Dispose()
    {
        _file?.Dispose();
        _limit.Dispose();
    }
}
