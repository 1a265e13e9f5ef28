using System.Collections.Immutable;
using Webc.BootSafe.StateMachine.Errors;
using Webc.BootSafe.StateMachine.Machine;

namespace Webc.BootSafe.Cli.BootPath;

/// <summary>
/// The initramfs's question "which commit do I mount?". Records the boot (BootObserved), lets the
/// bootloader carry out what the machine decided, and answers. It never strands a boot: when the
/// state cannot be read or updated, the command line's revision is the answer, with the reason as a
/// warning; only when there is neither a revision on the command line nor a readable state does it fail.
/// </summary>
public sealed class BootSelector(SlotDecisions decisions)
{
    public Selection Select(BootCommandLine commandLine, DateTimeOffset now)
    {
        var warnings = ImmutableList.CreateBuilder<string>();
        if (commandLine.Revision is not { } booted)
        {
            warnings.Add(commandLine.RevisionText is null
                ? $"the kernel command line has no {BootCommandLine.RevisionKey}="
                : $"{BootCommandLine.RevisionKey}={commandLine.RevisionText} on the kernel command line is not a full commit id");
            return KnownGoodWithoutBoot(warnings);
        }

        Decision decision;
        try
        {
            decision = decisions.Fire(new BootObserved(booted, commandLine.Slot), now);
        }
        catch (Exception e)
        {
            // Deliberately broad: whatever went wrong with the state or the bootloader, this boot
            // goes on with the commit its kernel belongs to.
            warnings.Add($"{Describe(e)}; mounting the command line's revision {booted}");
            return new Selection(booted, false, "state unavailable: booting the command line's revision", warnings.ToImmutable());
        }

        if (decision.Recovery is not null)
        {
            warnings.Add(decision.Recovery);
        }

        warnings.AddRange(decision.Warnings);

        var after = decision.Transition.After;
        return decision.RebootRequested
            ? new Selection(after.KnownGood, true, $"{decision.Transition.Reason}; reboot into known-good {after.KnownGood.Short}", warnings.ToImmutable())
            : new Selection(booted, false, decision.Transition.Reason, warnings.ToImmutable());
    }

    private Selection KnownGoodWithoutBoot(ImmutableList<string>.Builder warnings)
    {
        try
        {
            var record = decisions.Read();
            warnings.Add($"mounting known-good {record.KnownGood} without recording a boot");
            return new Selection(record.KnownGood, false, "no revision on the command line: known-good", warnings.ToImmutable());
        }
        catch (Exception e)
        {
            throw new OperationFailedException(
                $"no revision to mount: {string.Join("; ", warnings)}, and {Describe(e)}. Add {BootCommandLine.RevisionKey}=SHA to the kernel command line", e);
        }
    }

    private static string Describe(Exception e) => e switch
    {
        OperationFailedException or BadInputException => e.Message,
        _ => $"the state could not be used ({e.GetType().Name}: {e.Message})",
    };
}
