using System.Collections.Immutable;
using Webc.BootSafe.Fetch.Params;
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
    /// <summary>As <see cref="Select(BootArguments, DateTimeOffset)"/>, reading the command line from a file.</summary>
    public Selection Select(string commandLinePath, DateTimeOffset now)
    {
        string text;
        string? problem = null;
        try
        {
            text = BoundedTextFile.ReadIfPresent(commandLinePath, "kernel command line")
                ?? throw new BadInputException($"kernel command line {commandLinePath} does not exist");
        }
        catch (BadInputException e)
        {
            // A boot goes on without it: select then mounts known-good.
            (text, problem) = (string.Empty, e.Message);
        }

        var selection = Select(BootArguments.Parse(text), now);
        return problem is null ? selection : selection with { Warnings = selection.Warnings.Insert(0, problem) };
    }

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
            if (Unjudgeable(session, booted, arguments.Slot) is { } why)
            {
                warnings.Add(session.Recovery!);
                warnings.Add($"{why}; not judging this boot, nothing written");
                return new Selection(booted, false, "recorded only: the record was recovered and may be older than this boot", warnings.ToImmutable());
            }

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
        var into = outcome.Transition.Actions.OfType<ArmBootOnce>().FirstOrDefault() is { Label: SlotLabel.Previous } once
            ? $"previous {once.Revision.Short}"
            : $"known-good {after.KnownGood.Short}";
        return outcome.RebootRequested
            ? new Selection(after.KnownGood, true, $"{outcome.Transition.Reason}; reboot into {into}", warnings.ToImmutable())
            : new Selection(booted, false, outcome.Transition.Reason, warnings.ToImmutable());
    }

    /// <summary>
    /// Recovery never goes backwards (docs/crash-safety.md): when the record was recovered and is
    /// known or suspected to be older than what booted, judging the boot from it could record a
    /// promoted revision as failed and move DEFAULT back. Then select mounts the booted revision and
    /// writes nothing; the next confirm, stage or an operator repairs the record.
    /// </summary>
    private static string? Unjudgeable(MediumSession session, Revision booted, string? slot)
    {
        if (session.Recovery is null)
        {
            return null;
        }

        if (session.Doubt is not null)
        {
            return session.Doubt;
        }

        var r = session.Record;
        return r.State is SlotState.Staged or SlotState.Trying && r.Trial == booted && slot == SlotLabel.Good.Name()
            ? $"{booted} came up through label good while the recovered record still has it as the trial: a newer generation promoted it"
            : null;
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
        _ => $"the state could not be used ({e.Message})",
    };
}
