using System.Collections.Concurrent;

namespace Webc.BootSafe.Git;

/// <summary>
/// zlib inflaters kept for reuse by a pack's readers. A tree in a repository with history is a
/// delta dozens deep, and setting up a fresh inflater (and its 32 KiB window) for every link cost
/// more than inflating the link's hundred bytes. Threads may share a pack, so an inflater is taken
/// for one object and given back.
/// </summary>
internal sealed class InflaterPool : IDisposable
{
    private static readonly Lazy<bool> SystemZlibLoads = new(() =>
    {
        try
        {
            new ZlibInflater().Dispose();
            return true;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    });

    private readonly ConcurrentBag<ZlibInflater> _idle = [];

    /// <summary>
    /// Whether the system's libz.so.1 can be used. An initramfs whose hook did not copy it (git-fs
    /// mounts the root from there) has only .NET's own zlib, which the caller then uses instead.
    /// Specs turn it off to read every pack both ways.
    /// </summary>
    public static bool UseSystemZlib { get; set; } = true;

    /// <summary>A reset inflater, or null when the system's zlib cannot be used (see <see cref="UseSystemZlib"/>).</summary>
    public ZlibInflater? Take()
    {
        if (!UseSystemZlib || !SystemZlibLoads.Value)
        {
            return null;
        }

        if (_idle.TryTake(out var inflater))
        {
            inflater.Reset();
            return inflater;
        }

        return new ZlibInflater();
    }

    public void Give(ZlibInflater inflater) => _idle.Add(inflater);

    public void Dispose()
    {
        while (_idle.TryTake(out var inflater))
        {
            inflater.Dispose();
        }
    }
}
