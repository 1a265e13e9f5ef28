using Webc.BootSafe.Bootloader.Kernels;
using Webc.BootSafe.Git;

namespace Webc.BootSafe.Updates.Staging;

/// <summary>
/// A revision's kernel and initrd, located before anything on the medium changes and streamed when
/// they are installed (never read into memory whole).
/// </summary>
public sealed record KernelImages(KernelContent Kernel, KernelContent Initrd)
{
    /// <summary>In memory (small files: specs, the simulated demo).</summary>
    public KernelImages(byte[] kernel, byte[] initrd)
        : this(KernelContent.FromBytes(kernel, "kernel"), KernelContent.FromBytes(initrd, "initrd"))
    {
    }

    /// <summary>
    /// The pair's blobs in <paramref name="repository"/>; each pass opens its own reader, so the
    /// content outlives <paramref name="reader"/> (used here only for the sizes).
    /// </summary>
    public static KernelImages FromCommit(string repository, CommitReader reader, KernelPair pair) =>
        new(Blob(repository, reader, pair.Kernel, pair.KernelPath), Blob(repository, reader, pair.Initrd, pair.InitrdPath));

    private static KernelContent Blob(string repository, CommitReader reader, ObjectId id, string path) =>
        KernelContent.FromGitBlob(path, id.ToString(), reader.SizeOf(id), () =>
        {
            var own = CommitReader.Open(repository);
            try
            {
                return (own.OpenBlob(id).Stream, own);
            }
            catch
            {
                own.Dispose();
                throw;
            }
        });
}
