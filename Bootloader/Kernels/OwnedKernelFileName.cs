namespace Webc.BootSafe.Bootloader.Kernels;

/// <summary>
/// The names in <c>live/</c> that BootSafe writes and may prune: <c>vmlinuz-SHA</c>, <c>initrd-SHA</c>
/// (SHA: 40 lowercase hex), each optionally hidden (<c>.</c> in front, an install's temp file) and
/// optionally ending in <c>.tmp</c>. Matched by hand, not by a regular expression: pruning runs on the
/// boot path, and System.Text.RegularExpressions was a quarter of webc-bootsafe-select's code (issue 17).
/// </summary>
public static class OwnedKernelFileName
{
    private const int ShaLength = 40;

    public static bool IsOwned(ReadOnlySpan<char> name)
    {
        if (name.StartsWith('.'))
        {
            name = name[1..];
        }

        if (name.StartsWith("vmlinuz-"))
        {
            name = name["vmlinuz-".Length..];
        }
        else if (name.StartsWith("initrd-"))
        {
            name = name["initrd-".Length..];
        }
        else
        {
            return false;
        }

        if (name.Length < ShaLength || name[..ShaLength].ContainsAnyExcept("0123456789abcdef"))
        {
            return false;
        }

        var rest = name[ShaLength..];
        return rest.IsEmpty || rest.SequenceEqual(".tmp");
    }
}
