using Webc.BootSafe.Fetch.Update;
using Webc.BootSafe.Specs.Fetch.Support;
using Webc.BootSafe.Specs.Support;
using Webc.BootSafe.Medium.Errors;
using Webc.BootSafe.Medium.Storage;

namespace Webc.BootSafe.Specs.Fetch;

/// <summary>A medium mounted read-only (a real read-only bind mount) is refused before any transfer.</summary>
[Trait(Tier.Name, Tier.Host)]
[Collection(MachineCollection.Name)]
public sealed class ReadOnlyMediumSpecs(FetchWorld world) : IClassFixture<FetchWorld>, IDisposable
{
    private readonly TempDirectory _dir = new("bootsafe-readonly");

    public void Dispose() => _dir.Dispose();

    [HostFact]
    public void A_read_only_medium_is_refused_as_not_writable()
    {
        var up = new Upstream(_dir.Combine("upstream"));
        up.Commit("v1", world.Trusted, Signing.Ssh);
        var medium = new TestMedium(_dir.Combine("medium"), up, world.Config(up.Path));
        up.Commit("v2", world.Trusted, Signing.Ssh);
        var root = medium.Layout.Root;
        Proc.Run("mount", ["--bind", root, root]);
        try
        {
            Proc.Run("mount", ["-o", "remount,bind,ro", root]);
            var before = medium.Snapshot();

            var e = Assert.Throws<OperationFailedException>(() =>
                new UpdateFetcher(medium.Layout, new PosixMediumStorage()).FetchAndVerify(medium.Parameters(), medium.Record, null));

            Assert.StartsWith("Not a writable boot medium", e.Message, StringComparison.Ordinal);
            SnapshotAssert.Unchanged(before, medium.Snapshot());
        }
        finally
        {
            Proc.Run("umount", [root]);
        }
    }
}
