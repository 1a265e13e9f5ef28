using Webc.BootSafe.Git;

namespace Webc.BootSafe.Fetch.Git;

/// <summary>What a loose ref file holds: nothing, an object name, or something no writer wrote.</summary>
public abstract record LooseRefContent
{
    public static readonly LooseRefContent Absent = new AbsentRef();

    private LooseRefContent()
    {
    }

    public sealed record AbsentRef : LooseRefContent;

    public sealed record Points(ObjectId Id) : LooseRefContent;

    public sealed record Damaged(string Why) : LooseRefContent;
}
