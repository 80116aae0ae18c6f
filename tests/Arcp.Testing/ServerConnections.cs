using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Arcp.Testing;

/// <summary>
/// Tracks the HTTP connections of the test host so a test can drop them from the server end, the way a crashed node
/// or a load balancer would.
/// </summary>
public sealed class ServerConnections
{
    private readonly ConcurrentDictionary<HttpContext, byte> _open = new();

    /// <summary>Number of requests currently in flight (WebSocket connections stay in flight while open).</summary>
    public int Count => _open.Count;

    /// <summary>Aborts every tracked connection; returns how many.</summary>
    public int AbortAll()
    {
        var count = 0;
        foreach (var context in _open.Keys)
        {
            context.Abort();
            count++;
        }

        return count;
    }

    private async Task TrackAsync(HttpContext context, RequestDelegate next)
    {
        _open.TryAdd(context, 0);
        try
        {
            await next(context);
        }
        finally
        {
            _open.TryRemove(context, out _);
        }
    }

    /// <summary>Puts the tracker in front of the whole pipeline.</summary>
    internal sealed class Filter(ServerConnections connections) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextDelegate) => connections.TrackAsync(context, nextDelegate));
            next(app);
        };
    }
}
