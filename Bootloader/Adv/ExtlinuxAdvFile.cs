using Webc.BootSafe.Medium.Errors;
using Webc.BootSafe.StateMachine.Ports;

namespace Webc.BootSafe.Bootloader.Adv;

/// <summary>
/// The ADV of an extlinux install directory: the last 1024 bytes of ldlinux.sys (extlinux.sys on old
/// installs). The boot code reads and writes those two sectors by number, so the file is only ever
/// rewritten in place; the storage port lifts and restores the immutable flag around the write.
/// </summary>
public sealed class ExtlinuxAdvFile
{
    public const string BootImageName = "ldlinux.sys";

    public const string LegacyBootImageName = "extlinux.sys";

    private readonly IMediumStorage storage;
    private readonly IFileSystemProbe fileSystems;

    public ExtlinuxAdvFile(string installDirectory, IMediumStorage storage)
        : this(installDirectory, storage, StatfsProbe.Instance)
    {
    }

    public ExtlinuxAdvFile(string installDirectory, IMediumStorage storage, IFileSystemProbe fileSystems)
    {
        InstallDirectory = installDirectory;
        this.storage = storage;
        this.fileSystems = fileSystems;
        var legacy = Path.Combine(installDirectory, LegacyBootImageName);
        var current = Path.Combine(installDirectory, BootImageName);
        BootImagePath = !storage.FileExists(current) && storage.FileExists(legacy) ? legacy : current;
    }

    public string InstallDirectory { get; }

    /// <summary>ldlinux.sys, or extlinux.sys when only that exists.</summary>
    public string BootImagePath { get; }

    /// <summary>The ADV as ldlinux would read it at the next boot.</summary>
    public AdvReadResult Read() => AdvCodec.Decode(Tail(Load().Bytes));

    /// <summary>Throws, writing nothing, when <see cref="Write"/> would refuse: no boot image, or no valid ADV copy.</summary>
    public void RequireWritable()
    {
        if (Read().BothInvalid)
        {
            throw BothCorrupt();
        }
    }

    /// <summary>
    /// Writes <paramref name="adv"/> over both copies in place, syncs, reads back and verifies.
    /// Refuses (writing nothing) when neither copy is valid: what else lives there is then unknown.
    /// Writes nothing when the bytes are already there.
    /// </summary>
    public void Write(Adv adv)
    {
        var (image, bytes) = Load();
        var current = AdvCodec.Decode(Tail(bytes));
        if (current.BothInvalid)
        {
            throw BothCorrupt();
        }

        var encoded = AdvCodec.Encode(adv);
        if (Tail(bytes).SequenceEqual(encoded))
        {
            return;
        }

        try
        {
            storage.WriteInPlace(BootImagePath, image.AdvOffset, encoded);
            storage.Sync(BootImagePath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OperationFailedException($"could not write the ADV in {BootImagePath}: {e.Message}", e);
        }

        Verify(image, adv, encoded);
    }

    /// <summary>Reads, applies <paramref name="change"/> (which keeps the records it does not touch), writes; returns the new ADV.</summary>
    public Adv Update(Func<Adv, Adv> change)
    {
        var next = change(Read().Adv);
        Write(next);
        return next;
    }

    private (ExtlinuxBootImage Image, byte[] Bytes) Load()
    {
        if (!storage.DirectoryExists(InstallDirectory))
        {
            throw new BadInputException($"extlinux install directory {InstallDirectory} does not exist");
        }

        AdvFileSystems.RequireSupported(InstallDirectory, fileSystems.FileSystemType(InstallDirectory));
        if (!storage.FileExists(BootImagePath))
        {
            throw new BadInputException(
                $"extlinux install directory {InstallDirectory} has no {BootImageName} or {LegacyBootImageName} (install with extlinux --install)");
        }

        var bytes = storage.ReadAllBytes(BootImagePath);
        return (ExtlinuxBootImage.Parse(bytes, BootImagePath), bytes);
    }

    private void Verify(ExtlinuxBootImage image, Adv adv, byte[] encoded)
    {
        var after = storage.ReadAllBytes(BootImagePath);
        if (after.Length != image.Size || !Tail(after).SequenceEqual(encoded) || AdvCodec.Decode(Tail(after)).Adv != adv)
        {
            throw new OperationFailedException(
                $"ADV written to {BootImagePath} did not read back as written (size {image.Size} -> {after.Length}); the next boot may see the old or an empty ADV");
        }
    }

    private OperationFailedException BothCorrupt() => new(
        $"both ADV copies at the end of {BootImagePath} are corrupt (bad magic or checksum); nothing was written. " +
        $"Reset them with: extlinux --update {InstallDirectory}");

    private static ReadOnlySpan<byte> Tail(byte[] bytes) => bytes.AsSpan(bytes.Length - AdvCodec.Size);
}
