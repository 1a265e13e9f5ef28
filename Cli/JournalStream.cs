using System.Globalization;
using System.Text;
using Webc.BootSafe.Medium.Storage;

namespace Webc.BootSafe.Cli;

/// <summary>
/// The one place log lines get their journald priority. When stderr is the journal's stream (systemd
/// sets JOURNAL_STREAM to its device and inode, sd_journal_stream_fd(3)), each line on stderr starts
/// with a syslog prefix (sd-daemon(3), SyslogLevelPrefix=): <c>&lt;4&gt;</c> for a warning,
/// <c>&lt;3&gt;</c> for an error, <c>&lt;6&gt;</c> for the rest (progress, notes, a check's output), so
/// <c>journalctl -p warning</c> shows warnings and errors only. Elsewhere (a terminal, a file, a pipe
/// to another program) lines stay as they are.
/// </summary>
public static class JournalStream
{
    public const string Variable = "JOURNAL_STREAM";

    public const string ErrorPrefix = "<3>";
    public const string WarningPrefix = "<4>";
    public const string InfoPrefix = "<6>";

    /// <summary>True when stderr is the stream JOURNAL_STREAM names (not merely inherited from a parent).</summary>
    public static bool StderrIsJournal()
    {
        var value = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrEmpty(value) || value.Split(':') is not [var dev, var ino]
            || !ulong.TryParse(dev, NumberStyles.None, CultureInfo.InvariantCulture, out var device)
            || !ulong.TryParse(ino, NumberStyles.None, CultureInfo.InvariantCulture, out var inode))
        {
            return false;
        }

        return Libc.DeviceAndInode(2) is { } actual && actual.Device == device && actual.Inode == inode;
    }

    /// <summary>Whether <see cref="Attach"/> found the journal on stderr.</summary>
    public static bool Attached { get; private set; }

    /// <summary>Routes stderr through a <see cref="PrioritizedWriter"/> when it is the journal.</summary>
    public static void Attach()
    {
        if (StderrIsJournal())
        {
            Attached = true;
            Console.SetError(TextWriter.Synchronized(new PrioritizedWriter(Console.Error)));
        }
    }

    /// <summary>An error line: the error priority on the journal, plain elsewhere.</summary>
    public static string Error(string line) => (Attached ? ErrorPrefix : string.Empty) + line;

    /// <summary>The priority of one line of ours: errors are written through <see cref="CommandRunner"/> with the error prefix already.</summary>
    public static string PrefixOf(string line) =>
        line.Length > 2 && line[0] == '<' && char.IsAsciiDigit(line[1]) && line[2] == '>' ? string.Empty
        : line.Contains("warning:", StringComparison.Ordinal) ? WarningPrefix
        : InfoPrefix;

    /// <summary>Prefixes every complete line; the rest waits for its newline (TextWriter routes every write through <see cref="Write(char)"/>).</summary>
    public sealed class PrioritizedWriter(TextWriter inner) : TextWriter
    {
        private readonly StringBuilder _line = new();

        public override Encoding Encoding => inner.Encoding;

        public override void Write(char value)
        {
            if (value == '\n')
            {
                var line = _line.ToString();
                _line.Clear();
                inner.Write(PrefixOf(line) + line + "\n");
                inner.Flush();
                return;
            }

            _line.Append(value);
        }

        public override void Flush()
        {
            inner.Flush();
        }
    }
}
