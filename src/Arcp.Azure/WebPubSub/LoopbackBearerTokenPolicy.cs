using System.Runtime.CompilerServices;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Arcp.Azure.WebPubSub;

/// <summary>
/// Entra bearer tokens for a service on this machine over plain http (a local Web PubSub stand-in): Azure.Core's
/// bearer policy refuses any non-https endpoint, and a loopback address never leaves the machine. Tokens are reused
/// until five minutes before they expire.
/// </summary>
internal sealed class LoopbackBearerTokenPolicy(TokenCredential credential, string scope, TimeProvider timeProvider) : HttpPipelinePolicy
{
    private static readonly TimeSpan s_refreshBefore = TimeSpan.FromMinutes(5);
    private volatile StrongBox<AccessToken>? _box;

    public static bool Applies(Uri endpoint) => endpoint.Scheme == Uri.UriSchemeHttp && endpoint.IsLoopback;

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
        ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        // The endpoint was checked at construction; a request URI is checked again so no redirect leaves the machine.
        var host = message.Request.Uri.Host ?? "";
        var loopback = host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || (System.Net.IPAddress.TryParse(host.Trim('[', ']'), out var address) && System.Net.IPAddress.IsLoopback(address));
        if (!loopback)
        {
            throw new InvalidOperationException("Bearer tokens over http are sent to loopback addresses only.");
        }

        var token = await TokenAsync(message.CancellationToken).ConfigureAwait(false);
        message.Request.Headers.SetValue(HttpHeader.Names.Authorization, "Bearer " + token);
        await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
    }

    // Two requests may both refresh at expiry; either token is valid, so no lock is needed.
    private async Task<string> TokenAsync(CancellationToken cancellationToken)
    {
        if (_box is { Value: var cached } && cached.ExpiresOn - s_refreshBefore > timeProvider.GetUtcNow())
        {
            return cached.Token;
        }

        var fresh = await credential.GetTokenAsync(new TokenRequestContext([scope]), cancellationToken).ConfigureAwait(false);
        _box = new StrongBox<AccessToken>(fresh);
        return fresh.Token;
    }
}
