using System.Collections.Immutable;
using System.Text;
using Webc.BootSafe.Medium.Errors;

namespace Webc.BootSafe.Bootloader.Adv;

/// <summary>
/// The records of syslinux's auxiliary data vector, in on-disk order. Edits follow
/// <c>syslinux_setadv</c>: setting a tag removes every old record with it and appends the new one;
/// an empty value deletes. Records with other tags (MENUSAVE, unknown ones) are never touched.
/// Equality is by content.
/// </summary>
public sealed record Adv
{
    /// <summary>A record's value holds at most this many bytes (its length is one byte).</summary>
    public const int MaxValueLength = 255;

    /// <summary>Bytes all records share in one 512-byte copy (the rest is magics and checksum).</summary>
    public const int RecordAreaLength = 500;

    private readonly ImmutableArray<AdvRecord> records;

    public Adv(ImmutableArray<AdvRecord> records)
    {
        Records = records;
    }

    public static Adv Empty { get; } = new([]);

    public ImmutableArray<AdvRecord> Records
    {
        get => records;
        init => records = Validate(value);
    }

    /// <summary>Bytes the records take in the record area.</summary>
    public int EncodedLength => records.Sum(r => r.EncodedLength);

    /// <summary>The BOOTONCE command line (label, then words appended to its APPEND); null when absent.</summary>
    public string? BootOnce => Text(AdvTags.BootOnce);

    /// <summary>The MENUSAVE label; null when absent.</summary>
    public string? MenuSave => Text(AdvTags.MenuSave);

    /// <summary>The first record with <paramref name="tag"/>, as syslinux_getadv finds it; null when absent.</summary>
    public AdvRecord? Find(byte tag) => records.FirstOrDefault(r => r.Tag == tag);

    /// <summary>Sets BOOTONCE; null or empty deletes it.</summary>
    public Adv WithBootOnce(string? commandLine) => WithText(AdvTags.BootOnce, commandLine);

    /// <summary>Sets MENUSAVE; null or empty deletes it.</summary>
    public Adv WithMenuSave(string? label) => WithText(AdvTags.MenuSave, label);

    /// <summary>Removes every record with <paramref name="tag"/>, then appends the new value unless it is empty.</summary>
    public Adv With(byte tag, ReadOnlySpan<byte> value)
    {
        if (tag == AdvTags.End)
        {
            throw new BadInputException("ADV tag 0 marks the end of the records and cannot be set");
        }

        if (value.Length > MaxValueLength)
        {
            throw new BadInputException(
                $"ADV record {TagName(tag)} would hold {value.Length} bytes; one record holds at most {MaxValueLength}");
        }

        var kept = records.Where(r => r.Tag != tag);
        var next = value.IsEmpty ? kept : kept.Append(new AdvRecord(tag, [.. value]));
        return new Adv([.. next]);
    }

    public bool Equals(Adv? other) => other is not null && records.SequenceEqual(other.records);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var record in records)
        {
            hash.Add(record);
        }

        return hash.ToHashCode();
    }

    public override string ToString() => "Adv[" + string.Join(", ", records) + "]";

    public static string TagName(byte tag) => tag switch
    {
        AdvTags.BootOnce => "BOOTONCE (tag 1)",
        AdvTags.MenuSave => "MENUSAVE (tag 2)",
        _ => $"tag {tag}",
    };

    private string? Text(byte tag) =>
        Find(tag) is { Value.Length: > 0 } record ? Encoding.UTF8.GetString(record.Value.AsSpan()) : null;

    private Adv WithText(byte tag, string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return With(tag, []);
        }

        // ldlinux copies the value as a C string and splits it on spaces: a NUL, newline or other
        // control character would boot something other than what the caller named.
        var bad = text.AsSpan().IndexOfAnyInRange('\0', '\u001f');
        if (bad >= 0 || text.Contains('\u007f'))
        {
            var at = bad >= 0 ? bad : text.IndexOf('\u007f');
            throw new BadInputException(
                $"ADV record {TagName(tag)} value \"{text.ReplaceLineEndings(" ")}\" contains control character U+{(int)text[at]:X4} at {at}");
        }

        return With(tag, Encoding.UTF8.GetBytes(text));
    }

    private static ImmutableArray<AdvRecord> Validate(ImmutableArray<AdvRecord> value)
    {
        var list = value.IsDefault ? [] : value;
        var total = 0;
        foreach (var record in list)
        {
            if (record is null)
            {
                throw new BadInputException("ADV records must not be null");
            }

            if (record.Tag == AdvTags.End)
            {
                throw new BadInputException("ADV tag 0 marks the end of the records and cannot be a record");
            }

            if (record.Value.Length > MaxValueLength)
            {
                throw new BadInputException(
                    $"ADV record {TagName(record.Tag)} holds {record.Value.Length} bytes; one record holds at most {MaxValueLength}");
            }

            total += record.EncodedLength;
        }

        if (total > RecordAreaLength)
        {
            throw new BadInputException(
                $"ADV records would take {total} bytes (2 per record plus its value); they share at most {RecordAreaLength}");
        }

        return list;
    }
}
