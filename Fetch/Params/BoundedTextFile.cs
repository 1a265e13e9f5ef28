using System.Text;
using Webc.BootSafe.Medium.Errors;

namespace Webc.BootSafe.Fetch.Params;

/// <summary>
/// Reads a small text input (a kernel command line, config.yaml, webc-cmdline) with a size cap, so a
/// wrong path such as /dev/zero or a huge file is a one-line error instead of an endless read.
/// </summary>
public static class BoundedTextFile
{
    /// <summary>Far above any kernel command line (x86: 2 KiB) or a kiosk's config.</summary>
    public const int DefaultLimit = 1 << 20;

    /// <summary>The file's text, or null when it does not exist; bad input when it is not a readable small text file.</summary>
    public static string? ReadIfPresent(string path, string what, int limit = DefaultLimit)
    {
        if (Directory.Exists(path))
        {
            throw new BadInputException($"{what} {path} is a directory, not a file");
        }

        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0, FileOptions.None);
            // Sized by what the file says it holds, not by the limit: select reads several of these on
            // every boot, and a fresh megabyte costs the GC's clearing and a page fault per page
            // (bench/select). The reads go on to the limit regardless, for files whose length lies
            // (/proc, /dev/zero, a file growing as it is read).
            var buffer = new byte[(int)Math.Min(Math.Max(Length(stream) + 1, 4096), limit + 1L)];
            var total = 0;
            int read;
            while (total <= limit)
            {
                if (total == buffer.Length)
                {
                    Array.Resize(ref buffer, (int)Math.Min(buffer.Length * 2L, limit + 1L));
                }

                if ((read = stream.Read(buffer, total, buffer.Length - total)) <= 0)
                {
                    break;
                }

                total += read;
            }

            if (total > limit)
            {
                throw new BadInputException($"{what} {path} is larger than {limit} bytes: not a {what}");
            }

            var text = Encoding.UTF8.GetString(buffer, 0, total);
            return text.Contains('\0') ? throw new BadInputException($"{what} {path} holds NUL bytes: not a text file") : text;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BadInputException($"cannot read {what} {path}: {e.Message}");
        }
    }

    private static long Length(FileStream stream)
    {
        try
        {
            return stream.CanSeek ? stream.Length : 0;
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
