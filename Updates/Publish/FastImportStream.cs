using System.Diagnostics;
using System.Text;
using Webc.BootSafe.Medium.Errors;

namespace Webc.BootSafe.Updates.Publish;

/// <summary>
/// Writes a root's blobs and trees with one `git fast-import` (streamed: no process per file, no
/// index), as an unsigned scratch commit on a temporary ref whose tree commit-root then signs.
/// </summary>
public static class FastImportStream
{
    /// <summary>Imports the files and returns the tree id; the scratch ref is deleted again.</summary>
    public static string WriteTree(GitCli git, RootTree tree, string? metadataYaml)
    {
        var scratch = $"refs/bootsafe/commit-root-{Environment.ProcessId}-{Guid.NewGuid():N}";
        try
        {
            using var import = Process.Start(git.Start(["fast-import", "--quiet", "--done"], stdin: true))
                ?? throw new OperationFailedException("git fast-import: could not start");
            var stderr = import.StandardError.ReadToEndAsync();
            var stdout = import.StandardOutput.ReadToEndAsync();
            var input = import.StandardInput.BaseStream;
            try
            {
                Write(input, $"commit {scratch}\ncommitter webc-bootsafe <commit-root@localhost> 0 +0000\ndata 0\n");
                foreach (var entry in tree.Entries.Where(e => e.InGit))
                {
                    var full = tree.FullPath(entry);
                    if (entry.Type == Mount.Metadata.RootEntryType.Symlink)
                    {
                        // RootTree refused targets that are not valid UTF-8, so the text is the bytes.
                        Inline(input, "120000", entry.Path, Encoding.UTF8.GetBytes(new FileInfo(full).LinkTarget ?? ""));
                        continue;
                    }

                    using var content = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
                    Write(input, $"M {(entry.IsExecutable ? "100755" : "100644")} inline {Quote(entry.Path)}\ndata {content.Length}\n");
                    var copied = CopyExactly(content, input, content.Length);
                    if (copied != content.Length)
                    {
                        throw new OperationFailedException($"{full}: changed size while being read ({copied} of {content.Length} bytes)");
                    }

                    Write(input, "\n");
                }

                if (metadataYaml is not null)
                {
                    Inline(input, "100644", Mount.Metadata.MetadataRules.FilePath, Encoding.UTF8.GetBytes(metadataYaml));
                }

                Write(input, "\ndone\n");
                input.Close();
            }
            catch (IOException e) when (import.HasExited || e.Message.Contains("pipe", StringComparison.OrdinalIgnoreCase))
            {
                import.WaitForExit();
                throw new OperationFailedException($"git fast-import: {stderr.Result.Trim()} (exit {import.ExitCode})", e);
            }

            import.WaitForExit();
            _ = stdout.Result;
            if (import.ExitCode != 0)
            {
                throw new OperationFailedException($"git fast-import: {stderr.Result.Trim()} (exit {import.ExitCode})");
            }

            return git.Run(["rev-parse", "--verify", scratch + "^{tree}"])!;
        }
        finally
        {
            git.Run(["update-ref", "-d", scratch], allowFailure: true);
        }
    }

    private static void Inline(Stream input, string mode, string path, byte[] data)
    {
        Write(input, $"M {mode} inline {Quote(path)}\ndata {data.Length}\n");
        input.Write(data);
        Write(input, "\n");
    }

    private static long CopyExactly(Stream from, Stream to, long length)
    {
        var buffer = new byte[1 << 16];
        long done = 0;
        while (done < length)
        {
            var n = from.Read(buffer, 0, (int)Math.Min(buffer.Length, length - done));
            if (n == 0)
            {
                break;
            }

            to.Write(buffer, 0, n);
            done += n;
        }

        return done;
    }

    // Latin-1: the command lines are ASCII except a quoted path, which Quote left as one char per byte.
    private static void Write(Stream input, string text) => input.Write(Encoding.Latin1.GetBytes(text));

    /// <summary>fast-import's C-style quoted path: every byte that could end or confuse the line escaped in octal.</summary>
    private static string Quote(string path)
    {
        var quoted = new StringBuilder("\"");
        foreach (var b in Encoding.UTF8.GetBytes(path))
        {
            if (b is < 0x20 or 0x7F or (byte)'"' or (byte)'\\')
            {
                quoted.Append('\\').Append(Convert.ToString(b, 8).PadLeft(3, '0'));
            }
            else
            {
                quoted.Append((char)b);
            }
        }

        return quoted.Append('"').ToString();
    }
}
