using System.Diagnostics;
using Webc.BootSafe.Medium.Errors;

namespace Webc.BootSafe.Updates.Publish;

/// <summary>
/// A root filesystem tarball, unpacked by GNU tar (as root: owners, modes, device nodes, xattrs and
/// ACLs restored) into a temporary directory, which is then read like any root directory. Not
/// System.Formats.Tar: it decodes PAX values as UTF-8 text, which corrupts binary xattr values such
/// as SCHILY.xattr.security.capability; tar itself is the reference for what a tarball means.
/// </summary>
public sealed class RootTarball : IDisposable
{
    public string Directory { get; }

    private RootTarball(string directory) => Directory = directory;

    public static bool IsTarball(string source) => File.Exists(source);

    public static RootTarball Unpack(string tarball)
    {
        var directory = Path.Combine(Path.GetTempPath(), $"webc-commit-root-{Environment.ProcessId}-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(directory);
        var unpacked = new RootTarball(directory);
        try
        {
            var start = new ProcessStartInfo("tar")
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            foreach (var arg in new[]
                     {
                         "--extract", "--file", tarball, "--directory", directory, "--numeric-owner", "--same-owner",
                         "--preserve-permissions", "--xattrs", "--xattrs-include=*", "--acls", "--no-overwrite-dir",
                     })
            {
                start.ArgumentList.Add(arg);
            }

            using var tar = Process.Start(start) ?? throw new OperationFailedException("tar: could not start");
            var stderr = tar.StandardError.ReadToEndAsync();
            tar.StandardOutput.ReadToEnd();
            tar.WaitForExit();
            if (tar.ExitCode != 0)
            {
                throw new BadInputException($"{tarball}: tar could not unpack it (exit {tar.ExitCode}): {stderr.Result.Trim()}");
            }

            return unpacked;
        }
        catch
        {
            unpacked.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        // Unpacked as root with immutable-free plain files: a recursive delete is enough.
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
