using System.Globalization;
using System.Text;

namespace Webc.BootSafe.Medium.Storage;

/// <summary>
/// Reads the YAML that state.yaml is written in: block mappings, block sequences of mappings, the
/// empty flow collections <c>[]</c> and <c>{}</c>, plain scalars (folded over lines), single- and
/// double-quoted scalars on one line, and literal and folded block scalars. That covers everything a
/// release has written there and read back as written: this codec's own output and YamlDotNet's
/// (releases before issue 17, whose file a rollback to an older revision may meet; it wrote a value
/// with line breaks as a block scalar). Anything else (anchors, tags, flow collections with items) is refused as
/// <see cref="StateFileException"/>, never guessed: the file is checksummed, so only a writer, not an
/// edit, could have produced it.
/// Hand-written so that a boot loads its record without a YAML library (issue 17: start-up).
/// </summary>
internal sealed class StateYamlReader
{
    private readonly string[] _lines;

    // The break that ends each line as YAML reads it: CR LF, CR, LF and NEL are a newline; the
    // Unicode line and paragraph separators stay themselves (YamlDotNet wrote them raw in block scalars).
    private readonly char[] _breaks;
    private int _at;

    private StateYamlReader(string text)
    {
        var lines = new List<string>();
        var breaks = new List<char>();
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is '\n' or '\r' or '\u0085' or '\u2028' or '\u2029')
            {
                lines.Add(text[start..i]);
                breaks.Add(c is '\u2028' or '\u2029' ? c : '\n');
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }

