using System.Net.Http.Headers;
using System.Text.Json;

namespace Arcp.Client.Connection;

/// <summary>
/// Turns the configured URL into a WebSocket URL: <c>ws</c>/<c>wss</c> as is; <c>http</c>/<c>https</c> is a negotiate
/// endpoint answering a bearer-authenticated GET with <c>{"url": "wss://…"}</c> (asked again on every reconnect, since
/// such URLs usually carry a short-lived access token).
/// </summary>
internal static class EndpointResolver
{
    public static async Task<Uri> ResolveAsync(Uri url, string? token, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (url.Scheme is "ws" or "wss")
        {
            return url;
        }

        using var http = new HttpClient { Timeout = timeout };
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (!string.IsNullOrEmpty(token))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode is System.Net.HttpStatusCode.Unauthorized or System.Net.HttpStatusCode.Forbidden)
        {
            throw new Errors.ArcpErrorException(Protocol.Errors.ErrorCode.Unauthenticated, $"The negotiate endpoint refused the token ({(int)response.StatusCode}).");
        }

        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            using var document = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("url", out var target)
                && target.ValueKind == JsonValueKind.String
                && Uri.TryCreate(target.GetString(), UriKind.Absolute, out var resolved)
                && resolved.Scheme is "ws" or "wss")
            {
                return resolved;
            }
        }

        throw new InvalidDataException("The negotiate endpoint did not answer with {\"url\": \"ws(s)://…\"}.");
    }
}
