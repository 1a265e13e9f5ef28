namespace Webc.BootSafe.Fetch.Git;

/// <summary>Progress as plain lines for logs and non-terminals: at most one line a second, plus the last.</summary>
public sealed class LogLineProgress(TextWriter output, TimeProvider? clock = null) : IProgress<TransferSnapshot>
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private DateTimeOffset _lastLine = DateTimeOffset.MinValue;
    private TransferSnapshot? _last;

    public void Report(TransferSnapshot value)
    {
        _last = value;
        var now = _clock.GetUtcNow();
        if (now - _lastLine >= TimeSpan.FromSeconds(1) || (value.TotalObjects > 0 && value.IndexedObjects == value.TotalObjects))
        {
            _lastLine = now;
            output.WriteLine(Format(value));
        }
    }

    public static string Format(TransferSnapshot s) =>
        $"fetch: objects {s.ReceivedObjects}/{s.TotalObjects}, indexed {s.IndexedObjects}, {s.ReceivedBytes} bytes";

    public TransferSnapshot? Last => _last;
}
