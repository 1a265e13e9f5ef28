using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Webc.BootSafe.Fetch.Git;
using Webc.BootSafe.Medium.Storage;
using Webc.BootSafe.Specs.Fetch.Support;
using GitObjectId = Webc.BootSafe.Git.ObjectId;

namespace Webc.BootSafe.Specs.Fetch;

/// <summary>
/// The loose ref file the kept refs are written as. S6 (issue 17) failed on a kiosk whose
/// refs/bootsafe/previous a power cut had emptied: libgit2's ref write (lock file, rename, no fsync)
/// was not durable, and every fetch after it failed on "corrupted loose reference file".
/// </summary>
public sealed class LooseRefProperties
{
    private const string Refs = "/m/live/filesystem.git/refs/bootsafe";
    private static readonly string[] Names = ["known-good", "trial", "previous"];

    public sealed record Step(int Ref, int? Commit);

    private static Arbitrary<Step[]> Steps() =>
        (from r in Gen.Choose(0, Names.Length - 1)
         from write in Gen.Frequency((3, Gen.Constant(true)), (1, Gen.Constant(false)))
         from commit in Gen.Choose(0, 3)
         select new Step(r, write ? commit : null)).ArrayOf().ToArbitrary();

    private static GitObjectId Id(int commit)
    {
        GitObjectId.TryParse(Convert.ToHexStringLower(System.Security.Cryptography.SHA1.HashData([(byte)commit])), out var id);
        return id;
    }

    [Property(MaxTest = 200)]
    public Property A_power_cut_anywhere_leaves_each_ref_as_it_was_or_as_written_never_damaged() => Prop.ForAll(Steps(), steps =>
    {
        var storage = new RecordingMediumStorage();
        storage.CreateDirectory("/m/live/filesystem.git/refs");
        var durable = new LooseRefContent[Names.Length];
        Array.Fill(durable, LooseRefContent.Absent);
        var failures = new List<string>();
        Step? current = null;
        storage.AfterWrite = what =>
        {
            foreach (var image in storage.CrashImages())
            {
                for (var i = 0; i < Names.Length; i++)
                {
                    var seen = LooseRef.Read(image, $"{Refs}/{Names[i]}");
                    LooseRefContent written = current!.Commit is { } c ? new LooseRefContent.Points(Id(c)) : LooseRefContent.Absent;
                    var allowed = i == current.Ref ? new[] { durable[i], written } : [durable[i]];
                    if (!allowed.Contains(seen))
                    {
                        failures.Add($"after '{what}' in {current}: {Names[i]} is {seen}, expected one of {string.Join(", ", allowed.Select(a => a.ToString()))}");
                    }
                }
            }
        };

        foreach (var step in steps)
        {
            current = step;
            var path = $"{Refs}/{Names[step.Ref]}";
            if (step.Commit is { } c)
            {
                LooseRef.Write(storage, path, Id(c));
                durable[step.Ref] = new LooseRefContent.Points(Id(c));
            }
            else
            {
                LooseRef.Delete(storage, path);
                durable[step.Ref] = LooseRefContent.Absent;
            }
        }

        var end = Names.Select(n => LooseRef.Read(storage, $"{Refs}/{n}")).ToArray();
        return (failures.Count == 0 && end.SequenceEqual(durable)).Label(string.Join("\n", failures.Take(3)));
    });

    public sealed record Content(string Kind, byte[] Bytes);

    // What a ref file may hold: what git writes, and what a power cut, a flipped byte or an edit leaves.
    private static Arbitrary<Content> Contents() =>
        (from commit in Gen.Choose(0, 3)
         from kind in Gen.Elements("git", "empty", "truncated", "flipped", "appended", "upper", "no-newline", "symbolic", "zeros")
         from at in Gen.Choose(0, 40)
         from bit in Gen.Choose(0, 7)
         select Make(Repo.Value.Commits[commit], kind, at, bit)).ToArbitrary();

    private static Content Make(string hex, string kind, int at, int bit)
    {
        var git = Encoding.ASCII.GetBytes(hex + "\n");
        var bytes = kind switch
        {
            "git" => git,
            "empty" => [],
            "truncated" => git[..at],
            "flipped" => Flip(git, at, bit),
            "appended" => [.. git, .. "x\n"u8],
            "upper" => Encoding.ASCII.GetBytes(hex.ToUpperInvariant() + "\n"),
            "no-newline" => git[..^1],
            "symbolic" => "ref: refs/heads/master\n"u8.ToArray(),
            _ => new byte[git.Length],
        };
        return new Content(kind, bytes);
    }

    private static byte[] Flip(byte[] bytes, int at, int bit)
    {
        var copy = bytes.ToArray();
        copy[at] ^= (byte)(1 << bit);
        return copy;
    }

    /// <summary>
    /// Against git: a ref file read as pointing somewhere is read by git as pointing there, and
    /// every ref git itself writes is read as git reads it (anything else is rewritten by its owner).
    /// </summary>
    [Property(MaxTest = 40)]
    public Property What_it_reads_as_an_object_name_git_reads_as_the_same() => Prop.ForAll(Contents(), content =>
    {
        var repo = Repo.Value.Path;
        var name = $"refs/bootsafe/x{Interlocked.Increment(ref _cases)}";
        var path = Path.Combine(repo, name);
        if (content.Kind == "git")
        {
            Processes.Run("git", ["-C", repo, "update-ref", "--no-deref", name, Encoding.ASCII.GetString(content.Bytes).Trim()]);
        }
        else
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, content.Bytes);
        }

        try
        {
            var read = LooseRef.Read(new PosixMediumStorage(), path);
            var git = Processes.Try("git", ["-C", repo, "rev-parse", "--verify", "-q", name]);
            return (read switch
            {
                LooseRefContent.Points p => git.ExitCode == 0 && git.Stdout.Trim() == p.Id.ToString(),
                LooseRefContent.Damaged => content.Kind != "git",
                _ => false,
            }).Label($"{content.Kind}: read {read}, git {git.ExitCode} {git.Stdout.Trim()}");
        }
        finally
        {
            File.Delete(path);
        }
    });

    private static int _cases;

    private static readonly Lazy<(string Path, string[] Commits)> Repo = new(() =>
    {
        var dir = Directory.CreateTempSubdirectory("bootsafe-looseref-").FullName;
        return (dir, CommitChain.Make(dir, 4));
    });
}
