using System.Runtime.InteropServices;
using Webc.BootSafe.Bootloader.Extlinux;
using Webc.BootSafe.Medium.Errors;
using Webc.BootSafe.StateMachine.Ports;
using Webc.BootSafe.StateMachine.Slots;
using Webc.BootSafe.Medium.Storage;

namespace Webc.BootSafe.Provision;

/// <summary>
/// Makes a writable boot medium. Everything that can be refused is refused before the target is
/// touched: the inputs, the target's safety, the clone, the revision's verification and the size.
/// Then the disk is written step by step; a failure names its step, and an image file is removed
/// (a half-made image is worse than none) while a device is reported as not bootable.
/// </summary>
/// <param name="beforeStep">Called with each write step's name before it runs; specs throw from it to check every step's cleanup.</param>
public sealed class Installer(InstallLog log, Action<string>? beforeStep = null)
{
    public InstallResult Run(InstallOptions options)
    {
        var target = InstallTarget.Inspect(options.Target);
        var remote = SourceRepository.RemoteOf(options.Repository);
        if (string.IsNullOrWhiteSpace(options.Revision))
        {
            throw new BadInputException("--revision is required (a commit id, or a branch or tag of --repo)");
        }

        var diskBytes = DiskBytes(target, options.Size);
        if (!options.DryRun && !options.Yes && (target.Kind == TargetKind.BlockDevice || target.ExistingBytes > 0))
        {
            throw new BadInputException(
                $"--target {target.Path}: everything on this {(target.Kind == TargetKind.BlockDevice ? "device" : "existing image file")} is erased; pass --yes to confirm (or --dry-run to see the plan)");
        }

        var branch = Revision.TryParse(options.Revision, out _) ? null : options.Revision;
        var config = MediumConfig.Load(options.Config, remote, branch);
        var entries = new BootEntryOptions(options.Append, options.Serial);
        TargetSafety.Check(target, MountTable.Read());

        log.Step("clone", $"{remote} (full history) into a temporary directory");
        using var source = Step("clone", () => SourceRepository.Clone(remote));
        var revision = source.Resolve(options.Revision);
        log.Step("verify", $"{revision} ({config.Origin}: {(config.Parameters.AllowUnsigned ? "unsigned allowed" : "signature required")})");
        var verified = Step("verify", () => source.Verify(revision, config.Policy));
        var plan = new InstallPlan(target, diskBytes, source.SizeBytes(), verified, remote, branch, config, entries);
        plan.RequireFits(options.Size is null ? "--target" : $"--size {options.Size}");
        log.Output.Write(plan.Render());
        if (options.DryRun)
        {
            log.Output.WriteLine("dry run: nothing was written");
            return new InstallResult(plan, Written: false);
        }

        // The clone may have taken minutes: look again right before the first write.
        TargetSafety.Check(target, MountTable.Read());
        Write(plan, source.Path);
        var result = new InstallResult(plan, Written: true);
        log.Output.Write(result.Summary());
        return result;
    }

