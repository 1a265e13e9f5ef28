namespace Webc.BootSafe.Specs.BootPath;

/// <summary>A health.d tree in a temp dir whose scripts append their names to one log, so specs see what ran and in which order.</summary>
public sealed class HealthTree : IDisposable
{
    public HealthTree()
    {
        Root = Directory.CreateTempSubdirectory("bootpath-health-").FullName;
        Log = Path.Combine(Root, "ran.log");
        RebootMarker = Path.Combine(Root, "rebooted");
    }

    public string Root { get; }

    public string Log { get; }

    public string RebootMarker { get; }

    /// <summary>A reboot command that only leaves a marker with the reason: never reboot this machine.</summary>
    public string RebootCommand => $"printf '%s' \"$BOOTSAFE_REASON\" > '{RebootMarker}'";

    public IReadOnlyList<string> Ran => File.Exists(Log) ? File.ReadAllLines(Log) : [];

    public HealthTree Script(string folder, string name, string body, bool executable = true)
    {
        var directory = Path.Combine(Root, folder);
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, $"#!/bin/sh\necho \"{folder}/{name} $BOOTSAFE_VERDICT\" >> '{Log}'\n{body}\n");
        if (executable && !OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return this;
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
