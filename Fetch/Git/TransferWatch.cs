using System.Diagnostics;

namespace Webc.BootSafe.Fetch.Git;

/// <summary>
/// Judges a transfer from its progress reports: past the deadline, or slower than the low-speed
/// limit measured from the newest report at least one stall window old. Returns why to give up,
/// or null to go on. (A server that sends nothing at all produces no reports: libgit2's server
/// timeout ends that attempt.)
/// </summary>
internal sealed class TransferWatch(TransferLimits limits, Stopwatch sinceStart)
{
    private readonly Queue<(TimeSpan At, long Bytes)> _samples = new();
    private (TimeSpan At, long Bytes)? _anchor;

    public string? Verdict(long receivedBytes)
    {
        var now = sinceStart.Elapsed;
        if (now > limits.Deadline)
        {
            return $"the fetch passed its deadline (fetch-deadline {limits.Deadline.TotalSeconds:0} s)";
        }

        _samples.Enqueue((now, receivedBytes));
        while (_samples.Count > 0 && now - _samples.Peek().At >= limits.StallTimeout)
        {
            _anchor = _samples.Dequeue();
        }

        if (_anchor is { } anchor && now > anchor.At)
        {
            var window = (now - anchor.At).TotalSeconds;
            var speed = (receivedBytes - anchor.Bytes) / window;
            if (speed < limits.LowSpeedBytesPerSecond)
            {
                return $"the server sent {speed:0} bytes/s over the last {window:0} s, below fetch-low-speed {limits.LowSpeedBytesPerSecond}";
            }
        }

        return null;
    }
}
