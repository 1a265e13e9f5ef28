using System.Security.Cryptography;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Webc.BootSafe.Git;
using Webc.BootSafe.Specs.Lab;
using Webc.BootSafe.Specs.Support;

namespace Webc.BootSafe.Specs.Git;

/// <summary>
/// A fetch judges only the trees its update changed from known-good
/// (<see cref="CommitReader.CheckTrees"/> with an accepted root). Over generated hierarchies, an
/// accepted revision that passes the rules and a candidate made from it by random edits (files
/// changed, added or removed, directories added, removed or left alone, and flaws the rules refuse
/// planted anywhere: a <c>.git</c> entry, a duplicate, an unsorted tree, a zero-padded mode):
/// <list type="bullet">
/// <item>the verdict is the full walk's, word for word: skipping never lets a flaw through;</item>
/// <item>a candidate that passes is judged by reading exactly the trees <c>git diff-tree -r -t</c>
/// names as changed (plus a changed root), and the full walk reads every tree <c>git ls-tree -r -t</c> lists.</item>
/// </list>
/// The objects are written by git (<c>hash-object --literally</c>), which must name each tree as
/// the generator does.
/// </summary>
public sealed class AcceptedTreeWalkProperties : IDisposable
{
    private readonly TempDirectory _dir = new("accepted-walk");
    private readonly string[] _blobs;

    public AcceptedTreeWalkProperties()
    {
        Run.Command("git", "init", "-q", "--bare", Repo);
        _blobs = Enumerable.Range(0, 4).Select(i =>
        {
            var file = _dir.Combine($"blob{i}");
            File.WriteAllText(file, $"content {i}\n");
            return Run.Command("git", "-C", Repo, "hash-object", "-w", file).Trim();
        }).ToArray();
    }

    public void Dispose() => _dir.Dispose();

    private string Repo => _dir.Combine("repo.git");

    public enum Flaw { None, DotGit, Duplicate, Unsorted, ZeroPaddedMode }

    /// <summary>A directory: files (name, which blob) and subdirectories, and a flaw its tree carries.</summary>
    public sealed record Dir(IReadOnlyList<(string Name, int Blob)> Files, IReadOnlyList<(string Name, Dir Sub)> Dirs, Flaw Flaw)
    {
        /// <summary>How many flawed trees it holds, itself included.</summary>
        public int Flaws => (Flaw == Flaw.None ? 0 : 1) + Dirs.Sum(d => d.Sub.Flaws);

        public override string ToString() =>
            "{" + string.Join(", ", Files.Select(f => $"{f.Name}={f.Blob}").Concat(Dirs.Select(d => $"{d.Name}/{d.Sub}"))) + (Flaw == Flaw.None ? "" : $" !{Flaw}") + "}";
    }

    public sealed record Case(Dir Accepted, Dir Candidate)
    {
        public override string ToString() => $"accepted {Accepted}\ncandidate {Candidate}";
    }

    private static readonly string[] FileNames = ["a", "b", "c.txt", "d-e", "f"];
    private static readonly string[] DirNames = ["bin", "etc", "lib", "usr", "x"];

    private static Gen<Dir> Valid(int depth) =>
        from names in Gen.SubListOf(FileNames)
        from blobs in Gen.ArrayOf(Gen.Choose(0, 3), names.Count)
        from dirNames in depth == 0 ? Gen.Constant(new List<string>()) : Gen.SubListOf(DirNames).Select(l => l.ToList())
        from subs in Gen.CollectToList(dirNames.Select(_ => Valid(depth - 1)))
        select new Dir(names.Zip(blobs).ToList(), dirNames.Zip(subs).ToList(), Flaw.None);

    /// <summary>The candidate: most directories unchanged (a fetch's update touches a few), some edited, some flawed.</summary>
    private static Gen<Dir> Edited(Dir accepted, int depth) =>
        Gen.Frequency(
            (5, Gen.Constant(accepted)),
            (4, from files in EditedFiles(accepted.Files)
                from dirs in EditedDirs(accepted.Dirs, depth)
                from flaw in Gen.Frequency((4, Gen.Constant(Flaw.None)), (1, Gen.Elements(Flaw.DotGit, Flaw.Duplicate, Flaw.Unsorted, Flaw.ZeroPaddedMode)))
                select new Dir(files, dirs, flaw)));

