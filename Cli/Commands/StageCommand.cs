using System.CommandLine;
using System.Diagnostics;
using Webc.BootSafe.Bootloader;
using Webc.BootSafe.Bootloader.Applying;
using Webc.BootSafe.Bootloader.Extlinux;
using Webc.BootSafe.StateMachine.Errors;
using Webc.BootSafe.StateMachine.Ports;
using Webc.BootSafe.StateMachine.Slots;
using Webc.BootSafe.StateMachine.Storage;

namespace Webc.BootSafe.Cli.Commands;

/// <summary>
/// `stage REV`: put a revision's kernel files on the medium as the trial and arm boot-once. The kernel
/// and initrd come from --kernel/--initrd, or from the commit's boot/ in a git repository (--repo,
/// default the medium's live/filesystem.git).
/// </summary>
public static class StageCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var revision = new Argument<string>("revision") { Description = "The commit to stage (40 hex; with a repository, anything git rev-parse resolves)" };
        var kernel = new Option<string?>("--kernel") { Description = "The revision's kernel image file" };
        var initrd = new Option<string?>("--initrd") { Description = "The revision's initrd file" };
        var repo = new Option<string?>("--repo") { Description = "A git repository holding the commit; its boot/vmlinuz-* and boot/initrd.img-* are used (default: <medium>/live/filesystem.git)" };
        var force = new Option<bool>("--force") { Description = "Stage a revision that failed before" };
        var entryOptions = new EntryOptions();
        var command = new Command("stage", "Stage a revision as the trial: kernel files, then the trial label, then the state, then boot-once (docs/crash-safety.md). Exit 1 if the machine refuses (a trial is already staged, or it is known-good or failed).")
        {
            revision, kernel, initrd, repo, force,
        };
        entryOptions.AddTo(command);
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var layout = Medium(parse.GetValue(globals.Medium));
            var options = entryOptions.Read(parse, layout);
            var files = RevisionFiles.Read(layout, parse.GetValue(revision)!, parse.GetValue(kernel), parse.GetValue(initrd), parse.GetValue(repo));
            var storage = new PosixMediumStorage();
            var bootloader = new MediumBootloader(layout, storage, options);
            using var session = SlotSession.Open(layout, storage, SlotSession.DefaultLockTimeout);
            var applied = bootloader.Stager(session.Store, () => DateTimeOffset.UtcNow)
                .Stage(files.Revision, files.Kernel, files.Initrd, parse.GetValue(force));
            Print(applied, parse.GetValue(globals.Json));
            return ExitCodes.Ok;
        }));
        return command;
    }

    internal static MediumLayout Medium(string? medium)
    {
        if (string.IsNullOrEmpty(medium) || !Directory.Exists(medium))
        {
            throw new BadInputException($"--medium {medium} is not a directory");
        }

        return new MediumLayout(Path.GetFullPath(medium));
    }

    internal static void Print(AppliedTransition applied, bool json)
    {
        var t = applied.Transition;
        if (json)
        {
            using var writer = new System.Text.Json.Utf8JsonWriter(Console.OpenStandardOutput());
            writer.WriteStartObject();
            writer.WriteString("event", t.Event.Trigger.ToString());
            writer.WriteString("from", t.Before.State.ToString());
            writer.WriteString("to", t.After.State.ToString());
            writer.WriteString("reason", t.Reason);
            writer.WriteStartArray("steps");
            applied.Steps.ForEach(writer.WriteStringValue);
            writer.WriteEndArray();
            writer.WriteString("reboot", applied.RebootReason);
            writer.WriteEndObject();
            writer.Flush();
            Console.WriteLine();
            return;
        }

        Console.WriteLine($"{t.Event.Trigger}: {t.Before.State} -> {t.After.State} ({t.Reason})");
        foreach (var step in applied.Steps)
        {
            Console.WriteLine("  " + step);
        }

        if (applied.RebootReason is { } reboot)
        {
            Console.WriteLine("  reboot required: " + reboot);
        }
    }

    /// <summary>--append, --serial, --timeout: given ones override what the medium was last written with.</summary>
    internal sealed class EntryOptions
    {
        private readonly Option<string?> _append = new("--append") { Description = $"Base kernel command line of every label (default: as on the medium, else '{BootEntryOptions.DefaultAppend}')" };
        private readonly Option<string?> _serial = new("--serial") { Description = "SERIAL directive argument, e.g. '0 115200'" };
        private readonly Option<int?> _timeout = new("--timeout") { Description = $"TIMEOUT in tenths of a second, > 0 (default {BootEntryOptions.DefaultTimeoutTenths})" };

        public void AddTo(Command command)
        {
            command.Options.Add(_append);
            command.Options.Add(_serial);
            command.Options.Add(_timeout);
        }

        public BootEntryOptions Read(ParseResult parse, MediumLayout layout)
        {
            var current = BootEntryOptionsReader.FromDocument(new ExtlinuxConfigFile(layout, new PosixMediumStorage()).ReadDocument())
                          ?? new BootEntryOptions();
            return new BootEntryOptions(
                parse.GetValue(_append) ?? current.BaseAppend,
                parse.GetValue(_serial) ?? current.Serial,
                parse.GetValue(_timeout) ?? current.TimeoutTenths);
        }
    }

    /// <summary>A revision's kernel and initrd, read before anything on the medium changes.</summary>
    internal sealed record RevisionFiles(Revision Revision, byte[] Kernel, byte[] Initrd)
    {
        public static RevisionFiles Read(MediumLayout layout, string revision, string? kernel, string? initrd, string? repo)
        {
            if (kernel is not null || initrd is not null)
            {
                if (kernel is null || initrd is null)
                {
                    throw new BadInputException("--kernel and --initrd go together");
                }

                return new RevisionFiles(Revision.Parse(revision), ReadFile(kernel, "--kernel"), ReadFile(initrd, "--initrd"));
            }

            var repository = repo ?? layout.Repository;
            if (!Directory.Exists(repository))
            {
                throw new BadInputException($"--repo {repository} is not a directory (give --repo, or --kernel and --initrd)");
            }

            var sha = Revision.Parse(Git(repository, "rev-parse", "--verify", "--quiet", revision + "^{commit}").Trim(), $"revision {revision} in {repository}");
            var paths = Git(repository, "ls-tree", "-r", "--name-only", sha.Sha, "--", "boot/")
                .Split('\n', StringSplitOptions.RemoveEmptyEntries);
            string Pick(string prefix) =>
                paths.Where(p => p.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal).LastOrDefault()
                ?? throw new BadInputException($"revision {sha.Short} in {repository} has no {prefix}* file");
            return new RevisionFiles(sha, GitBlob(repository, sha, Pick("boot/vmlinuz-")), GitBlob(repository, sha, Pick("boot/initrd.img-")));
        }

        private static byte[] ReadFile(string path, string option) =>
            File.Exists(path) ? File.ReadAllBytes(path) : throw new BadInputException($"{option} {path} does not exist");

        private static string Git(string repository, params string[] args) =>
            System.Text.Encoding.UTF8.GetString(Run(repository, args, $"git {string.Join(' ', args)}"));

        private static byte[] GitBlob(string repository, Revision revision, string path) =>
            Run(repository, ["cat-file", "blob", $"{revision.Sha}:{path}"], $"reading {path} of {revision.Short}");

        private static byte[] Run(string repository, string[] args, string what)
        {
            var start = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add("-C");
            start.ArgumentList.Add(repository);
            foreach (var a in args)
            {
                start.ArgumentList.Add(a);
            }

            using var git = Process.Start(start) ?? throw new OperationFailedException("cannot start git");
            var stderr = git.StandardError.ReadToEndAsync();
            using var output = new MemoryStream();
            git.StandardOutput.BaseStream.CopyTo(output);
            git.WaitForExit();
            if (git.ExitCode != 0)
            {
                throw new BadInputException($"{what} in {repository} failed: {stderr.Result.Trim()}");
            }

            return output.ToArray();
        }
    }
}