    private void Write(InstallPlan plan, string clone)
    {
        var target = plan.Target;
        var step = "";
        AttachedDisk? attached = null;
        TemporaryMount? mount = null;

        // Ctrl-C or a TERM between steps must still unmount, detach and remove the image: the
        // signal only cancels, and the next step boundary (or copied file) throws into the cleanup.
        using var interrupt = new CancellationTokenSource();
        void Cancel(PosixSignalContext context)
        {
            context.Cancel = true;
            interrupt.Cancel();
        }

        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Cancel);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Cancel);
        void Begin(string name, string detail)
        {
            if (interrupt.IsCancellationRequested)
            {
                throw new OperationCanceledException($"interrupted by a signal before step '{name}'");
            }

            step = name;
            log.Step(name, detail);
            beforeStep?.Invoke(name);
        }

        try
        {
            if (target.Kind == TargetKind.ImageFile)
            {
                Begin("image", $"{target.Path}, {ByteSize.Format(plan.DiskBytes)}");
                DiskImage.CreateOrGrow(target.Path, plan.DiskBytes);
            }

            Begin("partition", "MBR, one bootable partition from sector 2048");
            DiskImage.WritePartitionTable(target.Path);
            Begin("boot code", DiskImage.MbrCode);
            DiskImage.WriteBootCode(target.Path);
            Begin("attach", target.Kind == TargetKind.ImageFile ? "free loop device" : target.Path);
            attached = AttachedDisk.Attach(target);
            Begin("format", $"ext4 on {attached.Partition}");
            DiskImage.FormatExt4(attached.Partition, MediumLayout.FileSystemLabel);
            Begin("mount", attached.Partition);
            mount = TemporaryMount.Mount(attached.Partition);

            var layout = new MediumLayout(mount.Point);
            var writer = new MediumWriter(layout, new PosixMediumStorage(), log);
            Begin("extlinux", "extlinux --install boot/extlinux");
            DiskImage.InstallExtlinux(layout.ExtlinuxDirectory);
            Begin("copy repository", $"{ByteSize.Format(plan.RepositoryBytes)} into live/filesystem.git");
            writer.CopyRepository(clone, plan.RepositoryBytes, interrupt.Token);
            writer.KeepRevision(plan.Verified.Revision, plan.Remote);
            Begin("kernel", $"{plan.Verified.Kernel.KernelPath} and {plan.Verified.Kernel.InitrdPath}");
            writer.InstallKernel(plan.Verified);
            Begin("boot entries", $"label good = {plan.Verified.Revision.Short}");
            writer.WriteEntries(plan.Verified.Revision, plan.Entries);
            Begin("config", "live/bootsafe/config.yaml");
            writer.WriteConfig(plan.Config);
            Begin("state", $"Stable on {plan.Verified.Revision.Short}");
            writer.InitializeState(plan.Verified.Revision, plan.Config.Parameters.MaxTrialBoots);
            Begin("check", "reading the medium back");
            writer.Check(plan.Verified.Revision, plan.Config);
            Begin("unmount", mount.Point);
            mount.Unmount();
            Begin("detach", attached.Disk);
            attached.Dispose();
        }
        catch (Exception e)
        {
            mount?.Dispose();
            attached?.Dispose();
            throw new OperationFailedException($"install failed at step '{step}': {e.Message}; {Abandon(target)}", e);
        }
    }

    private static string Abandon(InstallTarget target)
    {
        if (target.Kind == TargetKind.BlockDevice)
        {
            return $"{target.Path} is left partly written and will not boot; run install again";
        }

        try
        {
            File.Delete(target.Path);
            return $"removed the unfinished image file {target.Path}";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"could not remove the unfinished image file {target.Path} ({e.Message}); delete it";
        }
    }

    private static long DiskBytes(InstallTarget target, string? sizeText)
    {
        if (target.Kind == TargetKind.BlockDevice)
        {
            if (sizeText is not null)
            {
                throw new BadInputException($"--size {sizeText}: a block device is used at its own size; --size is for image files");
            }

            return target.ExistingBytes > 0 ? target.ExistingBytes : throw new BadInputException($"--target {target.Path} reports size 0 (no medium inserted?)");
        }

        if (sizeText is null)
        {
            return target.ExistingBytes > 0
                ? target.ExistingBytes
                : throw new BadInputException($"--size is required for a new image file ({target.Path}), e.g. --size 2G");
        }

        var size = ByteSize.RoundUpToMiB(ByteSize.Parse(sizeText, "--size"));
        if (size < target.ExistingBytes)
        {
            throw new BadInputException(
                $"--size {sizeText} is smaller than the existing image file {target.Path} ({ByteSize.Format(target.ExistingBytes)}); images are never shrunk (delete it first)");
        }

        return size;
    }

    private static T Step<T>(string name, Func<T> body)
    {
        try
        {
            return body();
        }
        catch (BadInputException)
        {
            throw;
        }
        catch (OperationFailedException e)
        {
            throw new OperationFailedException($"{name} failed: {e.Message}; the target was not touched", e);
        }
    }
}