    private static Gen<IReadOnlyList<(string Name, int Blob)>> EditedFiles(IReadOnlyList<(string Name, int Blob)> files) =>
        from kept in Gen.CollectToList(files.Select(f => Gen.Frequency(
            (6, Gen.Constant<(string, int)?>(f)),
            (2, Gen.Choose(0, 3).Select(b => ((string, int)?)(f.Name, b))),
            (1, Gen.Constant<(string, int)?>(null)))))
        from addedCount in Gen.Choose(0, 2)
        from added in Gen.ArrayOf(Gen.Zip(Gen.Elements(FileNames.Append("new").ToArray()), Gen.Choose(0, 3)), addedCount)
        select (IReadOnlyList<(string, int)>)kept.OfType<(string, int)>()
            .Concat(added.Select(a => (a.Item1, a.Item2)))
            .DistinctBy(f => f.Item1).ToList();

    private static Gen<IReadOnlyList<(string Name, Dir Sub)>> EditedDirs(IReadOnlyList<(string Name, Dir Sub)> dirs, int depth) =>
        from kept in Gen.CollectToList(dirs.Select(d => Gen.Frequency(
            (8, Edited(d.Sub, depth - 1).Select(s => ((string, Dir)?)(d.Name, s))),
            (1, Gen.Constant<(string, Dir)?>(null)))))
        from added in depth == 0 ? Gen.Constant<(string, Dir)[]>([]) : Gen.OneOf(Valid(0).Select(v => new[] { ("new-dir", v) }), Gen.Constant<(string, Dir)[]>([]))
        select (IReadOnlyList<(string, Dir)>)kept.OfType<(string, Dir)>().Concat(added).ToList();

    private static Arbitrary<Case> Cases() =>
        (from accepted in Valid(3)
         from candidate in Edited(accepted, 3)
         select new Case(accepted, candidate)).ToArbitrary();

    [Fact]
    public void Judging_only_what_changed_from_an_accepted_revision_gives_the_full_walks_verdict_and_reads_what_git_diff_tree_names()
    {
        Prop.ForAll(Cases(), Holds).Check(Config.QuickThrowOnFailure.WithMaxTest(60));
    }

    [Fact]
    public void An_accepted_tree_that_cannot_be_read_is_no_reason_to_refuse_the_walk_then_reads_every_tree()
    {
        var c = Cases().Generator.Sample(1, 1).Single() is var sample && sample.Candidate.Flaws == 0 ? sample : sample with { Candidate = sample.Accepted };
        var (_, _, candidateTree, candidateCommit) = Write(c);
        using var reader = CommitReader.Open(Repo);
        var candidate = reader.Lookup(Id(candidateCommit));
        var missing = Id(Convert.ToHexStringLower(SHA1.HashData("not in the repository"u8)));

        Assert.Equal(GitTrees(candidateTree), reader.CheckTrees(candidate, missing));
    }

    private bool Holds(Case c)
    {
        var (acceptedTree, acceptedCommit, candidateTree, candidateCommit) = Write(c);
        using var reader = CommitReader.Open(Repo);
        var accepted = reader.Lookup(Id(acceptedCommit));
        var candidate = reader.Lookup(Id(candidateCommit));
        Assert.Null(Verdict(() => reader.CheckTrees(accepted)).Refusal);

        var full = Verdict(() => reader.CheckTrees(candidate));
        var changed = Verdict(() => reader.CheckTrees(candidate, accepted.Tree));
        Assert.Equal(full.Refusal, changed.Refusal);
        Assert.Equal(c.Candidate.Flaws > 0, full.Refusal is not null);
        if (full.Refusal is null)
        {
            Assert.Equal(GitTrees(candidateTree), full.Read);
            Assert.Equal(GitChangedTrees(acceptedTree, candidateTree), changed.Read);
        }

        return true;
    }

    private static ObjectId Id(string hex) => ObjectId.TryParse(hex, out var id) ? id : throw new FormatException(hex);

