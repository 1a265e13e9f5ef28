using Webc.BootSafe.Specs.Support;
using System.Diagnostics;

namespace Webc.BootSafe.Specs.Fetch.Support;

/// <summary>
/// Keys and signatures made once by the real ssh-keygen, and ssh-keygen -Y run as the peer whose
/// verdict ours must equal: four ed25519 keys (the fourth is listed in no generated file unless
/// chosen), an ecdsa key (a well-formed line we never match), and a payload signed by each ed25519
/// key in namespace git and in namespace file.
/// </summary>
public sealed class SshKeygenPeer : IDisposable
{
    public const int KeyCount = 4;

    private readonly TempDirectory _dir = new("allowed-signers");

    public SshKeygenPeer()
    {
        for (var i = 0; i < KeyCount; i++)
        {
            var key = _dir.Combine($"k{i}");
            Proc.Run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", $"k{i}", "-f", key]);
            PublicKeys.Add(File.ReadAllText(key + ".pub").Split(' ')[1]);
            foreach (var ns in Namespaces)
            {
                var payload = _dir.Combine($"payload-{i}-{ns}");
                File.WriteAllText(payload, Payload);
                Proc.Run("ssh-keygen", ["-q", "-Y", "sign", "-n", ns, "-f", key, payload]);
                Signatures[(i, ns)] = payload + ".sig";
            }
        }

        var ecdsa = _dir.Combine("ecdsa");
        Proc.Run("ssh-keygen", ["-q", "-t", "ecdsa", "-N", "", "-f", ecdsa]);
        EcdsaLine = File.ReadAllText(ecdsa + ".pub").Trim();
        File.WriteAllText(_dir.Combine("payload"), Payload);
        File.WriteAllText(_dir.Combine("tampered"), Payload.Replace("v2", "v3", StringComparison.Ordinal));
    }

    public static string[] Namespaces { get; } = ["git", "file"];

    public string Payload { get; } = "tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\nauthor Spec <spec@example.org> 1700000000 +0000\n\nv2\n";

    /// <summary>The base64 of each ed25519 public key, as in a .pub file.</summary>
    public List<string> PublicKeys { get; } = [];

    public Dictionary<(int Key, string Ns), string> Signatures { get; } = [];

    public string EcdsaLine { get; }

    public string PayloadFile(bool tampered) => _dir.Combine(tampered ? "tampered" : "payload");

    public string WriteAllowedSigners(string content)
    {
        var path = _dir.Combine($"allowed-{Guid.NewGuid():N}");
        File.WriteAllBytes(path, System.Text.Encoding.Latin1.GetBytes(content));
        return path;
    }

    /// <summary>ssh-keygen with the exit code and raw stdout (never throws on a non-zero exit).</summary>
    public static (int Exit, string Stdout, string Stderr) Run(IEnumerable<string> args, string? stdinFile = null)
    {
        var info = new ProcessStartInfo("ssh-keygen")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (stdinFile is not null)
        {
            p.StandardInput.BaseStream.Write(File.ReadAllBytes(stdinFile));
        }

        p.StandardInput.Close();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    public void Dispose() => _dir.Dispose();
}
