using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Webc.BootSafe.Cli;
using Webc.BootSafe.Specs.BootPath;
using Webc.BootSafe.Specs.Bootloader.Support;
using Webc.BootSafe.Specs.Fleet.Support;
using Webc.BootSafe.Specs.Support;

namespace Webc.BootSafe.Specs.Fleet;

/// <summary>
/// Issue 18 item 3, through the NativeAOT binary the kiosk runs, against a real HTTP receiver on
/// 127.0.0.1 that records every post's Idempotency-Key: transitions happen while the receiver is down
/// (each queues a report), a flush fails and backs off, the receiver comes up but cuts the first
/// connection after reading the report, then never answers while the poster is SIGKILLed mid-post,
/// then answers. Every transition's report arrives (at least once), and after the receiver's dedup by
/// key exactly once; nothing is left in the outbox.
/// </summary>
[Trait(Tier.Name, Tier.Host)]
[Collection(MachineCollection.Name)]
public sealed class ReportDeliverySpecs : IDisposable
{
    private readonly TempDirectory _work = new("bootsafe-reports");
    private readonly string _medium;
    private readonly ConcurrentQueue<(string Key, string Body)> _posts = new();
    private volatile string _mode = "ok";

    public ReportDeliverySpecs()
    {
        _medium = _work.Sub("medium");
    }

    public void Dispose() => _work.Dispose();

    private static Dictionary<string, string> Simulated => new() { [MediumAccess.SimulatedMediumVariable] = "1" };

    private string Outbox => Path.Combine(_medium, "live", "bootsafe", "outbox");

    private ProcessResult Cli(params string[] args) => ProcessResult.Run(AotBinary.Path, ["--medium", _medium, .. args], Simulated);

    private void Ok(params string[] args)
    {
        var result = Cli(args);
        Assert.True(result.ExitCode == 0, $"webc-bootsafe {string.Join(' ', args)}: {result}");
    }

    private TinyResponse Receive(TinyRequest request)
    {
        _posts.Enqueue((request.Header("Idempotency-Key") ?? "", Encoding.UTF8.GetString(request.Body)));
        return _mode switch
        {
            "drop" => TinyResponse.Drop,
            "hang" => TinyResponse.Hang,
            _ => TinyResponse.Text(202, ""),
        };
    }

    private List<string> Revisions()
    {
        var source = _work.Combine("source");
        Processes.Run("git", ["init", "-q", source]);
        var revisions = new List<string>();
        for (var n = 1; n <= 2; n++)
        {
            var boot = Path.Combine(source, "boot");
            Directory.CreateDirectory(boot);
            foreach (var old in Directory.EnumerateFiles(boot))
            {
                File.Delete(old);
            }

            File.WriteAllText(Path.Combine(boot, $"vmlinuz-6.1.0-{n}"), $"kernel {n}");
            File.WriteAllText(Path.Combine(boot, $"initrd.img-6.1.0-{n}"), $"initrd {n}");
            Processes.Run("git", ["-C", source, "add", "-A"]);
            Processes.Run("git", ["-C", source, "-c", "user.email=s@example.org", "-c", "user.name=specs", "commit", "-q", "-m", $"r{n}"]);
            revisions.Add(Processes.Run("git", ["-C", source, "rev-parse", "HEAD"]).Trim());
        }

        Directory.CreateDirectory(Path.Combine(_medium, "boot", "extlinux"));
        Directory.CreateDirectory(Path.Combine(_medium, "live"));
        File.WriteAllBytes(Path.Combine(_medium, "boot", "extlinux", "ldlinux.sys"), FakeBootImage.Create());
        Processes.Run("git", ["clone", "-q", "--bare", source, Path.Combine(_medium, "live", "filesystem.git")]);
        return revisions;
    }

    private void Boot(string revision, string slot)
    {
        var cmdline = _work.Combine("cmdline");
        File.WriteAllText(cmdline, $"boot=live git-revision={revision} bootsafe.slot={slot}\n");
        Ok("select", "--cmdline", cmdline);
    }

    /// <summary>The outbox's reports, oldest first (file names sort by their sequence).</summary>
    private List<JsonElement> Queued() =>
        [.. Directory.EnumerateFiles(Outbox, "*.json")
            .Order(StringComparer.Ordinal)
            .Select(f => JsonDocument.Parse(File.ReadAllText(f)).RootElement)];

