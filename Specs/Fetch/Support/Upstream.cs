namespace Webc.BootSafe.Specs.Fetch.Support;

/// <summary>The publisher's repository, built with the git CLI, commits signed by real ssh-keygen or gpg.</summary>
public sealed class Upstream
{
    public const string Kernel = "boot/vmlinuz-6.1.0-9-amd64";
    public const string Initrd = "boot/initrd.img-6.1.0-9-amd64";

    public Upstream(string path)
    {
        Path = path;
        Directory.CreateDirectory(path);
        Git("init", "-q", "-b", "master");
    }

    public string Path { get; }

    public string Git(params string[] args) => Proc.Run("git", args, Path);

    /// <summary>Writes files (null deletes), commits them signed as asked, returns the commit id.</summary>
    public string Commit(string message, Signers? signer, Signing signing, IDictionary<string, string?>? files = null, bool withKernel = true)
    {
        var all = new Dictionary<string, string?>(files ?? new Dictionary<string, string?>());
        if (withKernel)
        {
            all.TryAdd(Kernel, "kernel " + message);
            all.TryAdd(Initrd, "initrd " + message);
        }

        all.TryAdd("etc/version", message);
        foreach (var (name, content) in all)
        {
            var full = System.IO.Path.Combine(Path, name);
            if (content is null)
            {
                File.Delete(full);
                continue;
            }

            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
            File.WriteAllText(full, content);
        }

        Git("add", "-A");
        Git([.. SignArgs(signer, signing), "commit", "-q", "--allow-empty", "-m", message]);
        return Git("rev-parse", "HEAD");
    }

    /// <summary>Points master at a commit object written by hand (tampered, odd trees).</summary>
    public void ForceBranch(string sha) => Git("update-ref", "refs/heads/master", sha);

    public static IEnumerable<string> SignArgs(Signers? signer, Signing signing) => signing switch
    {
        Signing.Ssh => ["-c", "gpg.format=ssh", "-c", $"user.signingkey={signer!.SshKey}", "-c", "commit.gpgsign=true"],
        Signing.Gpg => ["-c", "gpg.format=openpgp", "-c", $"user.signingkey={signer!.GpgFingerprint}", "-c", "commit.gpgsign=true",
            "-c", $"gpg.program={GpgWrapper(signer)}"],
        _ => ["-c", "commit.gpgsign=false"],
    };

    // git runs gpg with the inherited environment; a wrapper pins GNUPGHOME to the signer's.
    private static string GpgWrapper(Signers signer)
    {
        var wrapper = signer.GnuPgHome + ".sh";
        if (!File.Exists(wrapper))
        {
            File.WriteAllText(wrapper, $"#!/bin/sh\nexec gpg --homedir '{signer.GnuPgHome}' \"$@\"\n");
            Proc.Run("chmod", ["700", wrapper]);
        }

        return wrapper;
    }
}
