using System.Collections.Immutable;

namespace Webc.BootSafe.Bootloader.Extlinux;

/// <summary>
/// Parses the syslinux configuration language the way ldlinux's readconfig.c does, for the
/// directives that decide what boots: a line ends at CR or LF; leading bytes up to space are
/// skipped; a keyword matches case-insensitively only when followed by whitespace or the end of the
/// line; anything else (comments included) is ignored. TEXT ... ENDTEXT swallows the lines between,
/// INCLUDE and MENU INCLUDE parse another file in place (through <c>include</c>, which returns null
/// for a file that cannot be opened: ldlinux then ignores the line).
/// </summary>
public static class SyslinuxConfigParser
{
    /// <summary>Bound on nested INCLUDEs (ldlinux has none and would loop until the stack ends).</summary>
    public const int MaxIncludeDepth = 16;

    private static readonly string[] KernelTypes = ["localboot", "kernel", "linux", "boot", "bss", "pxe", "fdimage", "comboot", "com32", "config"];

    public static SyslinuxConfig Parse(string text, Func<string, string?>? include = null)
    {
        var state = new State(include);
        state.ParseFile(text, 0);
        state.Record();
        return new SyslinuxConfig(
            state.Default,
            state.Timeout,
            state.OnError,
            state.Prompt,
            state.Serial,
            state.Labels.ToImmutable(),
            state.Ui,
            state.OnTimeout,
            state.Includes.ToImmutable());
    }

    /// <summary>The lines of <paramref name="text"/> as ldlinux reads them (each cut at its first CR).</summary>
    public static IReadOnlyList<string> Lines(string text) =>
        text.Length == 0 ? [] : text.Split('\n').Select(l => l.IndexOf('\r') is var cr and >= 0 ? l[..cr] : l).ToList();

    /// <summary>readconfig.c's skipspace: every byte up to and including space counts as whitespace.</summary>
    public static string SkipSpace(string s)
    {
        var i = 0;
        while (i < s.Length && s[i] <= ' ')
        {
            i++;
        }

        return s[i..];
    }

