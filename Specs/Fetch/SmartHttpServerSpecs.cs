using Webc.BootSafe.Fetch.Update;
using Webc.BootSafe.Fetch.Verification;
using Webc.BootSafe.Specs.Fetch.Support;
using Webc.BootSafe.Specs.Lab;
using Webc.BootSafe.Specs.Support;
using Webc.BootSafe.StateMachine.Slots;
using Webc.BootSafe.Medium.Storage;

namespace Webc.BootSafe.Specs.Fetch;

/// <summary>
/// Our fetch, unchanged, against the stock server a publisher would run: nginx + fcgiwrap +
/// `git http-backend` on 127.0.0.1 (docs/fleet.md models a fleet against the same server).
/// Serial: it starts real servers.
/// </summary>
[Trait(Tier.Name, Tier.Host)]
[Collection(MachineCollection.Name)]
public sealed class SmartHttpServerSpecs(FetchWorld world) : IClassFixture<FetchWorld>, IDisposable
{
    private readonly TempDirectory _dir = new("bootsafe-smarthttp");

    public void Dispose() => _dir.Dispose();

    private static FetchOutcome Fetch(TestMedium medium) =>
        new UpdateFetcher(medium.Layout, new PosixMediumStorage()) { Backoff = TimeSpan.FromMilliseconds(20) }
            .FetchAndVerify(medium.Parameters(), medium.Record, null);

    [HostFact("nginx", "fcgiwrap")]
    public void A_signed_newer_commit_is_verified_and_a_poll_with_nothing_new_is_one_ref_advertisement()
    {
        var up = new Upstream(_dir.Combine("srv/kiosk"));
        up.Commit("v1", world.Trusted, Signing.Ssh,
            Enumerable.Range(0, 50).ToDictionary(i => $"usr/share/doc/f{i}", i => (string?)$"doc {i} {new string('z', 2000)}"));
        using var server = new NginxGitServer(_dir.Combine("srv"));
        var medium = new TestMedium(_dir.Combine("medium"), up, world.Config(server.Url("kiosk/.git")));
        var next = up.Commit("v2", world.Trusted, Signing.Gpg, new Dictionary<string, string?> { ["usr/share/doc/f7"] = "changed" });

        var outcome = Fetch(medium);

        Assert.Equal(Revision.Parse(next), Assert.IsType<Verified>(outcome.Verdict).Revision);
        Assert.Equal(next, medium.Ref("refs/bootsafe/fetched"));
        Assert.InRange(outcome.Transfer.ReceivedObjects, 1, 12);
        var requests = server.Requests();
        Assert.True(requests.Count >= 2, server.Errors);
        Assert.StartsWith("GET /kiosk/.git/info/refs 200 ", requests[0], StringComparison.Ordinal);
        Assert.Contains(requests, r => r.StartsWith("POST /kiosk/.git/git-upload-pack 200 ", StringComparison.Ordinal));

        // Nothing new: the kiosk's hourly poll costs the server one GET of the ref advertisement.
        var again = Fetch(medium);

        Assert.Equal(0, again.Transfer.ReceivedObjects);
        Assert.Equal(["GET /kiosk/.git/info/refs 200"], server.Requests().Skip(requests.Count).Select(r => r[..r.LastIndexOf(' ')]));
    }

    [HostFact("nginx", "fcgiwrap")]
    public void The_cli_fetch_verifies_an_unsigned_newer_commit_on_an_allow_unsigned_channel()
    {
        var binary = Path.Combine(RepoPaths.Root, "Cli", "bin", "Release", "net10.0", "webc-bootsafe");
        var up = new Upstream(_dir.Combine("srv/kiosk"));
        var first = up.Commit("v1", null, Signing.None);
        using var server = new NginxGitServer(_dir.Combine("srv"));
        var medium = new TestMedium(_dir.Combine("medium"), up, "");
        var init = Run.Try(TimeSpan.FromMinutes(2), binary, "init", "--medium", medium.Layout.Root, "--revision", first);
        Assert.True(init.ExitCode == 0, init.Output + init.Error);
        File.WriteAllText(medium.Layout.ConfigFile, $"remote: {server.Url("kiosk/.git")}\nallow-unsigned: true\nkernel-flavour: amd64\n");
        var cmdline = _dir.Combine("cmdline");
        File.WriteAllText(cmdline, "boot=live quiet");
        var next = up.Commit("v2", null, Signing.None);

        var fetch = Run.Try(TimeSpan.FromMinutes(2), binary, "fetch", "--medium", medium.Layout.Root, "--cmdline", cmdline);

        Assert.True(fetch.ExitCode == 0, fetch.Output + fetch.Error + server.Errors);
        Assert.Contains($"{next} verified (unsigned (allow-unsigned: true)", fetch.Output, StringComparison.Ordinal);
        Assert.Equal(next, medium.Ref("refs/bootsafe/fetched"));
        Assert.Contains(server.Requests(), r => r.StartsWith("POST /kiosk/.git/git-upload-pack 200 ", StringComparison.Ordinal));
    }
}
