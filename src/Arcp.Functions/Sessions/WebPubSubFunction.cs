using Arcp.Azure.WebPubSub;
using Arcp.Functions.Jobs;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Arcp.Functions.Sessions;

/// <summary><c>OPTIONS|POST /api/webpubsub</c>: the Web PubSub upstream, the shared <see cref="WebPubSubUpstreamHandler"/>.</summary>
public sealed class WebPubSubFunction(WebPubSubUpstreamHandler handler)
{
    [Function("webpubsub")]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "options", "post", Route = "webpubsub")] HttpRequest request,
        [DurableClient] DurableTaskClient? client)
    {
        ArgumentNullException.ThrowIfNull(request);
        using (AmbientJobScheduler.Bind(client))
        {
            await handler.HandleAsync(request.HttpContext);
        }

        return new EmptyResult();
    }
}