                start = i + 1;
            }
        }

        lines.Add(text[start..]);
        breaks.Add('\n');
        _lines = [.. lines];
        _breaks = [.. breaks];
    }

    /// <summary>The top-level mapping of <paramref name="text"/> (comment lines and blank lines aside).</summary>
    public static YamlMap Read(string text)
    {
        var reader = new StateYamlReader(text);
        reader.SkipBlankAndComments();
        if (reader._at >= reader._lines.Length)
        {
            throw new StateFileException("empty slot record");
        }

        if (Indent(reader._lines[reader._at]) != 0)
        {
            throw Refused(reader._at, "the record does not start at column 0");
        }

        var map = reader.ReadMap(0);
        reader.SkipBlankAndComments();
        return reader._at < reader._lines.Length ? throw Refused(reader._at, "text after the record") : map;
    }

    private YamlMap ReadMap(int indent)
    {
        var entries = new List<KeyValuePair<string, YamlNode>>();
        while (NextContentLine() is { } line && Indent(line) == indent && !IsSequenceItem(line, indent))
        {
            var content = line[indent..];
            var colon = KeyEnd(content);
            if (colon <= 0)
            {
                throw Refused(_at, "expected 'key: value'");
            }

            var key = content[..colon];
            var rest = content[(colon + 1)..].TrimStart(' ', '\t');
            var keyLine = _at;
            _at++;
            entries.Add(new(key, ReadValue(rest, indent, keyLine)));
        }

        if (NextContentLine() is { } after && Indent(after) > indent)
        {
            throw Refused(_at, "unexpected indentation");
        }

        return new YamlMap(entries);
    }

    // The value after "key:" on the key's line (rest, maybe empty), for a key at column indent.
    private YamlNode ReadValue(string rest, int indent, int keyLine)
    {
        switch (rest)
        {
            case "[]":
                return new YamlList([]);
            case "{}":
                return new YamlMap([]);
            case "":
            case var comment when comment.StartsWith('#'):
                // A nested block, or nothing (null). A sequence may sit at the key's own column.
                if (NextContentLine() is { } next && (Indent(next) > indent || IsSequenceItem(next, indent)))
                {
                    var nested = Indent(next);
                    return IsSequenceItem(next, nested) ? ReadList(nested) : ReadMap(nested);
                }

                return YamlScalar.Null;
            default:
                return ReadScalar(rest, indent, keyLine);
        }
    }

    private YamlList ReadList(int indent)
    {
        var items = new List<YamlNode>();
        while (NextContentLine() is { } line && Indent(line) == indent && IsSequenceItem(line, indent))
        {
            var rest = line[(indent + 1)..];
            var pad = rest.Length - rest.TrimStart(' ').Length;
            rest = rest.TrimStart(' ');
            if (rest.StartsWith('\t'))
            {
                throw Refused(_at, "a tab indents a sequence item");
            }

            if (rest.Length == 0)
            {
                throw Refused(_at, "an empty sequence item");
            }

            if (KeyEnd(rest) > 0)
            {
                // "- key: value": a mapping whose first line starts after the dash; read it as if
                // that line were indented to where its key begins.
                var column = indent + 1 + pad;
                _lines[_at] = new string(' ', column) + rest;
                items.Add(ReadMap(column));
            }
            else
            {
                var itemLine = _at;
                _at++;
                items.Add(ReadScalar(rest, indent, itemLine));
            }
        }

        return new YamlList(items);
    }

    // A flow scalar starting with first on line at, continued on lines indented past parentIndent.
    private YamlScalar ReadScalar(string first, int parentIndent, int at)
    {
        if (first[0] is '|' or '>')
        {
            return new YamlScalar(ReadBlock(first, parentIndent, at));
        }

        if (first[0] is '&' or '*' or '!' or '%' or '@' or '`' or '{' or '[')
        {
            throw Refused(at, $"'{first[0]}' starts a YAML construct this record never holds");
        }

        if (first[0] is '"' or '\'')
        {
            return new YamlScalar(ReadQuoted(first, at));
        }

        _at = at + 1;
        var text = new StringBuilder(StripComment(first).TrimEnd(' ', '\t'));
        var breaks = 0;
        while (_at < _lines.Length)
        {
            var line = _lines[_at];
            var trimmed = line.Trim(' ', '\t');
            if (trimmed.Length == 0)
            {
                breaks++;
                _at++;
                continue;
            }

            if (Indent(line) <= parentIndent || trimmed.StartsWith('#'))
            {
                break;
            }

            Fold(text, breaks);
            breaks = 0;
            text.Append(StripComment(trimmed).TrimEnd(' ', '\t'));
            _at++;
        }

        var value = text.ToString();
        return value is "" or "~" or "null" or "Null" or "NULL" ? YamlScalar.Null : new YamlScalar(value);
    }

    // A literal (|) or folded (>) block scalar, YamlDotNet's choice for a value with line breaks:
    // header "|" or ">" with an optional indentation digit and chomping sign (YAML 1.2, 8.1).
    private string ReadBlock(string header, int parentIndent, int at)
    {
        var folded = header[0] == '>';
        int? explicitIndent = null;
        var chomp = '\0';
        var end = 1;
        for (; end < header.Length && header[end] is not (' ' or '\t'); end++)
        {
            switch (header[end])
            {
                case >= '1' and <= '9' when explicitIndent is null:
                    explicitIndent = header[end] - '0';
                    break;
                case '-' or '+' when chomp == '\0':
                    chomp = header[end];
                    break;
                default:
                    throw Refused(at, "a bad block scalar header");
            }
        }

        if (header[end..].Trim(' ', '\t') is { Length: > 0 } afterHeader && !afterHeader.StartsWith('#'))
        {
            throw Refused(at, "text after a block scalar header");
        }

        // The content: lines at least as indented as its first text line, and the empty lines among
        // them, joined as YamlDotNet's scanner (libyaml's) joins them.
        _at = at + 1;
        var indent = parentIndent + explicitIndent;
        var text = new StringBuilder();
        var trailingBreaks = new StringBuilder();
        string? leadingBreak = null;
        var leadingBlank = false;
        while (true)
        {
            // Empty lines (no more than the indentation's spaces) are breaks kept for later.
            while (_at < _lines.Length && _lines[_at].Trim(' ').Length == 0 && (indent is null || _lines[_at].Length <= indent))
            {
                trailingBreaks.Append(_breaks[_at]);
                _at++;
            }

            if (_at >= _lines.Length)
            {
                break;
            }

            var line = _lines[_at];
            indent ??= Math.Max(Indent(line), parentIndent + 1);
            if (Indent(line) < indent)
            {
                break;
            }

            var content = line[indent.Value..];
            var trailingBlank = content[0] is ' ' or '\t';
            if (folded && leadingBreak == "\n" && !leadingBlank && !trailingBlank)
            {
                if (trailingBreaks.Length == 0)
                {
                    text.Append(' ');
                }
            }
            else
            {
                text.Append(leadingBreak);
            }

            text.Append(trailingBreaks);
            trailingBreaks.Clear();
            leadingBlank = trailingBlank;
            text.Append(content);
            leadingBreak = _breaks[_at].ToString();
            _at++;
        }

        if (chomp != '-')
        {
            text.Append(leadingBreak);
        }

        if (chomp == '+')
        {
            text.Append(trailingBreaks);
        }

        return text.ToString();
    }

    // Single- or double-quoted, closed on its own line: neither YamlDotNet nor this codec's writer
    // breaks a quoted value over lines (values with line breaks became block scalars).
    private string ReadQuoted(string first, int at)
    {
        var quote = first[0];
        var text = new StringBuilder();
        for (var i = 1; i < first.Length; i++)
        {
            var c = first[i];
            if (c == quote && quote == '\'' && i + 1 < first.Length && first[i + 1] == '\'')
            {
                text.Append('\'');
                i++;
            }
            else if (c == quote)
            {
                var tail = first[(i + 1)..].Trim(' ', '\t');
                if (tail.Length > 0 && !tail.StartsWith('#'))
                {
                    throw Refused(at, "text after a closing quote");
                }

                _at = at + 1;
                return text.ToString();
            }
            else if (quote == '"' && c == '\\' && i + 1 < first.Length)
            {
                i = Unescape(first, i + 1, text, at);
            }
            else
            {
                text.Append(c);
            }
        }

        throw Refused(at, "a quoted value is not closed on its line");
    }

    // Returns the index of the escape's last character.
    private static int Unescape(string line, int i, StringBuilder text, int at)
    {
        var c = line[i];
        switch (c)
        {
            case '0': text.Append('\0'); return i;
            case 'a': text.Append('\a'); return i;
            case 'b': text.Append('\b'); return i;
            case 't' or '\t': text.Append('\t'); return i;
            case 'n': text.Append('\n'); return i;
            case 'v': text.Append('\v'); return i;
            case 'f': text.Append('\f'); return i;
            case 'r': text.Append('\r'); return i;
            case 'e': text.Append('\x1b'); return i;
            case ' ' or '"' or '/' or '\\': text.Append(c); return i;
            case 'N': text.Append('\u0085'); return i;
            case '_': text.Append('\u00a0'); return i;
            case 'L': text.Append('\u2028'); return i;
            case 'P': text.Append('\u2029'); return i;
            case 'x': return Hex(line, i, 2, text, at);
            case 'u': return Hex(line, i, 4, text, at);
            case 'U': return Hex(line, i, 8, text, at);
            default: throw Refused(at, $"unknown escape '\\{c}'");
        }
    }

    private static int Hex(string line, int i, int digits, StringBuilder text, int at)
    {
        if (i + digits >= line.Length
            || !uint.TryParse(line.AsSpan(i + 1, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code)
            || code > 0x10FFFF)
        {
            throw Refused(at, "a bad \\x, \\u or \\U escape");
        }

        if (code <= 0xFFFF)
        {
            text.Append((char)code);
        }
        else
        {
            text.Append(char.ConvertFromUtf32((int)code));
        }

        return i + digits;
    }

    // A line break between two lines of a flow scalar is a space; each empty line between them is a newline.
    private static void Fold(StringBuilder text, int emptyLines)
    {
        if (emptyLines == 0)
        {
            text.Append(' ');
        }
        else
        {
            text.Append('\n', emptyLines);
        }
    }

    // Where "key:" ends (the colon), for a plain key followed by ": " or the end of the line; -1 otherwise.
    private static int KeyEnd(string content)
    {
        for (var i = 0; i < content.Length; i++)
        {
            var c = content[i];
            if (c == ':' && (i + 1 == content.Length || content[i + 1] is ' ' or '\t'))
            {
                return i;
            }

            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
            {
                return -1;
            }
        }

        return -1;
    }

    private static string StripComment(string plain)
    {
        var at = plain.IndexOf(" #", StringComparison.Ordinal);
        return at < 0 ? plain : plain[..at];
    }

    private static bool IsSequenceItem(string line, int indent) =>
        line.Length > indent && line[indent] == '-' && (line.Length == indent + 1 || line[indent + 1] == ' ');

    private static int Indent(string line)
    {
        var n = 0;
        while (n < line.Length && line[n] == ' ')
        {
            n++;
        }

        return n;
    }

    private string? NextContentLine()
    {
        SkipBlankAndComments();
        return _at < _lines.Length ? _lines[_at] : null;
    }

    private void SkipBlankAndComments()
    {
        while (_at < _lines.Length && (_lines[_at].Trim(' ', '\t').Length == 0 || _lines[_at].TrimStart(' ').StartsWith('#')))
        {
            _at++;
        }
    }

    private static StateFileException Refused(int line, string what) => new($"not a slot record: line {line + 1}: {what}");
}