    private static (string? Refusal, int Read) Verdict(Func<int> walk)
    {
        try
        {
            return (null, walk());
        }
        catch (TreeRuleException e)
        {
            return (e.Message, -1);
        }
    }

    /// <summary>Distinct trees of the candidate, by git: the root and every tree ls-tree lists.</summary>
    private int GitTrees(string tree) =>
        Run.Command("git", "-C", Repo, "ls-tree", "-r", "-t", tree).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' ', '\t')).Where(f => f[1] == "tree").Select(f => f[2]).Append(tree).Distinct().Count();

    /// <summary>Distinct trees the candidate changed from the accepted revision, by git diff-tree (and the root when it differs).</summary>
    private int GitChangedTrees(string acceptedTree, string candidateTree)
    {
        if (acceptedTree == candidateTree)
        {
            return 0;
        }

        return Run.Command("git", "-C", Repo, "diff-tree", "-r", "-t", acceptedTree, candidateTree).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' ', '\t')).Where(f => f[1] == "040000" && f[3] != new string('0', 40)).Select(f => f[3])
            .Append(candidateTree).Distinct().Count();
    }

    private (string AcceptedTree, string AcceptedCommit, string CandidateTree, string CandidateCommit) Write(Case c)
    {
        var trees = new Dictionary<string, byte[]>();
        var acceptedTree = Serialize(c.Accepted, trees);
        var candidateTree = Serialize(c.Candidate, trees);
        var files = new List<string>();
        foreach (var (id, body) in trees)
        {
            var file = _dir.Combine(id);
            File.WriteAllBytes(file, body);
            files.Add(file);
        }

        const string script = """
            set -e
            cd "$1"; shift 1
            acc=$1; cand=$2; shift 2
            for f in "$@"; do git hash-object -t tree --literally -w "$f"; done
            echo "commit $(git -c user.name=Spec -c user.email=spec@example.org commit-tree "$acc" -m accepted)"
            echo "commit $(git -c user.name=Spec -c user.email=spec@example.org commit-tree "$cand" -m candidate)"
            """;
        var lines = Run.Command("bash", ["-c", script, "write", Repo, acceptedTree, candidateTree, .. files]).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(trees.Keys, lines.Take(trees.Count)); // git names every tree as we do
        return (acceptedTree, lines[^2]["commit ".Length..], candidateTree, lines[^1]["commit ".Length..]);
    }

    private string Serialize(Dir dir, Dictionary<string, byte[]> trees)
    {
        var entries = dir.Files.Select(f => (Mode: "100644", f.Name, Id: _blobs[f.Blob], Key: f.Name))
            .Concat(dir.Dirs.Select(d => (Mode: "40000", d.Name, Id: Serialize(d.Sub, trees), Key: d.Name + "/")))
            .OrderBy(e => e.Key, StringComparer.Ordinal)
            .Select(e => (e.Mode, e.Name, e.Id))
            .ToList();
        switch (dir.Flaw)
        {
            case Flaw.DotGit:
                entries.Insert(0, ("100644", ".git", _blobs[0]));
                break;
            case Flaw.Duplicate:
                entries.Insert(0, entries.Count > 0 ? entries[0] : ("100644", "a", _blobs[0]));
                if (entries.Count == 1)
                {
                    entries.Add(entries[0]);
                }

                break;
            case Flaw.Unsorted:
                entries = [("100644", "zz", _blobs[0]), .. entries, ("100644", "aa", _blobs[1])];
                break;
            case Flaw.ZeroPaddedMode:
                entries.Add(("0100644", "zz-padded", _blobs[0]));
                break;
        }

        var body = new MemoryStream();
        foreach (var (mode, name, id) in entries)
        {
            body.Write(Encoding.ASCII.GetBytes($"{mode} {name}\0"));
            body.Write(Convert.FromHexString(id));
        }

        var bytes = body.ToArray();
        var id2 = Convert.ToHexStringLower(SHA1.HashData([.. Encoding.ASCII.GetBytes($"tree {bytes.Length}\0"), .. bytes]));
        trees[id2] = bytes;
        return id2;
    }
}
