using System.Security.Cryptography;
using System.Text;

namespace Arcp.Runtime.Sessions.Handlers;

/// <summary>Resume tokens are stored only as SHA-256 hex.</summary>
internal static class ResumeTokens
{
    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
