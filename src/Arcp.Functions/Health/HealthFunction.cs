using Arcp.Azure.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Arcp.Functions.Health;

/// <summary>Health probe: 200 when the worker can serve, 503 when its storage account does not answer (as the local host's <c>/healthz</c>).</summary>
public sealed class HealthFunction(StorageProbe probe)
{
    [Function("healthz")]
    public async Task<IActionResult> RunAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "healthz")] HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return await probe.IsReachableAsync(cancellationToken).ConfigureAwait(false)
            ? new OkObjectResult(new { status = "ok" })
            : new ObjectResult(new { status = "storage unreachable" }) { StatusCode = StatusCodes.Status503ServiceUnavailable };
    }
}
