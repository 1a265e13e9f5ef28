using LibGit2Sharp;
using CommitReader = Webc.BootSafe.Git.CommitReader;
using Webc.BootSafe.Fetch.Verification;
using Webc.BootSafe.Medium.Errors;
using Webc.BootSafe.StateMachine.Slots;

namespace Webc.BootSafe.Provision;

/// <summary>
/// A full (never shallow) bare clone of --repo in a temporary directory, made before the target is
/// touched: the revision is resolved and verified there, and its size known, so a bad revision or a
/// too-small target is refused with the target as it was. Deleted on dispose.
/// </summary>
public sealed class SourceRepository : IDisposable
{
    private SourceRepository(string path, string remote)
    {
        Path = path;
        Remote = remote;
    }

    /// <summary>The temporary bare clone.</summary>
    public string Path { get; }

    /// <summary>Where updates will come from: the URL, or the absolute path of a local repository.</summary>
    public string Remote { get; }

    public static string RemoteOf(string repo)
    {
        if (string.IsNullOrWhiteSpace(repo))
        {
            throw new BadInputException("--repo is required (a git URL or the path of a local repository)");
        }

        if (repo.Contains("://", StringComparison.Ordinal) || (repo.Contains(':') && !repo.StartsWith('/') && !repo.StartsWith('.')))
        {
            return repo;
        }

        var full = System.IO.Path.GetFullPath(repo);
        return Directory.Exists(full) ? full : throw new BadInputException($"--repo {repo}: no such directory (and not a URL)");
    }

    /// <summary>Clones <paramref name="remote"/> (git's progress meter goes to stderr).</summary>
    public static SourceRepository Clone(string remote)
    {
        var dir = Directory.CreateTempSubdirectory("webc-bootsafe-install-").FullName;
        var clone = System.IO.Path.Combine(dir, "filesystem.git");
        var source = new SourceRepository(clone, remote);
        try
        {
            ExternalTool.Run("git", ["clone", "--bare", "--progress", "--no-hardlinks", remote, clone], passErrors: true);
            if (File.Exists(System.IO.Path.Combine(clone, "shallow")))
            {
                throw new BadInputException($"--repo {remote} is a shallow clone; the medium needs the full history (git fetch --unshallow there first)");
            }

            return source;
        }
        catch
        {
            source.Dispose();
            throw;
        }
    }

    /// <summary>A commit id (full or abbreviated), a branch or a tag, as a commit of the clone (read with the one commit reader).</summary>
    public Revision Resolve(string revision)
    {
        using var reader = CommitReader.Open(Path);
        try
        {
            return Revision.Parse(reader.Resolve(revision).Id.ToString());
        }
        catch (BadInputException e)
        {
            throw new BadInputException($"--revision {revision} is not a commit, branch or tag of {Remote} ({e.Message})", e);
        }
    }

    /// <summary>
    /// The checks Fetch makes of a candidate that apply to a first install (<see cref="CandidateVerifier.VerifyFirst"/>:
    /// there is no known-good yet, so no ancestry check), and the kernel files must not be empty.
    /// </summary>
    public VerifiedRevision Verify(Revision revision, VerificationPolicy policy)
    {
        using var repository = new Repository(Path);
        var verified = CandidateVerifier.VerifyFirst(
            repository, revision, policy,
            noKeyHint: "no trusted key is configured: pass --config naming ssh-allowed-signers or openpgp-keyring (or allow-unsigned: true for a test channel)");

        using var reader = CommitReader.Open(Path);
        var kernel = verified.Kernel;
        var kernelBytes = reader.SizeOf(kernel.Kernel);
        var initrdBytes = reader.SizeOf(kernel.Initrd);
        if (kernelBytes == 0 || initrdBytes == 0)
        {
            throw new VerificationFailedException(
                $"commit {revision}: {(kernelBytes == 0 ? kernel.KernelPath : kernel.InitrdPath)} is empty; nothing would boot");
        }

        return new VerifiedRevision(revision, verified.Signer, kernel, kernelBytes, initrdBytes, verified.ObjectsChecked);
    }

    public long SizeBytes() =>
        Directory.EnumerateFiles(Path, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);

    public void Dispose()
    {
        var dir = System.IO.Path.GetDirectoryName(Path)!;
        try
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
