namespace Webc.BootSafe.Bootloader.Extlinux;

/// <summary>Reads <c>key=value</c> words of a kernel command line.</summary>
public static class KernelCommandLine
{
    public static string? Parameter(string? commandLine, string key)
    {
        string? found = null;
        foreach (var word in (commandLine ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (word.Length > key.Length && word.StartsWith(key, StringComparison.Ordinal) && word[key.Length] == '=')
            {
                found = word[(key.Length + 1)..];
            }
        }

        return found;
    }
}
