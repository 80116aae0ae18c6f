using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Arcp.Azure.Storage;

/// <summary>Row and partition key spellings shared by the table adapters.</summary>
internal static class TableKeys
{
    /// <summary>Zero-padded so lexical order equals numeric order.</summary>
    public static string Padded(long value) => value.ToString("D19", CultureInfo.InvariantCulture);

    /// <summary>
    /// A key from arbitrary text (principals come from tokens): characters tables forbid in keys (<c>/ \ # ?</c>,
    /// control characters) and <c>%</c> itself are written as <c>%XX</c>, so distinct inputs stay distinct.
    /// </summary>
    public static string Escape(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var builder = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (c is '/' or '\\' or '#' or '?' or '%' || char.IsControl(c))
            {
                builder.Append('%').Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    /// <summary>SHA-256 of the UTF-8 text, lowercase hex: fixed length, safe as a key whatever the input.</summary>
    public static string Hash(string value) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));
}
