using System.Diagnostics;
using Webc.BootSafe.Medium.Errors;
using Webc.BootSafe.StateMachine.Ports;
using Webc.BootSafe.StateMachine.Slots;

namespace Webc.BootSafe.Updates.Staging;

    /// <summary>A revision's kernel and initrd, read before anything on the medium changes.</summary>
public sealed record RevisionFiles(Revision Revision, KernelImages Images)
{
    public static RevisionFiles Read(MediumLayout layout, string revision, string? kernel, string? initrd, string? repo)
    {
        if (kernel is not null || initrd is not null)
        {
            if (kernel is null || initrd is null)
            {
                throw new BadInputException("--kernel and --initrd go together");
            }

            return new RevisionFiles(Revision.Parse(revision), new KernelImages(ReadFile(kernel, "--kernel"), ReadFile(initrd, "--initrd")));
        }

        var repository = repo ?? layout.Repository;
        if (!Directory.Exists(repository))
        {
            throw new BadInputException($"--repo {repository} is not a directory (give --repo, or --kernel and --initrd)");
        }

        var sha = Revision.Parse(Git(repository, "rev-parse", "--verify", "--quiet", revision + "^{commit}").Trim(), $"revision {revision} in {repository}");
        var paths = Git(repository, "ls-tree", "-r", "--name-only", sha.Sha, "--", "boot/")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
        string Pick(string prefix) =>
            paths.Where(p => p.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal).LastOrDefault()
            ?? throw new BadInputException($"revision {sha.Short} in {repository} has no {prefix}* file");
        return new RevisionFiles(sha, new KernelImages(GitBlob(repository, sha, Pick("boot/vmlinuz-")), GitBlob(repository, sha, Pick("boot/initrd.img-"))));
    }

    private static byte[] ReadFile(string path, string option) =>
        File.Exists(path) ? File.ReadAllBytes(path) : throw new BadInputException($"{option} {path} does not exist");

    private static string Git(string repository, params string[] args) =>
        System.Text.Encoding.UTF8.GetString(Run(repository, args, $"git {string.Join(' ', args)}"));

    private static byte[] GitBlob(string repository, Revision revision, string path) =>
        Run(repository, ["cat-file", "blob", $"{revision.Sha}:{path}"], $"reading {path} of {revision.Short}");

    private static byte[] Run(string repository, string[] args, string what)
    {
        var start = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-C");
        start.ArgumentList.Add(repository);
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var git = Process.Start(start) ?? throw new OperationFailedException("cannot start git");
        var stderr = git.StandardError.ReadToEndAsync();
        using var output = new MemoryStream();
        git.StandardOutput.BaseStream.CopyTo(output);
        git.WaitForExit();
        if (git.ExitCode != 0)
        {
            throw new BadInputException($"{what} in {repository} failed: {stderr.Result.Trim()}");
        }

        return output.ToArray();
    }
}
