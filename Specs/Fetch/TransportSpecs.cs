using Webc.BootSafe.Fetch.Update;
using Webc.BootSafe.Fetch.Verification;
using Webc.BootSafe.Specs.Fetch.Support;
using Webc.BootSafe.StateMachine.Slots;
using Webc.BootSafe.Medium.Storage;

namespace Webc.BootSafe.Specs.Fetch;

/// <summary>The same fetch against real network peers on 127.0.0.1: `git daemon` and smart HTTP (`git http-backend`).</summary>
public sealed class TransportSpecs(FetchWorld world) : IClassFixture<FetchWorld>, IDisposable
{
    private readonly TempDirectory _dir = new("bootsafe-transport");

    public void Dispose() => _dir.Dispose();

    private static FetchOutcome Fetch(TestMedium medium) =>
        new UpdateFetcher(medium.Layout, new PosixMediumStorage()) { Backoff = TimeSpan.FromMilliseconds(20) }
            .FetchAndVerify(medium.Parameters(), medium.Record, null);

    [Fact]
    public void Git_daemon_serves_a_signed_update()
    {
        var up = new Upstream(_dir.Combine("upstream"));
        up.Commit("v1", world.Trusted, Signing.Ssh);
        using var daemon = new GitDaemon(_dir.Path);
        var medium = new TestMedium(_dir.Combine("medium"), up, world.Config(daemon.Url("upstream")));
        var next = up.Commit("v2", world.Trusted, Signing.Gpg);

        var verified = Assert.IsType<Verified>(Fetch(medium).Verdict);

        Assert.Equal(Revision.Parse(next), verified.Revision);
        Assert.Equal(next, medium.Ref("refs/bootsafe/fetched"));
    }

    [Fact]
    public void Git_daemon_serving_a_force_pushed_older_commit_is_a_refused_downgrade()
    {
        var up = new Upstream(_dir.Combine("upstream"));
        var first = up.Commit("v1", world.Trusted, Signing.Ssh);
        up.Commit("v2", world.Trusted, Signing.Ssh);
        using var daemon = new GitDaemon(_dir.Path);
        var medium = new TestMedium(_dir.Combine("medium"), up, world.Config(daemon.Url("upstream")));
        up.Git("reset", "-q", "--hard", first);
        var before = medium.Snapshot();

        var e = Assert.Throws<VerificationFailedException>(() => Fetch(medium));

        Assert.Contains("downgrade refused", e.Message, StringComparison.Ordinal);
        SnapshotAssert.Unchanged(before, medium.Snapshot());
    }

    [Fact]
    public void Smart_http_serves_a_signed_update_and_then_only_the_delta()
    {
        var up = new Upstream(_dir.Combine("upstream"));
        up.Commit("v1", world.Trusted, Signing.Ssh,
            Enumerable.Range(0, 100).ToDictionary(i => $"usr/share/doc/f{i}", i => (string?)$"doc {i} {new string('y', 3000)}"));
        using var http = new GitHttpServer(_dir.Path);
        var medium = new TestMedium(_dir.Combine("medium"), up, world.Config(http.Url("upstream/.git")));
        var next = up.Commit("v2", world.Trusted, Signing.Ssh, new Dictionary<string, string?> { ["usr/share/doc/f3"] = "changed" });

        var outcome = Fetch(medium);

        Assert.Equal(Revision.Parse(next), Assert.IsType<Verified>(outcome.Verdict).Revision);
        // commit, 5 trees on the changed paths, the changed doc, the new kernel, initrd and version: 11 of over 100.
        Assert.InRange(outcome.Transfer.ReceivedObjects, 1, 12);
        Assert.True(outcome.Transfer.ReceivedBytes < 20_000, $"received {outcome.Transfer.ReceivedBytes} bytes for a one-file change");
    }
}
