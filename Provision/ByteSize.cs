using System.Globalization;
using Webc.BootSafe.Medium.Errors;

namespace Webc.BootSafe.Provision;

/// <summary>Sizes as operators write them: bytes, or a number with K, M, G or T (powers of 1024).</summary>
public static class ByteSize
{
    public const long MiB = 1024 * 1024;

    public static long Parse(string text, string inputName)
    {
        var trimmed = text.Trim();
        var unit = trimmed.Length > 0 && char.IsAsciiLetter(trimmed[^1]) ? char.ToUpperInvariant(trimmed[^1]) : 'B';
        var digits = unit == 'B' && !trimmed.EndsWith('B') && !trimmed.EndsWith('b') ? trimmed : trimmed[..^1];
        var shift = unit switch
        {
            'B' => 0,
            'K' => 10,
            'M' => 20,
            'G' => 30,
            'T' => 40,
            _ => -1,
        };
        if (shift < 0 || !long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number <= 0
            || number > long.MaxValue >> shift)
        {
            throw new BadInputException($"{inputName} '{text}' is not a size (bytes, or a whole number with K, M, G or T, e.g. 512M)");
        }

        return number << shift;
    }

    public static string Format(long bytes) => bytes switch
    {
        >= 1L << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):0.##} GiB"),
        >= 1L << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):0.#} MiB"),
        >= 1L << 10 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 10):0.#} KiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
    };

    /// <summary>Rounds up to a whole MiB, the granularity partitions and images are made in.</summary>
    public static long RoundUpToMiB(long bytes) => (bytes + MiB - 1) / MiB * MiB;
}
