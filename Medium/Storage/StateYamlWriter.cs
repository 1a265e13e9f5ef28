using System.Globalization;
using System.Text;

namespace Webc.BootSafe.Medium.Storage;

/// <summary>
/// Writes a slot record's YAML: the layout YamlDotNet gave it before issue 17 (keys in the same order,
/// null as an empty value, block sequences at the key's column), with every other string (a reason,
/// a slot name from the kernel command line) double-quoted on one line and escaped. Any YAML reader
/// loads it, a release before issue 17 included; a record of plain values is byte for byte what
/// those releases wrote (Specs/Storage/StateYamlProperties.cs checks both against YamlDotNet).
/// </summary>
internal sealed class StateYamlWriter
{
    private readonly StringBuilder _text = new();
    private bool _pendingItem;

    public override string ToString() => _text.ToString();

    public StateYamlWriter Number(string key, long value, int indent = 0) =>
        Line(indent, key, value.ToString(CultureInfo.InvariantCulture));

    /// <summary>
    /// A string: plain when every YAML reader reads it back as this string (a commit id, a state name,
    /// a time), double-quoted and escaped otherwise (a reason, a slot name from the kernel command line).
    /// </summary>
    public StateYamlWriter Value(string key, string? value, int indent = 0) =>
        Line(indent, key, value is null ? "" : IsPlain(value) ? value : Quoted(value));

    public StateYamlWriter Key(string key, int indent = 0) => Line(indent, key, null);

    public StateYamlWriter EmptyList(string key) => Line(0, key, "[]");

    /// <summary>Starts a sequence item; the item's first key goes on the dash's line.</summary>
    public StateYamlWriter Item()
    {
        _text.Append("- ");
        _pendingItem = true;
        return this;
    }

    private StateYamlWriter Line(int indent, string key, string? value)
    {
        if (!_pendingItem)
        {
            _text.Append(' ', indent);
        }

        _pendingItem = false;
        _text.Append(key).Append(':');
        if (value is not null)
        {
            _text.Append(' ').Append(value);
        }

        _text.Append('\n');
        return this;
    }

    // Letters, digits and . _ + : - only, starting with a letter or digit, not ending with ':' and not
    // a YAML null: what YamlDotNet also writes plain, and any YAML reader reads back as the same string.
    private static bool IsPlain(string value) =>
        value.Length > 0
        && char.IsAsciiLetterOrDigit(value[0])
        && value[^1] != ':'
        && value is not ("null" or "Null" or "NULL")
        && !value.AsSpan().ContainsAnyExcept(PlainCharacters);

    private const string PlainCharacters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._+:-";

    private static string Quoted(string value)
    {
        var text = new StringBuilder(value.Length + 2).Append('"');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\0': text.Append("\\0"); break;
                case '\t': text.Append("\\t"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\u0085': text.Append("\\N"); break;
                case '\u2028': text.Append("\\L"); break;
                case '\u2029': text.Append("\\P"); break;
                case < ' ' or (>= '\u007f' and <= '\u009f') or '\ufeff' or '\ufffe' or '\uffff':
                    text.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                    break;
                case var s when char.IsSurrogate(s) && !(char.IsHighSurrogate(s) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1])):
                    // A lone surrogate has no UTF-8: escaped, it comes back as the same string.
                    text.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                    break;
                case var h when char.IsHighSurrogate(h):
                    text.Append(h).Append(value[++i]);
                    break;
                default: text.Append(c); break;
            }
        }

        return text.Append('"').ToString();
    }
}
