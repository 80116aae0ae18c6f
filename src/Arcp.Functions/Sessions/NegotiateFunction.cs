using Arcp.Azure.WebPubSub;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Arcp.Functions.Sessions;

/// <summary><c>GET /api/negotiate</c>: the shared <see cref="NegotiateHandler"/>.</summary>
public sealed class NegotiateFunction(NegotiateHandler handler)
{
    [Function("negotiate")]
    public async Task<IActionResult> RunAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "negotiate")] HttpRequest request)
    {
        await handler.HandleAsync(request.HttpContext);
        return new EmptyResult();
    }
}
