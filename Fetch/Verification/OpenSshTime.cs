namespace Webc.BootSafe.Fetch.Verification;

/// <summary>
/// The timestamps of allowed_signers <c>valid-after=</c>/<c>valid-before=</c> as OpenSSH reads them
/// (misc.c parse_absolute_time): <c>YYYYMMDD</c>, <c>YYYYMMDDHHMM</c> or <c>YYYYMMDDHHMMSS</c>, in
/// UTC with a <c>Z</c> or <c>UTC</c> suffix and in the machine's local time otherwise. The fields go
/// through glibc strptime, whose leniency we copy (leading blanks in a field, day 31 of any month,
/// seconds up to 61: mktime normalises them) so a file means the same to us as to ssh-keygen.
/// </summary>
public static class OpenSshTime
{
    /// <summary>Seconds since the epoch, or null when ssh-keygen would call the time invalid.</summary>
    public static long? Parse(string s)
    {
        var utc = false;
        var length = s.Length;
        if (length > 1 && s[^1] is 'Z' or 'z')
        {
            utc = true;
            length--;
        }
        else if (length > 3 && string.Equals(s[^3..], "UTC", StringComparison.OrdinalIgnoreCase))
        {
            utc = true;
            length -= 3;
        }

        // parse_absolute_time rebuilds the text as "YYYY-MM-DD[THH:MM[:SS]]" for strptime.
        string buffer, format;
        switch (length)
        {
            case 8:
                buffer = $"{s[..4]}-{s[4..6]}-{s[6..8]}";
                format = "Y-m-d";
                break;
            case 12:
                buffer = $"{s[..4]}-{s[4..6]}-{s[6..8]}T{s[8..10]}:{s[10..12]}";
                format = "Y-m-dTH:M";
                break;
            case 14:
                buffer = $"{s[..4]}-{s[4..6]}-{s[6..8]}T{s[8..10]}:{s[10..12]}:{s[12..14]}";
                format = "Y-m-dTH:M:S";
                break;
            default:
                return null;
        }

        int year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0;
        var at = 0;
        foreach (var f in format)
        {
            bool ok;
            switch (f)
            {
                case 'Y': ok = Number(buffer, ref at, 0, 9999, 4, out year); break;
                case 'm': ok = Number(buffer, ref at, 1, 12, 2, out month); break;
                case 'd': ok = Number(buffer, ref at, 1, 31, 2, out day); break;
                case 'H': ok = Number(buffer, ref at, 0, 23, 2, out hour); break;
                case 'M': ok = Number(buffer, ref at, 0, 59, 2, out minute); break;
                case 'S': ok = Number(buffer, ref at, 0, 61, 2, out second); break;
                default:
                    ok = at < buffer.Length && buffer[at] == f;
                    at++;
                    break;
            }

            if (!ok)
            {
                return null;
            }
        }

        if (at != buffer.Length)
        {
            return null;
        }

        // timegm/mktime normalise out-of-range days and seconds; the epoch day arithmetic does the same.
        if (year < 1)
        {
            return null;
        }

        long days = new DateOnly(year, month, 1).DayNumber - DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber + (day - 1);

        var wall = (days * 86400) + (hour * 3600) + (minute * 60) + second;
        var seconds = utc ? wall : wall - (long)StandardOffset(wall).TotalSeconds;
        return seconds < 0 ? null : seconds;
    }

    /// <summary>glibc get_number: skip blanks, then up to n digits while the value can still grow within range.</summary>
    private static bool Number(string text, ref int at, int from, int to, int n, out int value)
    {
        value = 0;
        while (at < text.Length && IsCSpace(text[at]))
        {
            at++;
        }

        if (at >= text.Length || !char.IsAsciiDigit(text[at]))
        {
            return false;
        }

        do
        {
            value = (value * 10) + (text[at++] - '0');
        }
        while (--n > 0 && value * 10 <= to && at < text.Length && char.IsAsciiDigit(text[at]));

        return value >= from && value <= to;
    }

    private static bool IsCSpace(char c) => c is ' ' or '\t' or '\n' or '\v' or '\f' or '\r';

    /// <summary>
    /// The offset mktime applies with tm_isdst = 0: the zone's standard offset at that moment (no
    /// daylight saving). Kiosks run in UTC, where this is zero.
    /// </summary>
    private static TimeSpan StandardOffset(long wallSeconds)
    {
        var zone = TimeZoneInfo.Local;
        if (zone.BaseUtcOffset == TimeSpan.Zero && !zone.SupportsDaylightSavingTime)
        {
            return TimeSpan.Zero;
        }

        var wall = DateTime.SpecifyKind(DateTime.UnixEpoch.AddSeconds(Math.Min(wallSeconds, 253402300799L)), DateTimeKind.Unspecified);
        var offset = zone.GetUtcOffset(wall);
        if (zone.IsDaylightSavingTime(wall))
        {
            var rule = zone.GetAdjustmentRules().FirstOrDefault(r => r.DateStart <= wall && wall <= r.DateEnd);
            offset -= rule?.DaylightDelta ?? TimeSpan.FromHours(1);
        }

        return offset;
    }
}
