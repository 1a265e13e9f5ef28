namespace Webc.BootSafe.Fetch.Git;

/// <summary>Where a fetch puts what it received; nothing outside the quarantine ever points there.</summary>
public static class IncomingRefs
{
    public const string Prefix = "refs/bootsafe/incoming/";

    public static string Branch(string name) => Prefix + "heads/" + name;

    public static string Tag(string name) => Prefix + "tags/" + name;

    public static IReadOnlyList<string> RefSpecs(string revision) =>
    [
        $"+refs/heads/{revision}:{Branch(revision)}",
        $"+refs/tags/{revision}:{Tag(revision)}",
    ];
}
