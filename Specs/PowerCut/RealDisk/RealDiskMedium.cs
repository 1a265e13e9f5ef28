using Webc.BootSafe.Specs.BootPath;
using Webc.BootSafe.Specs.Lab;
using Webc.BootSafe.StateMachine.Ports;
using Webc.BootSafe.StateMachine.Slots;

namespace Webc.BootSafe.Specs.PowerCut.RealDisk;

/// <summary>
/// A boot medium on a real loop-mounted ext4: the real <c>extlinux --install</c> in boot/extlinux,
/// live/filesystem.git (a bare clone made with the git CLI) holding revisions whose boot/vmlinuz-*
/// and boot/initrd.img-* are a few MiB of random bytes (so `stage` takes measurable time), and the
/// medium set up as an operator does: <c>init --revision r1</c>, <c>bootloader sync</c>.
/// </summary>
public sealed class RealDiskMedium : IDisposable
{
    private const int KernelBytes = 3 << 20;
    private const int InitrdBytes = 5 << 20;

    private readonly RemountableExt4 _disk;

    private readonly Dictionary<Revision, (string Kernel, string Initrd)> _hashes;

    private RealDiskMedium(RemountableExt4 disk, Dictionary<Revision, (string Kernel, string Initrd)> hashes, IReadOnlyList<Revision> revisions)
    {
        _disk = disk;
        _hashes = hashes;
        Revisions = revisions;
    }

    public RemountableExt4 Disk => _disk;

    public MediumLayout Layout => new(_disk.Root);

    /// <summary>r1 (known-good after init), r2, r3, ...</summary>
    public IReadOnlyList<Revision> Revisions { get; }

    public static RealDiskMedium Create(int revisions)
    {
        var disk = RemountableExt4.Create(sizeMiB: 192);
        try
        {
            var extlinux = Path.Combine(disk.Root, "boot", "extlinux");
            Directory.CreateDirectory(extlinux);
            Run.Command("extlinux", "--install", extlinux);
            using var source = new TempDirectory("bootsafe-realdisk-src");
            var hashes = new Dictionary<Revision, (string Kernel, string Initrd)>();
            var made = Commits(source.Path, revisions, hashes);
            Directory.CreateDirectory(Path.Combine(disk.Root, "live"));
            Run.Command("git", "clone", "-q", "--bare", source.Path, Path.Combine(disk.Root, "live", "filesystem.git"));
            var medium = new RealDiskMedium(disk, hashes, made);
            medium.Ok("init", "--revision", made[0].Sha);
            // An unsigned test channel: `stage` runs fetch's checks, with this policy.
            File.WriteAllText(Path.Combine(disk.Root, "live", "bootsafe", "config.yaml"), "allow-unsigned: true\n");
            medium.Ok("bootloader", "sync");
            return medium;
        }
        catch
        {
            disk.Dispose();
            throw;
        }
    }

    /// <summary>The AOT CLI on this medium, to completion.</summary>
    public ProcessResult Cli(params string[] arguments) =>
        ProcessResult.Run(AotBinary.Path, ["--medium", _disk.Root, .. arguments], timeout: TimeSpan.FromMinutes(2));

    public ProcessResult Ok(params string[] arguments)
    {
        var result = Cli(arguments);
        return result.ExitCode == 0
            ? result
            : throw new InvalidOperationException($"webc-bootsafe {string.Join(' ', arguments)}: {result}");
    }

    public void Dispose() => _disk.Dispose();

    /// <summary>Null when the revision's kernel and initrd are in live/ with the revision's exact content, else what is wrong.</summary>
    public string? MissingFiles(Revision revision)
    {
        var (kernel, initrd) = _hashes[revision];
        string? Check(string path, string hash) =>
            !File.Exists(path) ? $"{path} is missing"
            : Hash(File.ReadAllBytes(path)) != hash ? $"{path} is not the whole file of {revision.Short}"
            : null;
        return Check(Layout.KernelFile(revision), kernel) ?? Check(Layout.InitrdFile(revision), initrd);
    }

    private static string Hash(byte[] bytes) => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(bytes));

    private static List<Revision> Commits(string source, int count, Dictionary<Revision, (string Kernel, string Initrd)> hashes)
    {
        Run.Command("git", "init", "-q", source);
        var boot = Path.Combine(source, "boot");
        Directory.CreateDirectory(boot);
        var made = new List<Revision>();
        for (var n = 1; n <= count; n++)
        {
            foreach (var old in Directory.EnumerateFiles(boot))
            {
                File.Delete(old);
            }

            // Distinct, incompressible content per revision, the same in every run.
            var random = new Random(n);
            var kernel = Bytes(random, KernelBytes);
            var initrd = Bytes(random, InitrdBytes);
            File.WriteAllBytes(Path.Combine(boot, $"vmlinuz-6.1.0-{n}-amd64"), kernel);
            File.WriteAllBytes(Path.Combine(boot, $"initrd.img-6.1.0-{n}-amd64"), initrd);
            Run.Command("git", "-C", source, "add", "-A");
            Run.Command("git", "-C", source, "-c", "user.email=specs@example.org", "-c", "user.name=specs", "commit", "-q", "-m", $"r{n}");
            var revision = Revision.Parse(Run.Command("git", "-C", source, "rev-parse", "HEAD").Trim());
            hashes[revision] = (Hash(kernel), Hash(initrd));
            made.Add(revision);
        }

        return made;
    }

    private static byte[] Bytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
