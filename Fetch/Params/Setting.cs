namespace Webc.BootSafe.Fetch.Params;

/// <summary>
/// One raw key=value as found in a source. <paramref name="Value"/> is null for a bare flag
/// (<c>noupgrade</c>); <paramref name="Origin"/> names the file and line for error messages.
/// </summary>
public sealed record Setting(string Key, string? Value, ParameterSource Source, string Origin);
