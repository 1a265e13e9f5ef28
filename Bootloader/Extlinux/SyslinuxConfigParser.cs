using System.Collections.Immutable;
using System.Globalization;

namespace Webc.BootSafe.Bootloader.Extlinux;

/// <summary>
/// Parses the subset of the syslinux configuration language that decides what boots. Keywords are
/// case-insensitive; unknown lines are ignored, as ldlinux does.
/// </summary>
public static class SyslinuxConfigParser
{
    public static SyslinuxConfig Parse(string text)
    {
        string? @default = null, onError = null, serial = null;
        var timeout = 0;
        var prompt = false;
        var labels = ImmutableArray.CreateBuilder<SyslinuxLabel>();
        SyslinuxLabel? current = null;

        void Flush()
        {
            if (current is not null)
            {
                labels.Add(current);
            }

            current = null;
        }

        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var space = line.IndexOfAny([' ', '\t']);
            var keyword = (space < 0 ? line : line[..space]).ToUpperInvariant();
            var value = space < 0 ? string.Empty : line[(space + 1)..].Trim();
            switch (keyword)
            {
                case "LABEL":
                    Flush();
                    current = new SyslinuxLabel(value, null, null, null);
                    break;
                case "LINUX" or "KERNEL" when current is not null:
                    current = current with { Kernel = value };
                    break;
                case "INITRD" when current is not null:
                    current = current with { Initrd = value };
                    break;
                case "APPEND" when current is not null:
                    current = current with { Append = value };
                    break;
                case "DEFAULT":
                    @default = value;
                    break;
                case "ONERROR":
                    onError = value;
                    break;
                case "SERIAL":
                    serial = value;
                    break;
                case "TIMEOUT":
                    timeout = int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var t) ? t : 0;
                    break;
                case "PROMPT":
                    prompt = value.Trim() != "0";
                    break;
            }
        }

        Flush();
        return new SyslinuxConfig(@default, timeout, onError, prompt, serial, labels.ToImmutable());
    }
}
