namespace Webc.BootSafe.Bootloader.Extlinux;

/// <summary>An operator line that BootSafe does not keep as it is, with its 1-based line number in the file read.</summary>
public sealed record OperatorLineFinding(int LineNumber, string Line, OperatorLineVerdict Verdict, string Reason)
{
    public override string ToString() => $"line {LineNumber} '{Line.Trim()}': {Reason}";
}
