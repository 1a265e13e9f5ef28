using System.Text.RegularExpressions;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Webc.BootSafe.Bootloader.Kernels;

namespace Webc.BootSafe.Specs.Bootloader;

/// <summary>
/// The hand-written match of the kernel file names BootSafe may prune against the regular expression
/// it replaced (anchored at the very end: a name with a trailing newline is not ours, and is kept).
/// Names are drawn near the boundary: owned names with one character changed, cut or added.
/// </summary>
[Properties(Arbitrary = [typeof(OwnedKernelFileNameProperties)], MaxTest = 5000)]
public sealed class OwnedKernelFileNameProperties
{
    private static readonly Regex Oracle = new("^\\.?(vmlinuz|initrd)-[0-9a-f]{40}(\\.tmp)?\\z", RegexOptions.CultureInvariant);

    private static readonly char[] Alphabet = [.. "0123456789abcdefABCDEFgz.-_\n ", 'é'];

    public static Arbitrary<string> Names() =>
        (from hidden in Gen.Elements(string.Empty, ".")
         from stem in Gen.Elements("vmlinuz", "initrd", "vmlinux", "initrd.img", "")
         from sha in Gen.ArrayOf(Gen.Elements("0123456789abcdef".ToCharArray()), 40)
         from suffix in Gen.Elements(string.Empty, ".tmp", ".tmp2", ".TMP", "~")
         from edit in Gen.Choose(0, 3)
         from at in Gen.Choose(0, 60)
         from c in Gen.Elements(Alphabet)
         select Edit($"{hidden}{stem}-{new string(sha)}{suffix}", edit, at, c))
        .ToArbitrary();

    [Property]
    public void Matches_exactly_what_the_regular_expression_matches(string name) =>
        Assert.Equal(Oracle.IsMatch(name), OwnedKernelFileName.IsOwned(name));

    [Fact]
    public void Owned_names_are_the_four_forms()
    {
        var sha = new string('a', 39) + "0";
        Assert.All(new[] { $"vmlinuz-{sha}", $"initrd-{sha}", $".vmlinuz-{sha}.tmp", $"initrd-{sha}.tmp" }, n => Assert.True(OwnedKernelFileName.IsOwned(n), n));
        Assert.All(new[] { $"vmlinuz-{sha.ToUpperInvariant()}", $"vmlinuz-{sha}\n", $"..vmlinuz-{sha}", $"vmlinuz-{sha[..39]}", "" }, n => Assert.False(OwnedKernelFileName.IsOwned(n), n));
    }

    // 0 keeps the name; 1 replaces the character at `at`, 2 removes it, 3 inserts c before it.
    private static string Edit(string name, int edit, int at, char c)
    {
        at = Math.Min(at, name.Length - 1);
        return edit switch
        {
            1 => name[..at] + c + name[(at + 1)..],
            2 => name.Remove(at, 1),
            3 => name.Insert(at, c.ToString()),
            _ => name,
        };
    }
}
