using System.Collections.Immutable;
using Webc.BootSafe.StateMachine.Slots;
using Webc.BootSafe.Medium.Errors;
using Webc.BootSafe.StateMachine.Machine;
using Webc.BootSafe.Updates.Session;

namespace Webc.BootSafe.Updates.Boot;

/// <summary>
/// Use case "select a boot", the initramfs's question "which commit do I mount?". Records the boot
/// (BootObserved) through the medium session and answers. It never strands a boot: when the state
/// cannot be read or updated, the command line's revision is the answer, with the reason as a
/// warning; only when there is neither a revision on the command line nor a readable state does it fail.
/// </summary>
public sealed class SelectBoot(Func<MediumSession> openSession)
{
    public Selection Select(BootArguments arguments, DateTimeOffset now)
    {
        var warnings = ImmutableList.CreateBuilder<string>();
        if (arguments.Revision is not { } booted)
        {
            warnings.Add(arguments.RevisionText is null
                ? $"the kernel command line has no {BootArguments.RevisionKey}="
                : $"{BootArguments.RevisionKey}={arguments.RevisionText} on the kernel command line is not a full commit id");
            return KnownGoodWithoutBoot(warnings);
        }

        Outcome outcome;
        try
        {
            using var session = openSession();
            outcome = session.Fire(new BootObserved(booted, arguments.Slot), now);
        }
        catch (Exception e)
        {
            // Deliberately broad: whatever went wrong with the state or the bootloader, this boot
            // goes on with the commit its kernel belongs to.
            warnings.Add($"{Describe(e)}; mounting the command line's revision {booted}");
            return new Selection(booted, false, "state unavailable: booting the command line's revision", warnings.ToImmutable());
        }

        if (outcome.Recovery is not null)
        {
            warnings.Add(outcome.Recovery);
        }

        warnings.AddRange(outcome.Warnings);

        var after = outcome.Transition.After;
        return outcome.RebootRequested
            ? new Selection(after.KnownGood, true, $"{outcome.Transition.Reason}; reboot into known-good {after.KnownGood.Short}", warnings.ToImmutable())
            : new Selection(booted, false, outcome.Transition.Reason, warnings.ToImmutable());
    }

    private Selection KnownGoodWithoutBoot(ImmutableList<string>.Builder warnings)
    {
        try
        {
            using var session = openSession();
            warnings.Add($"mounting known-good {session.Record.KnownGood} without recording a boot");
            return new Selection(session.Record.KnownGood, false, "no revision on the command line: known-good", warnings.ToImmutable());
        }
        catch (Exception e)
        {
            throw new OperationFailedException(
                $"no revision to mount: {string.Join("; ", warnings)}, and {Describe(e)}. Add {BootArguments.RevisionKey}=SHA to the kernel command line", e);
        }
    }

    private static string Describe(Exception e) => e switch
    {
        OperationFailedException or BadInputException => e.Message,
        _ => $"the state could not be used ({e.GetType().Name}: {e.Message})",
    };
}
