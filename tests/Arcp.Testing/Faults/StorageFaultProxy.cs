using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Arcp.Testing.Faults;

/// <summary>
/// A loopback HTTP reverse proxy in front of a storage emulator's blob, queue and table endpoints that applies a
/// <see cref="FaultSchedule"/> to every request. <see cref="ConnectionString"/> points at the proxy, so a host process
/// configured with it (the Durable backend's own traffic included) runs against faulty storage. Shared-key signatures
/// cover the path, not the host, so requests are forwarded unchanged.
/// </summary>
public sealed class StorageFaultProxy : IAsyncDisposable
{
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Connection", "Keep-Alive", "Transfer-Encoding", "Upgrade", "Proxy-Connection", "Proxy-Authenticate",
        "Proxy-Authorization", "TE", "Trailer", "Expect",
    };

    private readonly WebApplication _app;
    private readonly HttpClient _upstream;
    private readonly Dictionary<int, Uri> _targets;
    private readonly int _tablePort;
    private readonly Dictionary<int, StorageService> _services;

    private StorageFaultProxy(WebApplication app, HttpClient upstream, Dictionary<int, Uri> targets, Dictionary<int, StorageService> services, string connectionString, FaultSchedule schedule)
    {
        _app = app;
        _upstream = upstream;
        _targets = targets;
        _services = services;
        _tablePort = services.Single(s => s.Value == StorageService.Table).Key;
        ConnectionString = connectionString;
        Schedule = schedule;
    }

    /// <summary>A connection string like the target's whose three endpoints point at this proxy.</summary>
    public string ConnectionString { get; }

    public FaultSchedule Schedule { get; }

    /// <summary>Requests forwarded to storage (including those whose reply was then lost).</summary>
    public long Forwarded => Interlocked.Read(ref _forwarded);

    private long _forwarded;

    /// <summary>
    /// Called once per request storage answered, with its body: a traffic count (the benchmark's transaction
    /// counter) sees the host's and the Durable backend's requests alike. Set it before the traffic starts.
    /// </summary>
    public Action<ObservedStorageRequest>? Observer { get; set; }

    /// <summary>Starts the proxy in front of the endpoints of <paramref name="targetConnectionString"/> (loopback only).</summary>
    public static async Task<StorageFaultProxy> StartAsync(string targetConnectionString, FaultSchedule schedule, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(targetConnectionString);
        ArgumentNullException.ThrowIfNull(schedule);
        var parts = Parse(targetConnectionString);
        var endpoints = new[] { "BlobEndpoint", "QueueEndpoint", "TableEndpoint" }
            .Select(name => (Name: name, Target: parts.TryGetValue(name, out var value) ? new Uri(value) : throw new ArgumentException($"The connection string has no {name}.", nameof(targetConnectionString))))
            .ToList();
        if (endpoints.Any(e => !e.Target.IsLoopback))
        {
            throw new ArgumentException("The fault proxy only fronts loopback storage.", nameof(targetConnectionString));
        }

        var ports = endpoints.ToDictionary(e => e.Name, _ => FreePorts.Next());
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = null;
            foreach (var port in ports.Values)
            {
                kestrel.Listen(IPAddress.Loopback, port);
            }
        });
        var app = builder.Build();
        var upstream = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            UseProxy = false,
        })
        { Timeout = Timeout.InfiniteTimeSpan };

        foreach (var (name, target) in endpoints)
        {
            var proxied = new UriBuilder(target) { Host = "127.0.0.1", Port = ports[name] }.Uri.ToString().TrimEnd('/');
            parts[name] = proxied;
        }

        parts.Remove("UseDevelopmentStorage");
        var connectionString = string.Join(';', parts.Select(p => $"{p.Key}={p.Value}")) + ";";
        var targets = endpoints.ToDictionary(e => ports[e.Name], e => new UriBuilder(e.Target) { Path = string.Empty }.Uri);
        var services = new Dictionary<int, StorageService>
        {
            [ports["BlobEndpoint"]] = StorageService.Blob,
            [ports["QueueEndpoint"]] = StorageService.Queue,
            [ports["TableEndpoint"]] = StorageService.Table,
        };
        var proxy = new StorageFaultProxy(app, upstream, targets, services, connectionString, schedule);
        app.Run(proxy.HandleAsync);
        await app.StartAsync(cancellationToken);
        return proxy;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var decision = Schedule.Next();
        var aborted = context.RequestAborted;
        if (decision.AnswersInstead)
        {
            await AnswerAsync(context, decision);
            return;
        }

        if (decision.Kind == FaultKind.Latency)
        {
            await Task.Delay(decision.Delay, aborted);
        }

        var observer = Observer;
        byte[]? body = null;
        if (observer is not null)
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer, aborted);
            body = buffer.ToArray();
        }

        using var request = Forwarding(context, body);
        HttpResponseMessage response;
        try
        {
            response = await _upstream.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, aborted);
        }
        catch (HttpRequestException)
        {
            context.Response.StatusCode = StatusCodes.Status502BadGateway;
            return;
        }

        using (response)
        {
            Interlocked.Increment(ref _forwarded);
            observer?.Invoke(new ObservedStorageRequest(
                _services[context.Connection.LocalPort],
                context.Request.Method,
                context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()!.RawTarget,
                (int)response.StatusCode,
                body));
            if (decision.Kind == FaultKind.ReplyLost)
            {
                // Storage has done the work; the caller never hears of it.
                await response.Content.CopyToAsync(Stream.Null, aborted);
                context.Abort();
                return;
            }

            context.Response.StatusCode = (int)response.StatusCode;
            foreach (var header in response.Headers.Concat(response.Content.Headers))
            {
                if (!HopByHop.Contains(header.Key))
                {
                    context.Response.Headers[header.Key] = header.Value.ToArray();
                }
            }

            await response.Content.CopyToAsync(context.Response.Body, aborted);
        }
    }

    private HttpRequestMessage Forwarding(HttpContext context, byte[]? body)
    {
        var target = _targets[context.Connection.LocalPort];

        // Forward the request line byte for byte: shared-key signatures cover the path as the client encoded it
        // (entity keys such as PartitionKey='a' travel percent-encoded), and a decoded, re-encoded path fails them.
        var rawTarget = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()!.RawTarget;
        var uri = new Uri(target.GetLeftPart(UriPartial.Authority) + rawTarget);
        var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), uri);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
        }
        else if (context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            request.Content = new StreamContent(context.Request.Body);
        }

        foreach (var header in context.Request.Headers)
        {
            if (HopByHop.Contains(header.Key))
            {
                continue;
            }

            if (!request.Headers.TryAddWithoutValidation(header.Key, header.Value.ToArray()))
            {
                request.Content ??= new ByteArrayContent([]);
                request.Content.Headers.TryAddWithoutValidation(header.Key, header.Value.ToArray());
            }
        }

        return request;
    }

    private async Task AnswerAsync(HttpContext context, FaultDecision decision)
    {
        var json = context.Connection.LocalPort == _tablePort;
        context.Response.StatusCode = decision.Status;
        context.Response.Headers["x-ms-error-code"] = decision.ErrorCode;
        context.Response.ContentType = FaultDecision.ErrorContentType(json);
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(decision.ErrorBody(json)), context.RequestAborted);
    }

    /// <summary>Key/value pairs of a storage connection string; <c>UseDevelopmentStorage=true</c> is Azurite on its default ports.</summary>
    private static Dictionary<string, string> Parse(string connectionString)
    {
        var parts = connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2))
            .ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : string.Empty, StringComparer.OrdinalIgnoreCase);
        if (parts.TryGetValue("UseDevelopmentStorage", out var dev) && bool.TryParse(dev, out var yes) && yes)
        {
            return new Dictionary<string, string>(AzuriteInstance.BuildConnectionString(10000, 10001, 10002).Split(';', StringSplitOptions.RemoveEmptyEntries)
                .Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]), StringComparer.OrdinalIgnoreCase);
        }

        return parts;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _upstream.Dispose();
    }
}
