namespace Webc.BootSafe.Provision;

/// <summary>What was installed (or, for a dry run, would be).</summary>
public sealed record InstallResult(InstallPlan Plan, bool Written)
{
    public string Summary()
    {
        var plan = Plan;
        var boot = plan.Target.Kind == TargetKind.ImageFile
            ? $"qemu-system-x86_64 -m 1024 -drive file={plan.Target.Path},format=raw (or write it to a stick: dd if={plan.Target.Path} of=/dev/sdX bs=4M conv=fsync)"
            : $"boot the machine from {plan.Target.Path} (BIOS/legacy boot; extlinux runs label good)";
        return
            $"""
            installed {plan.Verified.Revision}{(plan.Branch is null ? "" : $" ({plan.Branch})")} on {plan.Target.Path}
              signature: {plan.Verified.Signer}
              disk {ByteSize.Format(plan.DiskBytes)}, partition {ByteSize.Format(plan.PartitionBytes)}, repository {ByteSize.Format(plan.RepositoryBytes)}, kernel+initrd {ByteSize.Format(plan.Verified.KernelBytes + plan.Verified.InitrdBytes)}, about {ByteSize.Format(plan.FreeAfterBytes)} free
              state: Stable, known-good {plan.Verified.Revision.Short}; updates from {plan.Config.Parameters.Remote ?? plan.Remote}
              to boot: {boot}

            """;
    }
}
