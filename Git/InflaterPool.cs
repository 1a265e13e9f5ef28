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
    private readonly ConcurrentBag<ZlibInflater> _idle = [];

    public ZlibInflater Take()
    {
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
