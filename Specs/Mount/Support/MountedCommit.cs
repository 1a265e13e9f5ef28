using Webc.BootSafe.Mount.Fuse;
using Webc.BootSafe.Mount.View;

namespace Webc.BootSafe.Specs.Mount.Support;

/// <summary>A real FUSE mount of a commit, in-process (the loop on its own thread); always unmounted on dispose.</summary>
public sealed class MountedCommit : IDisposable
{
    private readonly TempDirectory _dir = new("gitfs-spec");

    public GitFsView View { get; }

    public GitFsMount Mount { get; }

    public string Root => Mount.MountPoint;

    public MountedCommit(string repo, string rev, GitFsViewOptions? options = null)
    {
        View = GitFsView.Open(repo, rev, options);
        try
        {
            Mount = GitFsMount.Start(View, _dir.Sub("mnt"));
        }
        catch
        {
            View.Dispose();
            _dir.Dispose();
            throw;
        }
    }

    public string PathOf(string relative) => System.IO.Path.Combine(Root, relative);

    public void Dispose()
    {
        try
        {
            Mount.Dispose();
        }
        finally
        {
            if (Unmounter.IsMounted(Root, out _))
            {
                Shell.Try("umount", ["-l", Root]);
            }

            View.Dispose();
            _dir.Dispose();
        }
    }
}
