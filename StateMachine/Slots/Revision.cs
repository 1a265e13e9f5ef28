using System.Diagnostics.CodeAnalysis;

namespace Webc.BootSafe.StateMachine.Slots;

/// <summary>
/// A full 40-hex git commit id. Always lower case, so two spellings of one commit compare equal;
/// abbreviated ids are refused because a boot must name exactly one commit.
/// </summary>
public readonly record struct Revision
{
    public const int Length = 40;

    private Revision(string sha) => Sha = sha;

    public string Sha { get; }

    public string Short => Sha[..12];

    public static Revision Parse(string? text, string inputName = "revision") =>
        TryParse(text, out var revision)
            ? revision
            : throw new InvalidRevisionException(
                $"{inputName} '{text}' is not a full commit id (expected 40 hexadecimal digits)");

    public static bool TryParse([NotNullWhen(true)] string? text, out Revision revision)
    {
        revision = default;
        if (text is null || text.Length != Length)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        revision = new Revision(text.ToLowerInvariant());
        return true;
    }

    public override string ToString() => Sha ?? string.Empty;
}
