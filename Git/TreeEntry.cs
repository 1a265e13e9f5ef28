using System.Text;

namespace Webc.BootSafe.Git;

/// <summary>
/// One tree entry. The name is the raw bytes mapped one-to-one onto chars (Latin-1), so any byte
/// sequence git stores survives the round trip to the kernel unchanged.
/// </summary>
public readonly record struct TreeEntry(int Mode, string Name, ObjectId Id)
{
    public const int TypeMask = 0xF000;
    public const int DirectoryType = 0x4000;
    public const int FileType = 0x8000;
    public const int SymlinkType = 0xA000;
    public const int GitlinkType = 0xE000;

    public bool IsDirectory => (Mode & TypeMask) == DirectoryType;

    public bool IsGitlink => (Mode & TypeMask) == GitlinkType;

    public bool IsSymlink => (Mode & TypeMask) == SymlinkType;

    public bool IsExecutable => (Mode & TypeMask) == FileType && (Mode & 0x40) != 0;

    public static List<TreeEntry> Parse(ObjectId treeId, ReadOnlySpan<byte> body)
    {
        var entries = new List<TreeEntry>();
        var pos = 0;
        while (pos < body.Length)
        {
            var space = body[pos..].IndexOf((byte)' ');
            var nul = body[pos..].IndexOf((byte)0);
            if (space <= 0 || nul < space || pos + nul + 1 + ObjectId.Size > body.Length)
            {
                throw new CorruptRepositoryException($"tree {treeId}: malformed entry at byte {pos}");
            }

            var mode = 0;
            foreach (var digit in body.Slice(pos, space))
            {
                if (digit is < (byte)'0' or > (byte)'7')
                {
                    throw new CorruptRepositoryException($"tree {treeId}: bad mode at byte {pos}");
                }

                mode = (mode << 3) | (digit - '0');
            }

            var name = Encoding.Latin1.GetString(body.Slice(pos + space + 1, nul - space - 1));
            var id = ObjectId.FromRaw(body.Slice(pos + nul + 1, ObjectId.Size));
            entries.Add(new TreeEntry(mode, name, id));
            pos += nul + 1 + ObjectId.Size;
        }

        return entries;
    }
}
