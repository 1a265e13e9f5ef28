namespace Webc.BootSafe.Specs.Support;

/// <summary>
/// The three tiers of specs. Fast (no trait): pure and in-memory specs plus real git, ssh-keygen and
/// gpg on temp repos; `make test-fast` runs only these. Host: needs root, loop devices, mounts, FUSE
/// or OS packages that `make deps` installs. Lab: boots QEMU. `make test` (CI) runs all three.
/// </summary>
public static class Tier
{
    /// <summary>The xunit trait name; `dotnet test --filter "Tier!=Host&amp;Tier!=Lab"` selects the fast tier.</summary>
    public const string Name = "Tier";

    public const string Host = "Host";

    public const string Lab = "Lab";

    /// <summary>BOOTSAFE_FAST=1 (set by `make test-fast`): properties may run fewer cases; `make test` keeps the full counts.</summary>
    public static bool Fast { get; } = Environment.GetEnvironmentVariable("BOOTSAFE_FAST") == "1";

    /// <summary>The number of property cases: <paramref name="full"/> in `make test`, <paramref name="fast"/> in `make test-fast`.</summary>
    public static int Cases(int full, int fast) => Fast ? fast : full;
}
