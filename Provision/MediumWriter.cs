using LibGit2Sharp;
using Webc.BootSafe.Bootloader.Adv;
using Webc.BootSafe.Bootloader.Extlinux;
using Webc.BootSafe.Bootloader.Kernels;
using Webc.BootSafe.Fetch.Git;
using Webc.BootSafe.Fetch.Params;
using Webc.BootSafe.Fetch.Verification;
using Webc.BootSafe.Medium.Errors;
using Webc.BootSafe.StateMachine.Ports;
using Webc.BootSafe.StateMachine.Slots;
using Webc.BootSafe.Medium.Storage;

namespace Webc.BootSafe.Provision;

/// <summary>
/// Fills a freshly made, mounted file system with BootSafe's medium: the repository, the revision's
/// kernel files and boot entries (through the Bootloader), config.yaml, and the slot record. All but
/// the repository copy go through the medium storage port like every later write.
/// </summary>
public sealed class MediumWriter(MediumLayout layout, IMediumStorage storage, InstallLog log)
{
    /// <summary>
    /// Copies the verified clone file by file. Git objects are immutable and the medium is not a
    /// medium until the installer finishes, so a plain copy is enough; the unmount writes it back.
    /// </summary>
    public void CopyRepository(string clone, long totalBytes, CancellationToken interrupted)
    {
        var meter = log.Meter("copy repository", totalBytes);
        long done = 0;
        foreach (var file in Directory.EnumerateFiles(clone, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            if (interrupted.IsCancellationRequested)
            {
                throw new OperationCanceledException("interrupted by a signal");
            }

            var target = Path.Combine(layout.Repository, Path.GetRelativePath(clone, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
            done += new FileInfo(file).Length;
            meter.Report(done);
        }

        foreach (var dir in Directory.EnumerateDirectories(clone, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(layout.Repository, Path.GetRelativePath(clone, dir)));
        }

        if (done != totalBytes)
        {
            meter.Report(totalBytes);
        }
    }

    /// <summary>Pins the installed revision the way Fetch keeps known-good reachable, and points origin at the source.</summary>
    public void KeepRevision(Revision revision, string remote)
    {
        using var repository = new Repository(layout.Repository);
        KeptRefs.Set(repository, storage, KeptRefs.KnownGood, revision);
        repository.Network.Remotes.Update("origin", r => r.Url = remote);
    }

    /// <summary>Reads the kernel and initrd from the copied repository (so a bad copy fails here) and installs them.</summary>
    public void InstallKernel(VerifiedRevision verified)
    {
        using var reader = Webc.BootSafe.Git.CommitReader.Open(layout.Repository);
        var images = Updates.Staging.KernelImages.FromCommit(layout.Repository, reader, verified.Kernel);
        try
        {
            new KernelFiles(layout, storage).Install(verified.Revision, images.Kernel, images.Initrd);
        }
        catch (Webc.BootSafe.Git.CorruptRepositoryException e)
        {
            throw new OperationFailedException($"the kernel files cannot be read from {layout.Repository}: {e.Message}", e);
        }
    }

    public void WriteEntries(Revision revision, BootEntryOptions options) =>
        new ExtlinuxConfigFile(layout, storage).Write(new BootEntries(revision), options);

    public void WriteConfig(MediumConfig config)
    {
        storage.CreateDirectory(layout.BootSafe);
        foreach (var (name, content) in config.KeyFiles)
        {
            storage.ReplaceAtomically(Path.Combine(layout.BootSafe, name), content);
        }

        storage.ReplaceAtomically(layout.ConfigFile, System.Text.Encoding.UTF8.GetBytes(config.Text));
    }

    public void InitializeState(Revision revision, int maxTrialBoots)
    {
        Updates.Operator.InitializeMedium.Run(layout, storage, revision, maxTrialBoots, replace: false, DateTimeOffset.UtcNow);
    }

    /// <summary>Reads everything back as the boot path and the updater will: a failure here fails the install.</summary>
    public void Check(Revision revision, MediumConfig config)
    {
        var adv = new ExtlinuxAdvFile(layout.ExtlinuxDirectory, storage).Read();
        if (adv.BothInvalid || adv.Adv.BootOnce is not null)
        {
            throw new OperationFailedException($"the ADV in {layout.ExtlinuxDirectory} is not a valid, empty ADV after extlinux --install");
        }

        var good = new ExtlinuxConfigFile(layout, storage).Read();
        if (good.Default != SlotLabel.Good.Name() || good.Find(SlotLabel.Good.Name())?.RevisionText != revision.Sha)
        {
            throw new OperationFailedException($"{layout.ExtlinuxConfig} does not boot label good = {revision}");
        }

        if (!new KernelFiles(layout, storage).Exist(revision))
        {
            throw new OperationFailedException($"kernel files of {revision.Short} are missing from {layout.Live}");
        }

        var record = new YamlSlotStore(storage, layout).Load().Record;
        if (record.State != SlotState.Stable || record.KnownGood != revision)
        {
            throw new OperationFailedException($"{layout.StateFile} reads {record.State} on {record.KnownGood}, expected Stable on {revision}");
        }

        var parameters = BootParameterReader.Read(layout, Path.Combine(layout.BootSafe, "no-proc-cmdline"));
        var keys = TrustedKeys.Load(parameters);
        if (keys.Ssh.Signers.Count != config.Keys.Ssh.Signers.Count || (keys.OpenPgp?.Count ?? 0) != (config.Keys.OpenPgp?.Count ?? 0)
            || parameters.AllowUnsigned != config.Parameters.AllowUnsigned)
        {
            throw new OperationFailedException($"{layout.ConfigFile} does not read back with the trust settings of {config.Origin}");
        }
    }
}
