using Arcp.Runtime.Sessions.Auth;

namespace Arcp.Host.Development;

/// <summary>Accepts the minted development token, and otherwise whatever the configured authenticator accepts.</summary>
internal sealed class DevelopmentTokenAuthenticator(BearerAuthenticator configured, DevelopmentToken development) : IBearerAuthenticator
{
    public Task<string?> AuthenticateAsync(string token, CancellationToken cancellationToken) =>
        !string.IsNullOrEmpty(token) && development.Matches(token)
            ? Task.FromResult<string?>(DevelopmentToken.Principal)
            : configured.AuthenticateAsync(token, cancellationToken);
}
