namespace Arcp.Protocol.Messages;

/// <summary>The <c>session.hello</c> <c>auth</c> object.</summary>
/// <param name="Scheme">Authentication scheme; <c>bearer</c> is the only one defined.</param>
/// <param name="Token">The bearer token; missing or empty means unauthenticated.</param>
public sealed record AuthInfo(string Scheme, string? Token = null)
{
    /// <summary>The <c>bearer</c> scheme.</summary>
    public const string BearerScheme = "bearer";

    /// <summary>Returns a log-safe description without the token.</summary>
    public override string ToString() => $"AuthInfo {{ Scheme = {Scheme}, Token = {(Token is null ? "null" : "***")} }}";
}
