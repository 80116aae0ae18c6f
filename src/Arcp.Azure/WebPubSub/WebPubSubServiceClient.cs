using System.Text.Json;
using Arcp.Runtime.Delivery;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Arcp.Azure.WebPubSub;

/// <summary>
/// The few Web PubSub data-plane calls the runtime needs (api-version 2024-12-01), on an Azure.Core pipeline so
/// retries, logging and Entra ID come for free: send to / close / check a connection, and client access URLs.
/// </summary>
public sealed class WebPubSubServiceClient : IConnectionHub
{
    private const string ApiVersion = "2024-12-01";
    private readonly HttpPipeline _pipeline;
    private readonly Uri _endpoint;
    private readonly string _hub;
    private readonly string? _accessKey;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates the client. With no access key, <paramref name="credential"/> (Entra ID) authenticates.</summary>
    public WebPubSubServiceClient(WebPubSubOptions options, TimeProvider timeProvider, TokenCredential? credential = null, WebPubSubClientOptions? clientOptions = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _endpoint = options.Endpoint ?? throw new ArgumentException("Arcp:WebPubSub:Endpoint is not set.", nameof(options));
        _hub = options.Hub;
        _accessKey = options.Keys.Count > 0 ? options.Keys[0] : null;
        _timeProvider = timeProvider;
        const string scope = "https://webpubsub.azure.com/.default";
        HttpPipelinePolicy auth = _accessKey is not null ? new AccessKeyAuthenticationPolicy(_accessKey, timeProvider)
            : LoopbackBearerTokenPolicy.Applies(_endpoint) ? new LoopbackBearerTokenPolicy(credential ?? new global::Azure.Identity.DefaultAzureCredential(), scope, timeProvider)
            : new BearerTokenAuthenticationPolicy(credential ?? new global::Azure.Identity.DefaultAzureCredential(), scope);
        _pipeline = HttpPipelineBuilder.Build(clientOptions ?? new WebPubSubClientOptions(), [], [auth], new ResponseClassifier());
    }

    /// <inheritdoc />
    public async Task SendAsync(string connectionId, ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
    {
        using var message = Create(RequestMethod.Post, $"/api/hubs/{_hub}/connections/{Uri.EscapeDataString(connectionId)}/:send");
        message.Request.Headers.SetValue(HttpHeader.Names.ContentType, "text/plain");
        message.Request.Content = RequestContent.Create(frame);
        await SendAsync(message, expected: 202, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task CloseAsync(string connectionId, string reason, CancellationToken cancellationToken)
    {
        using var message = Create(RequestMethod.Delete, $"/api/hubs/{_hub}/connections/{Uri.EscapeDataString(connectionId)}", ("reason", reason));
        await SendAsync(message, expected: 204, cancellationToken, alsoOk: 404).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<bool> ExistsAsync(string connectionId, CancellationToken cancellationToken)
    {
        using var message = Create(RequestMethod.Head, $"/api/hubs/{_hub}/connections/{Uri.EscapeDataString(connectionId)}");
        var status = await SendAsync(message, expected: 200, cancellationToken, alsoOk: 404).ConfigureAwait(false);
        return status == 200;
    }

    /// <summary>
    /// A client URL (<c>wss://host/client/hubs/{hub}?access_token=…</c>) whose token names <paramref name="userId"/>:
    /// signed locally with the access key, or issued by the service's <c>:generateToken</c> under Entra ID.
    /// </summary>
    public async Task<Uri> GetClientAccessUriAsync(string userId, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        string token;
        if (_accessKey is not null)
        {
            token = WebPubSubTokens.Create(_accessKey, WebPubSubTokens.ClientAudience(_endpoint, _hub), userId, _timeProvider.GetUtcNow(), lifetime);
        }
        else
        {
            using var message = Create(RequestMethod.Post, $"/api/hubs/{_hub}/:generateToken", ("userId", userId), ("minutesToExpire", Math.Max(1, (int)lifetime.TotalMinutes).ToString(System.Globalization.CultureInfo.InvariantCulture)));
            await SendAsync(message, expected: 200, cancellationToken).ConfigureAwait(false);
            using var document = await JsonDocument.ParseAsync(message.Response.ContentStream!, cancellationToken: cancellationToken).ConfigureAwait(false);
            token = document.RootElement.GetProperty("token").GetString()!;
        }

        var socket = new UriBuilder(_endpoint)
        {
            Scheme = _endpoint.Scheme == Uri.UriSchemeHttp ? "ws" : "wss",
            Path = $"/client/hubs/{_hub}",
            Query = "access_token=" + Uri.EscapeDataString(token),
        };
        return socket.Uri;
    }

    private HttpMessage Create(RequestMethod method, string path, params (string Name, string Value)[] query)
    {
        var message = _pipeline.CreateMessage();
        message.Request.Method = method;
        var uri = new RequestUriBuilder();
        uri.Reset(_endpoint);
        uri.AppendPath(path, escape: false);
        uri.AppendQuery("api-version", ApiVersion);
        foreach (var (name, value) in query)
        {
            uri.AppendQuery(name, value);
        }

        message.Request.Uri = uri;
        return message;
    }

    private async Task<int> SendAsync(HttpMessage message, int expected, CancellationToken cancellationToken, int? alsoOk = null)
    {
        message.BufferResponse = true;
        await _pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
        var status = message.Response.Status;
        if (status != expected && status != alsoOk && (status < 200 || status > 299))
        {
            throw new RequestFailedException(message.Response);
        }

        return status;
    }
}

/// <summary>Pipeline options (retries, diagnostics) of <see cref="WebPubSubServiceClient"/>.</summary>
public sealed class WebPubSubClientOptions : ClientOptions
{
    /// <summary>Creates default options; request and response headers safe to log are the Azure.Core defaults.</summary>
    public WebPubSubClientOptions()
    {
        Retry.MaxRetries = 3;
        Retry.Delay = TimeSpan.FromMilliseconds(200);
    }
}
