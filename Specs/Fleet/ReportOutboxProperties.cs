using FsCheck;
using FsCheck.Fluent;
using Webc.BootSafe.Medium.Storage;
using Webc.BootSafe.Specs.Support;
using Webc.BootSafe.StateMachine.Machine;
using Webc.BootSafe.StateMachine.Ports;
using Webc.BootSafe.StateMachine.Slots;
using Webc.BootSafe.Updates.Fleet;

namespace Webc.BootSafe.Specs.Fleet;

/// <summary>
/// The outbox on a real file system: a first-in first-out queue of whole reports whatever the mix of
/// enqueues and acknowledged posts, never above its bounds, dropping the oldest and counting them;
/// and the session's observer queues nothing (and creates nothing) when report-url is not set.
/// </summary>
public sealed class ReportOutboxProperties
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);

    /// <summary>true: enqueue a report (of 1-400 bytes); false: the receiver acknowledged the oldest.</summary>
    private static Arbitrary<(bool Enqueue, int Size)[]> Operations { get; } =
        Gen.Elements(true, true, true, false).Zip(Gen.Choose(1, 400)).ArrayOf().Where(a => a.Length <= 60).ToArbitrary();

    [Fact]
    public void The_outbox_is_a_bounded_fifo_that_drops_the_oldest_and_counts_them() =>
        Prop.ForAll(Operations, operations =>
        {
            using var dir = new TempDirectory("bootsafe-outbox");
            var layout = new MediumLayout(dir.Path);
            Directory.CreateDirectory(layout.BootSafe);
            var outbox = new ReportOutbox(layout, new PosixMediumStorage()) { ReportLimit = 5, ByteLimit = 1200 };
            var model = new List<(Guid Key, int Size)>();
            var dropped = 0;
            var at = Start;
            foreach (var (enqueue, size) in operations)
            {
                if (enqueue)
                {
                    var key = Guid.NewGuid();
                    outbox.Enqueue(key, new byte[size], at); // the same millisecond often: the sequence still orders them
                    model.Add((key, size));
                    while (model.Count > 5 || (model.Sum(m => m.Size) > 1200 && model.Count > 1))
                    {
                        model.RemoveAt(0);
                        dropped++;
                    }
                }
                else if (outbox.Pending() is [var oldest, ..])
                {
                    outbox.Remove(oldest);
                    model.RemoveAt(0);
                }
            }

            var pending = outbox.Pending();
            return pending.Select(p => p.Key).SequenceEqual(model.Select(m => m.Key))
                && outbox.Dropped == dropped
                && pending.All(p => new FileInfo(p.Path).Length == model.Single(m => m.Key == p.Key).Size);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(Tier.Cases(full: 60, fast: 20)));

    [Fact]
    public void Reports_are_queued_only_when_report_url_is_set_and_a_plain_boot_queues_none()
    {
        using var dir = new TempDirectory("bootsafe-observer");
        var layout = new MediumLayout(dir.Path);
        Directory.CreateDirectory(layout.BootSafe);
        var reports = new TransitionReports(layout, new PosixMediumStorage(), TransitionReports.ParsedSetsReportUrl);
        var good = Revision.Parse(new string('a', 40));
        var staged = SlotMachine.Fire(SlotRecord.Initial(good), new Stage(Revision.Parse(new string('b', 40))), Start);
        var plainBoot = SlotMachine.Fire(SlotRecord.Initial(good), new BootObserved(good, "good"), Start);
        var outbox = new ReportOutbox(layout, new PosixMediumStorage());

        Assert.Empty(reports.Transitioned(staged));
        File.WriteAllText(layout.ConfigFile, "remote: git://127.0.0.1/x # no report-url\n");
        Assert.Empty(reports.Transitioned(staged));
        Assert.False(Directory.Exists(outbox.Directory));

        File.WriteAllText(layout.ConfigFile, "report-url: http://127.0.0.1:1/r\n");
        Assert.Null(TransitionReports.Kind(plainBoot));
        Assert.Empty(reports.Transitioned(plainBoot));
        Assert.Empty(reports.Transitioned(staged));
        Assert.Empty(reports.Refused(staged.After, "Stage", good, "already staged", Start));
        Assert.Equal(2, outbox.Pending().Count);

        // A broken config.yaml never fails the committed transition: a warning instead.
        File.WriteAllText(layout.ConfigFile, "report-url: [not, a, scalar]\n");
        Assert.Single(reports.Transitioned(staged));
        Assert.Equal(2, outbox.Pending().Count);
    }

    [Fact]
    public void Without_a_yaml_parser_the_boot_path_queues_when_unsure_and_never_when_config_yaml_says_no()
    {
        using var dir = new TempDirectory("bootsafe-observer-boot");
        var layout = new MediumLayout(dir.Path);
        Directory.CreateDirectory(layout.BootSafe);
        var reports = new TransitionReports(layout, new PosixMediumStorage(), parse: null);
        var good = Revision.Parse(new string('a', 40));
        var staged = SlotMachine.Fire(SlotRecord.Initial(good), new Stage(Revision.Parse(new string('b', 40))), Start);
        var outbox = new ReportOutbox(layout, new PosixMediumStorage());

        File.WriteAllText(layout.ConfigFile, "remote: git://127.0.0.1/x # report-url: http://127.0.0.1:1/r\nreport-url: ''\n");
        Assert.Empty(reports.Transitioned(staged));
        Assert.False(Directory.Exists(outbox.Directory));

        File.WriteAllText(layout.ConfigFile, "report-url: \"http://127.0.0.1:1/r\"\n");
        Assert.Empty(reports.Transitioned(staged));
        Assert.Single(outbox.Pending());

        // Beyond the plain form the boot path cannot tell, and a lost report is worse than a stray one.
        File.WriteAllText(layout.ConfigFile, "report-url: [not, a, scalar]\n");
        Assert.Empty(reports.Transitioned(staged));
        Assert.Equal(2, outbox.Pending().Count);
    }

    [Fact]
    public void Fetch_posts_the_queued_reports_last_honouring_the_backoff_that_report_flush_overrides()
    {
        using var dir = new TempDirectory("bootsafe-fetchpost");
        var layout = new MediumLayout(dir.Path);
        Directory.CreateDirectory(layout.BootSafe);
        var cmdline = Path.Combine(dir.Path, "cmdline");
        File.WriteAllText(cmdline, "boot=live");
        var keys = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var receiver = new Support.TinyHttpServer(r =>
        {
            keys.Enqueue(r.Header("Idempotency-Key") ?? "");
            return Support.TinyResponse.Text(200, "");
        });
        File.WriteAllText(layout.ConfigFile, $"report-url: {receiver.Url("/r")}\n");
        var storage = new PosixMediumStorage();
        var outbox = new ReportOutbox(layout, storage);
        var first = Guid.NewGuid();
        outbox.Enqueue(first, "{}"u8, Start);

        // The fetch itself fails on this medium (no repository); the reports still go, last.
        var fetch = InProcessCli.Run("fetch", "--medium", layout.Root, "--cmdline", cmdline);
        Assert.Contains("1 reports posted", fetch.Stderr, StringComparison.Ordinal);
        Assert.Equal([first.ToString("D")], keys);
        Assert.Empty(outbox.Pending());

        // A backoff set by an earlier failure: fetch leaves the report queued, --flush posts it.
        var second = Guid.NewGuid();
        outbox.Enqueue(second, "{}"u8, Start);
        File.WriteAllText(Path.Combine(outbox.Directory, "retry"), FormattableString.Invariant($"3 {DateTimeOffset.UtcNow.AddHours(1):O}\n"));
        InProcessCli.Run("fetch", "--medium", layout.Root, "--cmdline", cmdline);
        Assert.Single(outbox.Pending());
        var flush = InProcessCli.Run("report", "--flush", "--medium", layout.Root, "--cmdline", cmdline);
        Assert.True(flush.ExitCode == 0, flush.ToString());
        Assert.Equal([first.ToString("D"), second.ToString("D")], keys);
        Assert.Empty(outbox.Pending());
        Assert.False(File.Exists(Path.Combine(outbox.Directory, "retry")));
    }
}
