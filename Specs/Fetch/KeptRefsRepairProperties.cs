using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using LibGit2Sharp;
using Webc.BootSafe.Fetch.Git;
using Webc.BootSafe.Medium.Storage;
using Webc.BootSafe.Specs.Fetch.Support;
using Webc.BootSafe.StateMachine.Slots;

namespace Webc.BootSafe.Specs.Fetch;

/// <summary>
/// The kept refs are derived from the record, so whatever a power cut, a flipped byte, an edit or an
/// operator's `git pack-refs` left of them, one Sync makes them the record's again (read back with the
/// git CLI) and libgit2 can list every ref afterwards: a damaged kept ref never stops a fetch (S6).
/// </summary>
public sealed class KeptRefsRepairProperties
{
    private static readonly string[] Names = ["known-good", "trial", "previous"];

    // Index 4 is a revision the repository lacks: its ref must go.
    public sealed record Case(int[] Before, int[] After, bool Packed, (int Ref, string Damage)[] Damages);

    private static Gen<int[]> Slots() =>
        from knownGood in Gen.Choose(0, 4)
        from trial in Gen.Choose(-1, 4)
        from previous in Gen.Choose(-1, 4)
        select new[] { knownGood, trial, previous };

    private static Arbitrary<Case> Cases() =>
        (from before in Slots()
         from after in Slots()
         from packed in Gen.Elements(true, false)
         from damages in (from r in Gen.Choose(0, Names.Length - 1)
                          from d in Gen.Elements("empty", "truncated", "flipped", "garbage", "symbolic", "lock-left")
                          select (r, d)).ArrayOf()
         select new Case(before, after, packed, damages)).ToArbitrary();

    [Property(MaxTest = 40)]
    public Property One_sync_makes_every_kept_ref_the_records_whatever_was_left_of_them() => Prop.ForAll(Cases(), c =>
    {
        using var dir = new TempDirectory("bootsafe-keptrefs");
        var repo = dir.Combine("r.git");
        var commits = CommitChain.Make(repo, 4);
        var storage = new PosixMediumStorage();
        using (var repository = new Repository(repo))
        {
            KeptRefs.Sync(repository, storage, Record(c.Before, commits));
        }

        if (c.Packed)
        {
            Processes.Run("git", ["-C", repo, "pack-refs", "--all"]);
        }

        foreach (var (r, damage) in c.Damages)
        {
            Damage(Path.Combine(repo, "refs", "bootsafe", Names[r]), damage);
        }

        var record = Record(c.After, commits);
        using (var repository = new Repository(repo))
        {
            KeptRefs.Sync(repository, storage, record);
            _ = repository.Refs.Select(r => r.TargetIdentifier).ToList();
        }

        var expected = Expected(record, commits);
        var actual = Actual(repo);
        var fsck = Processes.Try("git", ["-C", repo, "fsck", "--no-dangling"]);
        var complaints = fsck.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith("notice: ", StringComparison.Ordinal));
        return (expected == actual && fsck.ExitCode == 0 && !complaints.Any())
            .Label($"expected {expected}\nactual   {actual}\nfsck {fsck}");
    });

    private static SlotRecord Record(int[] slots, string[] commits)
    {
        Revision? At(int i) => i < 0 ? null : Revision.Parse(i < commits.Length ? commits[i] : new string('e', 40));
        return SlotRecord.Initial(At(Math.Max(slots[0], 0))!.Value) with { Trial = At(slots[1]), Previous = At(slots[2]) };
    }

    private static string Expected(SlotRecord r, string[] commits)
    {
        string Present(Revision? v) => v is { } x && commits.Contains(x.Sha) ? x.Sha : "-";
        return $"known-good={Present(r.KnownGood)} trial={Present(r.Trial)} previous={Present(r.Previous)}";
    }

    private static string Actual(string repo)
    {
        var refs = CommitChain.BootSafeRefs(repo);
        return string.Join(" ", Names.Select(n => $"{n}={(refs.TryGetValue(n, out var sha) ? sha : "-")}"));
    }

    private static void Damage(string path, string damage)
    {
        // `git pack-refs` removes the emptied refs/bootsafe directory.
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var bytes = File.Exists(path) && new FileInfo(path).Length >= 3 ? File.ReadAllBytes(path) : "0123456789012345678901234567890123456789\n"u8.ToArray();
        switch (damage)
        {
            case "empty":
                File.WriteAllBytes(path, []);
                break;
            case "truncated":
                File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
                break;
            case "flipped":
                bytes[bytes.Length / 3] ^= 0x40;
                File.WriteAllBytes(path, bytes);
                break;
            case "garbage":
                File.WriteAllBytes(path, "\0\0\0\0not a ref\n"u8.ToArray());
                break;
            case "symbolic":
                File.WriteAllBytes(path, "ref: refs/heads/nowhere\n"u8.ToArray());
                break;
            default:
                // A lock file a killed writer (git's or ours) left behind.
                File.WriteAllBytes(path + ".lock", bytes[..3]);
                break;
        }
    }
}
