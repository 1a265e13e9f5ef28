using System.Text;
using Webc.BootSafe.Medium.Errors;

namespace Webc.BootSafe.Fetch.Verification;

/// <summary>
/// Reads an OpenSSH allowed_signers file (ssh-keygen(1), ALLOWED SIGNERS): <c>principals [options]
/// keytype base64-key [comment]</c>. Only ed25519 keys are used; a key restricted by
/// <c>namespaces=</c> to namespaces other than <c>git</c> is skipped, as ssh-keygen would.
/// </summary>
public static class AllowedSignersFile
{
    public const string Ed25519 = "ssh-ed25519";

    public static IReadOnlyList<SshTrustedKey> Parse(string text, string path)
    {
        var keys = new List<SshTrustedKey>();
        var lineNumber = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            var typeAt = Array.FindIndex(fields, f => f.StartsWith("ssh-", StringComparison.Ordinal) || f.StartsWith("ecdsa-", StringComparison.Ordinal) || f.StartsWith("sk-", StringComparison.Ordinal));
            if (typeAt < 1 || typeAt + 1 >= fields.Length)
            {
                throw new BadInputException($"{path} line {lineNumber}: expected 'principals [options] keytype key'");
            }

            if (fields[typeAt] != Ed25519)
            {
                continue;
            }

            var options = string.Join(' ', fields[1..typeAt]);
            if (options.Contains("namespaces=", StringComparison.Ordinal) && !NamespacesAllowGit(options))
            {
                continue;
            }

            keys.Add(new SshTrustedKey(fields[0], Ed25519Key(fields[typeAt + 1], path, lineNumber)));
        }

        return keys;
    }

    private static bool NamespacesAllowGit(string options)
    {
        var start = options.IndexOf("namespaces=", StringComparison.Ordinal) + "namespaces=".Length;
        var list = options[start..].Trim('"').Split('"')[0];
        return list.Split(',').Any(n => n.Trim() is "git" or "*");
    }

    private static byte[] Ed25519Key(string base64, string path, int line)
    {
        try
        {
            var wire = new SshWire(Convert.FromBase64String(base64));
            var type = Encoding.ASCII.GetString(wire.String());
            var key = wire.String();
            return type == Ed25519 && key.Length == 32
                ? key.ToArray()
                : throw new BadInputException($"{path} line {line}: not an ed25519 public key");
        }
        catch (Exception e) when (e is FormatException)
        {
            throw new BadInputException($"{path} line {line}: the key is not valid base64 SSH key data", e);
        }
    }
}
