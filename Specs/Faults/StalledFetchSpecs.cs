using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Webc.BootSafe.Medium.Storage;
using Webc.BootSafe.Specs.Fetch.Support;
using Webc.BootSafe.Specs.Lab;
using Webc.BootSafe.Specs.Support;
using Webc.BootSafe.StateMachine.Ports;
using Webc.BootSafe.StateMachine.Slots;

namespace Webc.BootSafe.Specs.Faults;

/// <summary>
/// Issue 14, case 1, as the fault happens: a real server on 127.0.0.1 that accepts a fetch and then
/// sends nothing (or trickles a byte at a time), against the real binary on a loop-mounted ext4
/// medium with extlinux installed. The fetch ends by itself with exit 1 and the medium unchanged,
/// and a `confirm` during the stalled fetch is not kept waiting: the healthy trial is promoted.
/// </summary>
[Trait(Tier.Name, Tier.Host)]
[Collection(MachineCollection.Name)]
public sealed class StalledFetchSpecs : IDisposable
{
    private static readonly Revision Good = FaultMedium.Good;
    private static readonly Revision Trial = FaultMedium.Trial;
    private readonly TempDirectory _dir = new("stalled");

    public void Dispose() => _dir.Dispose();

    private static string Binary => FaultMedium.Binary;

    [HostFact]
    public void A_server_that_sends_nothing_ends_the_fetch_with_exit_1_and_changes_nothing()
    {
        using var server = new StalledServer(trickle: null);
        using var medium = FaultMedium.Create(_dir, server.Url, "fetch-stall-timeout: 2\nfetch-retries: 1\nfetch-deadline: 60\n");
        var before = medium.Snapshot();

        var clock = Stopwatch.StartNew();
        var fetch = Run.Try(TimeSpan.FromSeconds(90), Binary, "--medium", medium.Root, "fetch", "--stage", "--cmdline", medium.Cmdline("good", Good));

        Assert.True(fetch.ExitCode == 1, fetch.Output + fetch.Error);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"the stalled fetch took {clock.Elapsed}");
        Assert.DoesNotContain("   at ", fetch.Error, StringComparison.Ordinal);
        Assert.True(server.Accepted >= 1, "the fetch never reached the server");
        SnapshotAssert.Unchanged(before, medium.Snapshot());
    }

    [HostFact]
    public void A_server_that_trickles_is_given_up_at_the_deadline_and_changes_nothing()
    {
        // One byte every 500 ms never trips the 2 s read timeout: only the deadline ends it.
        using var server = new StalledServer(trickle: TimeSpan.FromMilliseconds(500));
        using var medium = FaultMedium.Create(_dir, server.Url, "fetch-stall-timeout: 2\nfetch-retries: 0\nfetch-deadline: 4\n");
        var before = medium.Snapshot();

        var clock = Stopwatch.StartNew();
        var fetch = Run.Try(TimeSpan.FromSeconds(90), Binary, "--medium", medium.Root, "fetch", "--cmdline", medium.Cmdline("good", Good));

        Assert.True(fetch.ExitCode == 1, fetch.Output + fetch.Error);
        Assert.Contains("given up", fetch.Error, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"the trickled fetch took {clock.Elapsed}");
        Assert.True(server.BytesSent > 0, "the server never trickled");
        SnapshotAssert.Unchanged(before, medium.Snapshot());
    }

    [HostFact]
    public void Confirm_during_a_stalled_fetch_promotes_the_healthy_trial_without_waiting()
    {
        using var server = new StalledServer(trickle: null);
        using var medium = FaultMedium.Create(_dir, server.Url, "fetch-stall-timeout: 30\nfetch-retries: 0\nfetch-deadline: 60\n");
        medium.Ok("stage", Trial.Sha, "--no-verify", "--kernel", medium.File("k2", "kernel 2"), "--initrd", medium.File("i2", "initrd 2"));
        var trialCmdline = medium.Cmdline("trial", Trial);
        medium.Ok("select", "--cmdline", trialCmdline);
        var health = Path.Combine(_dir.Path, "health");
        Directory.CreateDirectory(Path.Combine(health, "required.d"));
        File.WriteAllText(Path.Combine(health, "required.d", "10-ok"), "#!/bin/sh\nexit 0\n");
        Proc.Run("chmod", ["755", Path.Combine(health, "required.d", "10-ok")]);

        using var fetch = Process.Start(new ProcessStartInfo(Binary, ["--medium", medium.Root, "fetch", "--cmdline", trialCmdline])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        try
        {
            var waited = Stopwatch.StartNew();
            while (server.Accepted == 0 && waited.Elapsed < TimeSpan.FromSeconds(20))
            {
                Thread.Sleep(50);
            }

            Assert.True(server.Accepted > 0, "the fetch never reached the server");
            var clock = Stopwatch.StartNew();
            var confirm = Run.Try(TimeSpan.FromSeconds(60), Binary, "--medium", medium.Root, "confirm", "--health-dir", health, "--cmdline", trialCmdline, "--no-reboot", "--lock-timeout", "5");

            Assert.True(confirm.ExitCode == 0, confirm.Output + confirm.Error);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"confirm waited {clock.Elapsed} behind the fetch");
            Assert.False(fetch.HasExited, "the fetch should still be stalled while confirm runs");
            var record = new YamlSlotStore(new PosixMediumStorage(), medium.Layout).Load().Record;
            Assert.Equal((SlotState.Stable, Trial), (record.State, record.KnownGood));
            Assert.Empty(record.Failed);
        }
        finally
        {
            if (!fetch.HasExited)
            {
                fetch.Kill(entireProcessTree: true);
            }

            fetch.WaitForExit();
        }
    }

    /// <summary>Accepts on 127.0.0.1 and then sends nothing, or one byte per <c>trickle</c>, until disposed.</summary>
    private sealed class StalledServer : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private readonly List<TcpClient> _clients = [];
        private int _accepted;
        private long _sent;

        public StalledServer(TimeSpan? trickle)
        {
            _listener.Start();
            _ = Task.Run(async () =>
            {
                while (!_stop.IsCancellationRequested)
                {
                    TcpClient client;
                    try
                    {
                        client = await _listener.AcceptTcpClientAsync(_stop.Token);
                    }
                    catch (Exception)
                    {
                        return;
                    }

                    Interlocked.Increment(ref _accepted);
                    lock (_clients)
                    {
                        _clients.Add(client);
                    }

                    if (trickle is { } every)
                    {
                        _ = Task.Run(async () =>
                        {
                            try
                            {
                                // A pkt-line header announcing a long line, then its payload a byte at a time.
                                var stream = client.GetStream();
                                foreach (var b in "fff0"u8.ToArray().Concat(Enumerable.Repeat((byte)'a', 100_000)))
                                {
                                    await stream.WriteAsync(new[] { b }, _stop.Token);
                                    Interlocked.Increment(ref _sent);
                                    await Task.Delay(every, _stop.Token);
                                }
                            }
                            catch (Exception)
                            {
                                // The client gave up, or the spec ended.
                            }
                        });
                    }
                }
            });
        }

        public string Url => $"git://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/upstream";

        public int Accepted => Volatile.Read(ref _accepted);

        public long BytesSent => Interlocked.Read(ref _sent);

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            lock (_clients)
            {
                _clients.ForEach(c => c.Dispose());
            }
        }
    }
}
