using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Arcp.Functions.Health;

/// <summary>Liveness probe: answers 200 once the worker can serve.</summary>
public static class HealthFunction
{
    [Function("healthz")]
    public static IActionResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "healthz")] HttpRequest request)
        => new OkObjectResult(new { status = "ok" });
}
