using Arcp.Protocol.Messages;
using Arcp.Runtime.Agents;
using Arcp.Runtime.Credentials;
using Microsoft.Extensions.Options;

namespace Arcp.Runtime.Sessions.Handlers;

/// <summary>What a welcome offers: the negotiated features and the <c>session.welcome</c> payload.</summary>
internal sealed class SessionWelcomes(AgentCatalog agents, CredentialService credentials, IOptions<ArcpSessionOptions> options)
{
    private readonly ArcpSessionOptions _options = options.Value;

    /// <summary>The features both sides support; credentials only on a secure transport.</summary>
    public List<string> Negotiate(IReadOnlyList<string> requested, bool secureTransport) =>
        _options.Features
            .Concat(credentials.IsOfferedOn(secureTransport) ? [CredentialService.Feature] : [])
            .Where(f => requested.Contains(f, StringComparer.Ordinal))
            .ToList();

    /// <summary>Features a session keeps on this connection: credentials never move onto an insecure one.</summary>
    public List<string> Carry(IReadOnlyList<string> features, bool secureTransport) =>
        features.Where(f => f != CredentialService.Feature || credentials.IsOfferedOn(secureTransport)).ToList();

    public SessionWelcome Welcome(string token, IReadOnlyList<string> features) => new(
        new RuntimeInfo(_options.RuntimeName, _options.RuntimeVersion),
        token,
        _options.ResumeWindowSec,
        new WelcomeCapabilities(["json"], features, agents.Inventory),
        features.Contains("heartbeat", StringComparer.Ordinal) ? _options.HeartbeatIntervalSec : null);
}
