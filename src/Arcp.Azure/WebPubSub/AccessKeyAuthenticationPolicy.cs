using Azure.Core;
using Azure.Core.Pipeline;

namespace Arcp.Azure.WebPubSub;

/// <summary>Signs each REST call with an access-key JWT whose audience is the full request URL, valid five minutes.</summary>
internal sealed class AccessKeyAuthenticationPolicy(string accessKey, TimeProvider timeProvider) : HttpPipelineSynchronousPolicy
{
    public override void OnSendingRequest(HttpMessage message)
    {
        var token = WebPubSubTokens.Create(accessKey, message.Request.Uri.ToUri().AbsoluteUri, subject: null, timeProvider.GetUtcNow(), TimeSpan.FromMinutes(5));
        message.Request.Headers.SetValue(HttpHeader.Names.Authorization, "Bearer " + token);
    }
}
