using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Arcp.Protocol.Json;

/// <summary>Formats and parses ARCP timestamps: RFC 3339, written in UTC with a literal <c>Z</c> and exactly three fractional digits.</summary>
public static class ArcpTimestamp
{
    private const string WireFormat = "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fff'Z'";

    /// <summary>Formats <paramref name="value"/> as <c>yyyy-MM-ddTHH:mm:ss.fffZ</c> in UTC (sub-millisecond digits are truncated).</summary>
    public static string Format(DateTimeOffset value) =>
        value.UtcDateTime.ToString(WireFormat, CultureInfo.InvariantCulture);

    /// <summary>Truncates <paramref name="value"/> to the millisecond precision the wire carries, in UTC.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset value)
    {
        var utc = value.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
    }

    /// <summary>Parses an RFC 3339 date-time with an explicit offset (<c>Z</c>, <c>z</c> or <c>±hh:mm</c>).</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out DateTimeOffset value)
    {
        value = default;
        if (string.IsNullOrEmpty(text) || text.Length < 20 || text.Length > 40 || !HasRfc3339Shape(text))
        {
            return false;
        }

        return DateTimeOffset.TryParse(
            text,
            CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal,
            out value);
    }

    // date "T" time [".' digits] offset: checked by hand so that loose .NET formats
    // ("May 13 2026", missing offsets) are refused.
    private static bool HasRfc3339Shape(string text)
    {
        static bool Digits(string s, int start, int count)
        {
            for (var i = start; i < start + count; i++)
            {
                if (!char.IsAsciiDigit(s[i]))
                {
                    return false;
                }
            }

            return true;
        }

        if (!(Digits(text, 0, 4) && text[4] == '-' && Digits(text, 5, 2) && text[7] == '-' && Digits(text, 8, 2)
            && (text[10] == 'T' || text[10] == 't') && Digits(text, 11, 2) && text[13] == ':' && Digits(text, 14, 2)
            && text[16] == ':' && Digits(text, 17, 2)))
        {
            return false;
        }

        var i = 19;
        if (i < text.Length && text[i] == '.')
        {
            i++;
            var start = i;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }

            if (i == start)
            {
                return false;
            }
        }

        var rest = text.AsSpan(i);
        if (rest is "Z" or "z")
        {
            return true;
        }

        return rest.Length == 6 && (rest[0] == '+' || rest[0] == '-') && char.IsAsciiDigit(rest[1]) && char.IsAsciiDigit(rest[2])
            && rest[3] == ':' && char.IsAsciiDigit(rest[4]) && char.IsAsciiDigit(rest[5]);
    }
}
