namespace Arcp.Runtime.Sessions.Auth;

/// <summary>Turns a bearer token into the principal it authenticates, or null.</summary>
public interface IBearerAuthenticator
{
    /// <summary>The principal, or null when the token is not valid.</summary>
    Task<string?> AuthenticateAsync(string token, CancellationToken cancellationToken);
}
