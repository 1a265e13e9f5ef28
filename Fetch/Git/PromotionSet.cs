using Webc.BootSafe.Git;

namespace Webc.BootSafe.Fetch.Git;

/// <summary>Whether a quarantine received exactly what an accepted candidate brings (<see cref="Verification.ArrivedObjects.Needed"/>), so it can move as received.</summary>
internal static class PromotionSet
{
    /// <summary>Whether the quarantine's own objects (packs and loose) are exactly <paramref name="needed"/>.</summary>
    public static bool ReceivedExactly(string objectsDirectory, IReadOnlySet<ObjectId> needed)
    {
        var received = new HashSet<ObjectId>();
        var packDir = Path.Combine(objectsDirectory, "pack");
        if (Directory.Exists(packDir))
        {
            foreach (var idx in Directory.EnumerateFiles(packDir, "*.idx"))
            {
                var index = PackIndex.Load(idx);
                for (var i = 0; i < index.Count; i++)
                {
                    received.Add(index.NameAt(i));
                }
            }
        }

        foreach (var dir in Directory.EnumerateDirectories(objectsDirectory, "??"))
        {
            foreach (var file in Directory.EnumerateFiles(dir))
            {
                if (ObjectId.TryParse(Path.GetFileName(dir) + Path.GetFileName(file), out var id))
                {
                    received.Add(id);
                }
            }
        }

        return received.SetEquals(needed);
    }
}
