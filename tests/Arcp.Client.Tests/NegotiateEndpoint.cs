using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Arcp.Client.Tests;

/// <summary>A stand-in negotiate endpoint: <c>GET /negotiate</c> with the right bearer token answers <c>{"url": "ws://…/arcp"}</c>.</summary>
internal sealed class NegotiateEndpoint : IStartupFilter
{
    public const string Token = "tok-alice";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Map("/negotiate", branch => branch.Run(async context =>
        {
            if (context.Request.Headers.Authorization.ToString() != "Bearer " + Token)
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return;
            }

            await context.Response.WriteAsJsonAsync(new Dictionary<string, string> { ["url"] = $"ws://{context.Request.Host}/arcp" });
        }));
        next(app);
    };
}