    private static string Key(JsonElement report) => report.GetProperty("idempotency_key").GetString()!;

    [HostFact]
    public void Offline_then_cut_then_killed_mid_post_every_report_arrives_once_after_dedup()
    {
        var revisions = Revisions();
        int port;
        using (var probe = new TinyHttpServer(Receive))
        {
            port = probe.Port; // then the receiver is down: nothing listens on the port
        }

        Ok("init", "--revision", revisions[0]);
        File.WriteAllText(Path.Combine(_medium, "live", "bootsafe", "config.yaml"), $"allow-unsigned: true\nreport-url: http://127.0.0.1:{port}/reports\n");
        File.WriteAllText(Path.Combine(_medium, "live", "bootsafe", "machine-id"), "feedfacefeedfacefeedfacefeedface\n");
        Ok("bootloader", "sync");

        // Offline: each transition and refusal queues a report.
        Ok("stage", revisions[1]);
        Boot(revisions[1], "trial");
        Ok("mark-bad", "--reason", "kiosk browser crashed");
        Assert.Equal(1, Cli("stage", revisions[1]).ExitCode); // refused: it failed before
        Ok("stage", "--force", revisions[1]);
        Boot(revisions[1], "trial");
        Ok("mark-good");
        var expected = Queued();
        var keys = expected.Select(Key).ToList();
        var kinds = expected.Select(r => r.GetProperty("kind").GetString()).ToList();
        Assert.Equal(["staged", "trial_booted", "rolled_back", "refused", "staged", "trial_booted", "promoted"], kinds);
        Assert.Contains("kiosk browser crashed", expected.Single(r => r.GetProperty("kind").GetString() == "rolled_back").GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.All(expected, r => Assert.Equal("feedfacefeedfacefeedfacefeedface", r.GetProperty("machine_id").GetString()));

        // Still offline: the flush fails, keeps everything, and backs off.
        var offline = Cli("report", "--flush", "--json");
        Assert.True(offline.ExitCode == 1, offline.ToString());
        Assert.Equal(keys, Queued().Select(Key));
        Assert.True(File.Exists(Path.Combine(Outbox, "retry")));

        using var receiver = new TinyHttpServer(Receive, port: port);

        // Up, but the connection is cut after the receiver read the first report.
        _mode = "drop";
        Assert.Equal(1, Cli("report", "--flush").ExitCode);
        Assert.Equal(expected.Count, Queued().Count);

        // Up, never answering, and the poster is killed mid-post.
        _mode = "hang";
        var seen = _posts.Count;
        using (var poster = Process.Start(new ProcessStartInfo(AotBinary.Path, ["--medium", _medium, "report", "--flush"])
               {
                   Environment = { [MediumAccess.SimulatedMediumVariable] = "1" },
                   RedirectStandardOutput = true,
                   RedirectStandardError = true,
               })!)
        {
            try
            {
                var waited = Stopwatch.StartNew();
                while (_posts.Count == seen && waited.Elapsed < TimeSpan.FromMinutes(2))
                {
                    Thread.Sleep(50);
                }

                Assert.True(_posts.Count > seen, "the poster never reached the receiver");
            }
            finally
            {
                poster.Kill(); // SIGKILL
                poster.WaitForExit();
            }
        }

        Assert.Equal(expected.Count, Queued().Count);

        // Up and answering: everything goes, oldest first.
        _mode = "ok";
        var beforeLast = _posts.Count;
        var flushed = Cli("report", "--flush", "--json");
        Assert.True(flushed.ExitCode == 0, flushed.ToString());
        Assert.Empty(Directory.EnumerateFiles(Outbox, "*.json"));
        Assert.False(File.Exists(Path.Combine(Outbox, "retry")));

        var posts = _posts.ToArray();
        Assert.All(posts, p => Assert.Equal(p.Key, JsonDocument.Parse(p.Body).RootElement.GetProperty("idempotency_key").GetString()));
        var delivered = posts.Select(p => p.Key).Distinct().ToList();
        Assert.Equal(keys.Order(), delivered.Order()); // nothing lost; after the receiver's dedup, each exactly once
        Assert.True(posts.Length >= keys.Count + 2, $"{posts.Length} posts"); // the cut and the killed post came again
        Assert.Equal(keys, posts[beforeLast..].Select(p => p.Key)); // the last flush: all, oldest first
    }
}
