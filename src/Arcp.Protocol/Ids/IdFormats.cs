using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace Arcp.Protocol.Ids;

/// <summary>Validators for identifier formats and a constant-time comparison for secrets.</summary>
public static class IdFormats
{
    private static readonly SearchValues<char> _crockford = SearchValues.Create("0123456789ABCDEFGHJKMNPQRSTVWXYZ");

    /// <summary>Returns whether <paramref name="value"/> is exactly 32 lowercase hex characters and not all zero (W3C trace-id).</summary>
    public static bool IsValidTraceId([NotNullWhen(true)] string? value)
    {
        if (value is null || value.Length != 32)
        {
            return false;
        }

        var nonZero = false;
        foreach (var c in value)
        {
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c))
            {
                return false;
            }

            nonZero |= c != '0';
        }

        return nonZero;
    }

    /// <summary>Returns whether <paramref name="value"/> is a canonical 26-character uppercase Crockford ULID.</summary>
    public static bool IsValidUlid([NotNullWhen(true)] string? value) =>
        value is { Length: 26 } && value[0] <= '7' && value.AsSpan().IndexOfAnyExcept(_crockford) < 0;

    /// <summary>Returns whether <paramref name="value"/> is <c>rt_</c> followed by 64 lowercase hex characters.</summary>
    public static bool IsValidResumeToken([NotNullWhen(true)] string? value)
    {
        if (value is null || value.Length != 67 || !value.StartsWith(IdPrefixes.ResumeToken, StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var c in value.AsSpan(3))
        {
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Compares two secrets in time independent of where they differ (UTF-8, <see cref="CryptographicOperations.FixedTimeEquals"/>); null never matches.</summary>
    public static bool SecretEquals(string? left, string? right)
    {
        if (left is null || right is null)
        {
            return false;
        }

        var leftBytes = Encoding.UTF8.GetBytes(left);
        var rightBytes = Encoding.UTF8.GetBytes(right);

        // FixedTimeEquals returns early on a length mismatch; hashing both first keeps even the
        // length out of the timing signal.
        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(leftBytes), SHA256.HashData(rightBytes))
            && CryptographicOperations.FixedTimeEquals(leftBytes, rightBytes);
    }
}
