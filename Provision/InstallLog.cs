using System.Diagnostics;

namespace Webc.BootSafe.Provision;

/// <summary>
/// What the operator sees while installing: one line per step on stderr, progress for the long
/// ones (at most one line per 10 % or 2 s, so a log file stays readable), and the plan and summary
/// on stdout.
/// </summary>
public sealed class InstallLog(TextWriter output, TextWriter progress)
{
    public static InstallLog Console { get; } = new(System.Console.Out, System.Console.Error);

    public TextWriter Output => output;

    public void Step(string name, string detail) => progress.WriteLine($"webc-bootsafe install: {name}: {detail}");

    public IProgress<long> Meter(string name, long total)
    {
        var clock = Stopwatch.StartNew();
        var lastPercent = -10;
        var lastReport = TimeSpan.Zero;
        return new Reporter(done =>
        {
            var percent = total <= 0 ? 100 : (int)(done * 100 / total);
            if (percent >= lastPercent + 10 || clock.Elapsed - lastReport >= TimeSpan.FromSeconds(2) || done == total)
            {
                lastPercent = percent;
                lastReport = clock.Elapsed;
                progress.WriteLine($"webc-bootsafe install: {name}: {percent,3}% ({ByteSize.Format(done)} of {ByteSize.Format(total)})");
            }
        });
    }

    // Synchronous, unlike Progress<T>, so lines appear in order with the step lines.
    private sealed class Reporter(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }
}