    /// <summary>
    /// readconfig.c's looking_at: the text after <paramref name="keyword"/> (not yet space-skipped)
    /// when <paramref name="line"/> starts with it case-insensitively and then whitespace or ends.
    /// </summary>
    public static string? LookingAt(string line, string keyword)
    {
        if (line.Length < keyword.Length || !line.AsSpan(0, keyword.Length).Equals(keyword, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return line.Length == keyword.Length || line[keyword.Length] <= ' ' ? line[keyword.Length..] : null;
    }

    /// <summary>The first word (up to whitespace) of <paramref name="s"/>, after skipping leading space.</summary>
    public static string FirstWord(string s)
    {
        var t = SkipSpace(s);
        var end = 0;
        while (end < t.Length && t[end] > ' ')
        {
            end++;
        }

        return t[..end];
    }

    /// <summary>C's atoi: optional sign and leading digits, 0 when there are none.</summary>
    public static int Atoi(string s)
    {
        var t = SkipSpace(s);
        var i = 0;
        var negative = false;
        if (i < t.Length && t[i] is '+' or '-')
        {
            negative = t[i] == '-';
            i++;
        }

        long value = 0;
        while (i < t.Length && char.IsAsciiDigit(t[i]) && value < int.MaxValue)
        {
            value = value * 10 + (t[i] - '0');
            i++;
        }

        return (int)Math.Clamp(negative ? -value : value, int.MinValue, int.MaxValue);
    }

    private sealed class State(Func<string, string?>? include)
    {
        public ImmutableArray<SyslinuxLabel>.Builder Labels { get; } = ImmutableArray.CreateBuilder<SyslinuxLabel>();

        public ImmutableArray<string>.Builder Includes { get; } = ImmutableArray.CreateBuilder<string>();

        public string? Default { get; private set; }

        public string? Ui { get; private set; }

        public string? OnError { get; private set; }

        public string? OnTimeout { get; private set; }

        public string? Serial { get; private set; }

        public int Timeout { get; private set; }

        public bool Prompt { get; private set; }

        private string? _globalAppend;
        private SyslinuxLabel? _current;
        private bool _currentHasAppend;

        /// <summary>readconfig.c's record(): the label being read is complete.</summary>
        public void Record()
        {
            if (_current is { } label)
            {
                var append = _currentHasAppend ? label.Append : _globalAppend;
                Labels.Add(label with { Append = append is "-" ? null : append });
            }

            _current = null;
            _currentHasAppend = false;
        }

        public void ParseFile(string text, int depth)
        {
            var lines = Lines(text);
            for (var i = 0; i < lines.Count; i++)
            {
                var p = SkipSpace(lines[i]);
                if (LookingAt(p, "menu") is { } menu)
                {
                    Menu(SkipSpace(menu), depth);
                }
                else if (LookingAt(p, "text") is not null)
                {
                    while (++i < lines.Count && LookingAt(SkipSpace(lines[i]), "endtext") is null)
                    {
                    }
                }
                else if (LookingAt(p, "include") is { } file)
                {
                    Include(file, depth);
                }
                else if (LookingAt(p, "append") is { } append)
                {
                    var value = SkipSpace(append).TrimEnd();
                    if (_current is not null)
                    {
                        _current = _current with { Append = value };
                        _currentHasAppend = true;
                    }
                    else
                    {
                        _globalAppend = value;
                    }
                }
                else if (LookingAt(p, "initrd") is { } initrd)
                {
                    if (_current is not null)
                    {
                        _current = _current with { Initrd = SkipSpace(initrd).TrimEnd() };
                    }
                }
                else if (LookingAt(p, "label") is { } label)
                {
                    Record();
                    var name = FirstWord(label);
                    _current = new SyslinuxLabel(name, name, null, null);
                }
                else if (KernelTypes.Select(t => LookingAt(p, t)).FirstOrDefault(r => r is not null) is { } kernel)
                {
                    if (_current is not null)
                    {
                        _current = _current with { Kernel = FirstWord(kernel) };
                    }
                }
                else if (LookingAt(p, "timeout") is { } timeout)
                {
                    Timeout = Atoi(timeout);
                }
                else if (LookingAt(p, "ontimeout") is { } onTimeout)
                {
                    OnTimeout = SkipSpace(onTimeout).TrimEnd();
                }
                else if (LookingAt(p, "default") is { } @default)
                {
                    Default = SkipSpace(@default).TrimEnd();
                }
                else if (LookingAt(p, "ui") is { } ui)
                {
                    Ui = SkipSpace(ui).TrimEnd();
                }
                else if (LookingAt(p, "prompt") is { } prompt)
                {
                    Prompt = Atoi(prompt) != 0;
                }
                else if (LookingAt(p, "onerror") is { } onError)
                {
                    OnError = SkipSpace(onError).TrimEnd();
                }
                else if (LookingAt(p, "serial") is { } serial)
                {
                    Serial = SkipSpace(serial).TrimEnd();
                }
            }
        }

        private void Menu(string p, int depth)
        {
            if (LookingAt(p, "onerror") is { } onError)
            {
                OnError = SkipSpace(onError).TrimEnd();
            }
            else if (LookingAt(p, "include") is { } file)
            {
                Include(file, depth);
            }
            else if (LookingAt(p, "disable") is not null || LookingAt(p, "disabled") is not null)
            {
                if (_current is not null)
                {
                    _current = _current with { Disabled = true };
                }
            }
            else if (LookingAt(p, "separator") is not null || LookingAt(p, "begin") is not null || LookingAt(p, "end") is not null)
            {
                Record();
            }
        }

        private void Include(string rest, int depth)
        {
            var file = FirstWord(rest);
            if (include is null || depth >= MaxIncludeDepth || file.Length == 0)
            {
                return;
            }

            Includes.Add(file);
            if (include(file) is { } text)
            {
                ParseFile(text, depth + 1);
            }
        }
    }
}
